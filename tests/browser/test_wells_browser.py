import pytest

from welltrack.testing import sign_in  # noqa: F401

pytestmark = pytest.mark.browser


def _sign_in(page, base, user, password="correct-horse-battery-staple"):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_editor_records_a_well_with_stages_and_events(page, live_server_url, org_world, project, screenshot):
    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    org_id = org_world.org.org_id
    page.goto(f"{live_server_url}/orgs/{org_id}/projects/")
    screenshot(page, "wells-project-list")
    page.get_by_role("link", name=project.name).click()
    page.get_by_role("link", name="New well").first.click()
    page.get_by_label("Name").fill("JS-B-7")
    page.get_by_label("Well number").fill("KZ-0107")
    page.get_by_label("Latitude").fill("46.2")
    page.get_by_label("Longitude").fill("53.4")
    page.get_by_label("Total depth (m)").fill("3150")
    page.get_by_label("Time zone").select_option("Asia/Almaty")
    page.get_by_label("Metadata").fill("rig: Rig 7\ncontractor: KazDrill")
    screenshot(page, "wells-well-form")
    page.get_by_role("button", name="Create well").click()
    assert page.get_by_role("heading", name="JS-B-7").is_visible()

    for name, kind in (("Drilling 12¼ in section", "DRILLING"), ("Completion", "COMPLETION")):
        page.get_by_role("link", name="Stage").click()
        page.get_by_label("Name").fill(name)
        page.get_by_label("Type").select_option(kind)
        page.get_by_role("button", name="Add stage").click()
    assert page.get_by_test_id("stage-row").count() == 2

    for title, start, end in (("Spud in", "2026-03-01T06:00", ""), ("Waiting on weather", "2026-03-02T00:00", "2026-03-05T12:00"),
                              ("Casing run", "2026-03-06T09:30", "")):
        page.get_by_role("link", name="Event").first.click()
        assert page.get_by_test_id("form-zone").inner_text() == "Asia/Almaty"
        page.get_by_label("Title").fill(title)
        page.get_by_label("Start").fill(start)
        if end:
            page.get_by_label("End").fill(end)
        page.get_by_label("Stage").select_option(label="Drilling 12¼ in section")
        page.get_by_role("button", name="Record event").click()
    assert page.get_by_test_id("event-row").count() == 3
    screenshot(page, "wells-well-detail")
    assert "Sun 1 Mar 2026, 06:00" in page.locator("#events").inner_text()

    page.get_by_role("button", name="Move Completion up").click()
    page.wait_for_timeout(300)
    assert page.get_by_test_id("stage-row").first.inner_text().startswith("Completion")
    page.locator("#events").get_by_role("link", name="Waiting on weather").click()
    screenshot(page, "wells-event-detail")
    assert page.get_by_text("Monday 2 March 2026, 00:00").is_visible()
    assert page.console_errors == []
