"""User-supplied strings reach the DOM as text, never as HTML: map tooltip and popup, calendar, upload widget."""

import pytest

from wells import services
from wells.models import Well
from wells.testing import actor_for, make_well

pytestmark = pytest.mark.browser

# Each part would show if inserted as HTML: the image's handler (which the CSP blocks anyway),
# an element the test looks for, and a refresh that sends the page elsewhere (the CSP does not stop it).
EVIL = (
    '<img src=x onerror="document.title=\'pwned\'"><b id="injected">bold</b> '
    '<meta http-equiv="refresh" content="0;url=about:blank">'
)


def _sign_in(page, base, user, password="correct-horse-battery-staple"):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/orgs/**")


def _watch_navigation(page):
    """The page's title and a flag in its window now; main-frame navigations from here on."""
    page.evaluate("() => { window.wtStillHere = true; }")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    return {"url": page.url, "title": page.title(), "navigations": navigations}


def _assert_nothing_injected(page, before, element_id="injected"):
    # Nothing to wait for here: the check is that nothing happens. A 0-second refresh, had one been
    # inserted, would have navigated within this window (it did, before the fix).
    page.wait_for_timeout(500)
    assert before["navigations"] == []
    assert page.url == before["url"]
    assert page.evaluate("() => window.wtStillHere") is True
    assert page.title() == before["title"]
    assert page.locator(f"#{element_id}").count() == 0
    assert page.locator("meta[http-equiv=refresh]").count() == 0


def test_a_well_name_shows_as_text_in_the_map_tooltip_and_popup(page, live_server_url, org_world, project, screenshot):
    make_well(org_world, project, name=EVIL, latitude=46.3, longitude=53.6)
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/projects/{project.project_id}/map/")
    marker = page.locator("#wt-map path.leaflet-interactive")
    marker.wait_for()
    before = _watch_navigation(page)

    marker.hover()
    tooltip = page.locator("#wt-map .leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.text_content() == EVIL
    assert tooltip.locator("b, img, meta").count() == 0
    screenshot(page, "user-text-map-tooltip")
    _assert_nothing_injected(page, before)

    marker.click()
    popup = page.locator("#wt-map .leaflet-popup-content")
    popup.wait_for()
    assert popup.get_by_role("link").text_content() == EVIL
    page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    screenshot(page, "user-text-map-popup")
    _assert_nothing_injected(page, before)
    assert page.console_errors == []


def test_an_event_title_and_well_name_show_as_text_on_the_calendar(
    page, live_server_url, org_world, project, screenshot
):
    well = make_well(org_world, project, name=EVIL, time_zone="UTC")
    services.event_create(
        actor=actor_for(org_world.users["EDITOR"]),
        well=Well.get(well.well_id),
        event_type="NOTE",
        title=EVIL,
        start="2026-03-04T09:00",
        end="2026-03-04T12:00",
    )
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    page.goto(
        f"{live_server_url}/orgs/{org_world.org.org_id}/wells/{well.well_id}/calendar/?view=timeGridWeek&date=2026-03-02"
    )
    event = page.get_by_test_id("calendar").locator(".fc-event").first
    event.wait_for()
    before = _watch_navigation(page)
    assert EVIL in event.text_content()
    assert event.locator("b, img, meta").count() == 0
    assert event.get_attribute("title").startswith(f"{EVIL} (note) — {EVIL}, ")
    _assert_nothing_injected(page, before)

    event.click()
    panel = page.locator("#wt-event-panel")
    panel.get_by_role("heading", name=EVIL).wait_for()
    assert panel.locator("b, img, meta").count() == 0
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "user-text-calendar-panel")
    _assert_nothing_injected(page, before)
    assert page.console_errors == []


@pytest.mark.usefixtures("local_media")
def test_a_file_name_shows_as_text_in_the_upload_widget(page, live_server_url, org_world, well, screenshot):
    name = '<b id="x">f</b>.pdf'
    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/wells/{well.well_id}/files/")
    before = _watch_navigation(page)
    page.get_by_test_id("file-input").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": b"%PDF-1.4 " + b"x" * 2000}]
    )
    item = page.get_by_test_id("upload-item")
    item.wait_for()
    assert item.locator(".wt-upload-name").text_content() == name
    assert item.locator("button").get_attribute("aria-label") == f"Cancel {name}"
    assert item.get_by_test_id("upload-progress").get_attribute("aria-label") == f"Upload of {name}"
    item.and_(page.locator("[data-state=uploaded]")).wait_for()
    # The server-rendered list too (the server keeps what follows the last slash, as for a path).
    page.get_by_test_id("file-row").filter(has_text="b>.pdf").wait_for()
    screenshot(page, "user-text-upload")
    _assert_nothing_injected(page, before, element_id="x")
    assert page.console_errors == []
