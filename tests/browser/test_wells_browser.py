import re

import pytest
from playwright.sync_api import expect

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
        screenshot(page, "wells-stage-form")
        page.get_by_role("button", name="Add stage").click()
    expect(page.get_by_test_id("stage-row")).to_have_count(2)
    for title, start, end in (
        ("Spud in", "2026-03-01T06:00", ""),
        ("Waiting on weather", "2026-03-02T00:00", "2026-03-05T12:00"),
        ("Casing run", "2026-03-06T09:30", ""),
    ):
        page.get_by_role("link", name="Event").first.click()
        assert page.get_by_test_id("form-zone").inner_text() == "Asia/Almaty"
        page.get_by_label("Title").fill(title)
        page.get_by_label("Start").fill(start)
        if end:
            page.get_by_label("End").fill(end)
        page.get_by_label("Stage").select_option(label="Drilling 12¼ in section")
        screenshot(page, "wells-event-form")
        page.get_by_role("button", name="Record event").click()
    expect(page.get_by_test_id("event-row")).to_have_count(3)
    screenshot(page, "wells-well-detail")
    assert "Sun 1 Mar 2026, 06:00" in page.locator("#events").inner_text()

    page.get_by_role("button", name="Move Completion up").click()
    expect(page.get_by_test_id("stage-row").first).to_have_text(re.compile(r"^\s*Completion"))
    page.locator("#events").get_by_role("link", name="Waiting on weather").click()
    screenshot(page, "wells-event-detail")
    assert page.get_by_text("Monday 2 March 2026, 00:00").is_visible()
    assert page.console_errors == []


def test_admin_pages_of_projects_wells_and_stages(page, live_server_url, org_world, project, screenshot):
    from wells import services
    from wells.testing import actor_for, make_well

    editor = actor_for(org_world.users["EDITOR"])
    well = make_well(org_world, project, name="JS-C-9", time_zone="Europe/London")
    make_well(org_world, project, name="JS-A-2", status="DRILLING")
    stage = services.stage_create(
        actor=editor,
        well=well,
        name="Drilling",
        stage_type="DRILLING",
        start="2026-03-28T08:00",
        end="2026-03-30T18:00",
    )
    services.event_create(
        actor=editor,
        well=well,
        stage=stage,
        event_type="ACTIVITY",
        title="Across the clock change",
        start="2026-03-29T00:30",
        end="2026-03-29T03:30",
    )
    org = f"{live_server_url}/orgs/{org_world.org.org_id}"
    _sign_in(page, live_server_url, org_world.users["ADMIN"])

    page.goto(f"{org}/projects/new/")
    screenshot(page, "wells-project-form")
    page.get_by_role("button", name="Create project").click()
    screenshot(page, "wells-project-form-error")
    assert page.locator(".invalid-feedback").first.is_visible()

    page.goto(f"{org}/projects/{project.project_id}/")
    with page.expect_response(lambda response: "sort=status" in response.url):
        page.locator("#well-table").get_by_role("link", name="Status").click()
    screenshot(page, "wells-project-detail")
    page.goto(f"{org}/projects/{project.project_id}/delete/")
    assert page.get_by_text("2 wells").is_visible()
    screenshot(page, "wells-project-delete")

    page.goto(f"{org}/wells/")
    page.get_by_label("Find a well by the start of its name").fill("JS-C")
    expect(page.locator("#results")).to_have_text(re.compile(r"^\s*JS-C-9"))  # the search answered, after its debounce
    expect(page.locator("#results")).not_to_contain_text("JS-A-2")
    screenshot(page, "wells-well-search")

    page.goto(f"{org}/stages/{stage.stage_id}/")
    assert page.get_by_text("Across the clock change").is_visible()
    screenshot(page, "wells-stage-detail")
    page.goto(f"{org}/stages/{stage.stage_id}/delete/")
    screenshot(page, "wells-stage-delete")
    page.goto(f"{org}/wells/{well.well_id}/delete/")
    assert page.get_by_text("1 stage").is_visible()
    screenshot(page, "wells-well-delete")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{org}/wells/{well.well_id}/")
    assert "Sun 29 Mar 2026, 00:30 – Sun 29 Mar 2026, 03:30" in page.locator("#events").inner_text()
    screenshot(page, "wells-well-detail-narrow")
    assert page.console_errors == []


def test_a_stale_event_edit_shows_the_current_values(page, live_server_url, org_world, well, screenshot):
    from wells import services
    from wells.models import Event
    from wells.testing import actor_for

    editor = actor_for(org_world.users["EDITOR"])
    event = services.event_create(
        actor=editor, well=well, event_type="NOTE", title="Original", start="2026-03-02T10:00"
    )
    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/events/{event.event_id}/edit/")
    services.event_update(
        actor=editor,
        event=Event.get(event.event_id),
        well=well,
        version=event.version,
        keep_stage=True,
        title="Changed meanwhile",
    )
    page.get_by_label("Title").fill("My version")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_test_id("current-values").is_visible()
    assert page.get_by_label("Title").input_value() == "My version"
    screenshot(page, "wells-event-conflict")


def test_an_admin_finishes_an_interrupted_well_deletion(page, live_server_url, org_world, project, screenshot):
    from wells import services
    from wells.models import Well
    from wells.testing import actor_for, make_well
    from welltrack.errors import DependencyUnavailable
    from welltrack.faults import Throttler, injected

    make_well(org_world, project, name="JS-D-1")
    well = make_well(org_world, project, name="JS-D-2")
    services.stage_create(actor=actor_for(org_world.users["EDITOR"]), well=well, name="Drilling", stage_type="DRILLING")
    with injected(Throttler(per_call=10, operations={"BatchWriteItem"})), pytest.raises(DependencyUnavailable):
        services.well_delete(actor=actor_for(org_world.users["ADMIN"]), well=Well.get(well.well_id))
    _sign_in(page, live_server_url, org_world.users["ADMIN"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/projects/{project.project_id}/")
    notice = page.get_by_test_id("unfinished-deletions")
    assert "The deletion of JS-D-2 was interrupted. It is hidden" in notice.inner_text()
    assert page.locator("#well-table").get_by_role("link", name="JS-D-2").count() == 0
    screenshot(page, "wells-project-unfinished-deletion")
    notice.get_by_role("link", name="JS-D-2").click()
    assert page.get_by_test_id("unfinished-deletion").is_visible()
    screenshot(page, "wells-well-delete-unfinished")
    page.get_by_role("link", name="Cancel").click()
    assert page.get_by_role("heading", name=project.name).is_visible()
    page.get_by_test_id("unfinished-deletions").get_by_role("link", name="JS-D-2").click()
    page.get_by_role("button", name="Delete").click()
    assert page.get_by_text("Well JS-D-2 was deleted").is_visible()
    assert page.get_by_test_id("unfinished-deletions").count() == 0
    assert Well.count(well.well_id) == 0
    assert page.console_errors == []


def test_an_admin_finishes_an_interrupted_project_deletion(page, live_server_url, org_world, project, screenshot):
    from wells import services
    from wells.models import Project, Well
    from wells.testing import actor_for, make_project, make_well
    from welltrack.errors import DependencyUnavailable
    from welltrack.faults import Throttler, injected

    stuck = make_project(org_world, name="Kalamkas Field")
    well = make_well(org_world, stuck, name="KL-1")
    services.stage_create(actor=actor_for(org_world.users["EDITOR"]), well=well, name="Drilling", stage_type="DRILLING")
    with injected(Throttler(per_call=10, operations={"BatchWriteItem"})), pytest.raises(DependencyUnavailable):
        services.project_delete(actor=actor_for(org_world.users["ADMIN"]), project=Project.get(stuck.project_id))
    _sign_in(page, live_server_url, org_world.users["ADMIN"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/projects/")
    notice = page.get_by_test_id("unfinished-deletions")
    assert "The deletion of Kalamkas Field was interrupted. It is hidden" in notice.inner_text()
    assert page.get_by_role("heading", name="Kalamkas Field").count() == 0  # no card of its own
    assert page.get_by_role("heading", name=project.name).is_visible()
    screenshot(page, "wells-project-list-unfinished-deletion")
    notice.get_by_role("link", name="Kalamkas Field").click()
    assert page.get_by_test_id("unfinished-deletion").is_visible()
    assert page.get_by_text("1 well", exact=True).is_visible()
    screenshot(page, "wells-project-delete-unfinished")
    page.get_by_role("link", name="Cancel").click()
    assert page.get_by_role("heading", name="Projects (fields)").is_visible()
    page.get_by_test_id("unfinished-deletions").get_by_role("link", name="Kalamkas Field").click()
    page.get_by_role("button", name="Delete").click()
    assert page.get_by_text("The deletion of project “Kalamkas Field” was finished").is_visible()
    assert page.get_by_test_id("unfinished-deletions").count() == 0
    screenshot(page, "wells-project-list-deletion-finished")
    assert Project.count(stuck.project_id) == 0 and Well.count(well.well_id) == 0
    assert page.console_errors == []


def test_delete_confirmations_count_files_and_refuse_what_changed_since(
    page, live_server_url, org_world, project, client_for, local_media, screenshot
):
    from files.tests.helpers import upload
    from wells import services
    from wells.models import Event, Project, Stage, Well
    from wells.testing import actor_for, make_well

    editor = actor_for(org_world.users["EDITOR"])
    well = make_well(org_world, project, name="JS-F-1")
    uploader = client_for(org_world.users["EDITOR"])
    upload(uploader, well, name="DDR 1.pdf")
    upload(uploader, well, name="DDR 2.pdf")
    stage = services.stage_create(actor=editor, well=well, name="Rig up", stage_type="OTHER")
    last = services.stage_create(actor=editor, well=well, name="Drilling", stage_type="DRILLING")
    event = services.event_create(
        actor=editor, well=well, event_type="NOTE", title="Original", start="2026-03-02T10:00"
    )
    org = f"{live_server_url}/orgs/{org_world.org.org_id}"
    _sign_in(page, live_server_url, org_world.users["ADMIN"])

    page.goto(f"{org}/projects/{project.project_id}/delete/")
    assert page.get_by_text("2 files").is_visible()

    page.goto(f"{org}/events/{event.event_id}/delete/")
    services.event_update(
        actor=editor,
        event=Event.get(event.event_id),
        well=well,
        version=event.version,
        keep_stage=True,
        title="Changed meanwhile",
    )
    page.get_by_role("button", name="Delete").click()
    assert page.get_by_test_id("stale-delete").is_visible()
    assert "Changed meanwhile" in page.get_by_test_id("stale-delete").inner_text()
    screenshot(page, "wells-event-delete-stale")
    page.get_by_role("button", name="Delete").click()
    assert page.get_by_text("Event “Changed meanwhile” deleted.").is_visible()

    page.goto(f"{org}/stages/{stage.stage_id}/delete/")
    services.stage_update(
        actor=editor,
        stage=Stage.get(stage.stage_id),
        well=well,
        version=stage.version,
        name="Rig up (renamed)",
        stage_type="OTHER",
    )
    page.get_by_role("button", name="Delete stage").click()
    assert "Rig up (renamed)" in page.get_by_test_id("stale-delete").inner_text()
    screenshot(page, "wells-stage-delete-stale")

    page.goto(f"{org}/wells/{well.well_id}/")
    services.stage_delete(actor=editor, stage=Stage.get(last.stage_id), events="keep")  # "Rig up" is now the last
    page.get_by_role("button", name="Move Rig up (renamed) down").click()
    assert "is already the last stage" in page.get_by_test_id("move-problem").inner_text()
    expect(page.get_by_test_id("stage-row")).to_have_count(1)
    screenshot(page, "wells-stage-move-refused")

    page.goto(f"{org}/wells/{well.well_id}/delete/")
    assert page.get_by_text("2 files").is_visible()
    screenshot(page, "wells-well-delete-files")
    fresh = Well.get(well.well_id)
    services.well_update(
        actor=editor,
        well=fresh,
        project=Project.get(project.project_id),
        version=fresh.version,
        name="JS-F-1 (sidetrack)",
        status="DRILLING",
        time_zone=fresh.time_zone,
    )
    page.get_by_role("button", name="Delete").click()
    assert "JS-F-1 (sidetrack)" in page.get_by_test_id("stale-delete").inner_text()
    screenshot(page, "wells-well-delete-stale")
    page.get_by_role("button", name="Delete").click()
    assert page.get_by_text("Well JS-F-1 (sidetrack) was deleted").is_visible()
    assert Well.count(well.well_id) == 0
    assert page.console_errors == []


def test_a_session_signed_out_elsewhere_goes_to_sign_in_and_comes_back(
    page, live_server_url, org_world, well, screenshot
):
    from accounts.services import sessions_end_all

    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    well_page = f"{live_server_url}/orgs/{org_world.org.org_id}/wells/{well.well_id}/"
    page.goto(well_page)
    assert page.get_by_role("heading", name=well.name).is_visible()
    sessions_end_all(user_id=org_world.users["VIEWER"].user_id)  # a password change on another device, say
    page.reload()
    assert "/accounts/login/" in page.url and "next=" in page.url
    assert page.get_by_role("button", name="Sign in").is_visible()
    assert not page.get_by_role("heading", name=well.name).is_visible()
    screenshot(page, "accounts-signed-out-elsewhere")
    page.get_by_label("Email").fill(org_world.users["VIEWER"].email)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(well_page)
    assert page.get_by_role("heading", name=well.name).is_visible()
    assert page.console_errors == []
