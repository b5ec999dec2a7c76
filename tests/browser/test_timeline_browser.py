import pytest

from wells import services
from wells.models import Event, Well
from wells.testing import actor_for, make_well

pytestmark = pytest.mark.browser


def _sign_in(page, base, user, password="correct-horse-battery-staple"):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/orgs/**")


@pytest.fixture
def seeded_well(org_world, project):
    well = make_well(org_world, project, name="JS-C-3", time_zone="Asia/Almaty", status="DRILLING")
    actor = actor_for(org_world.users["EDITOR"])
    stage = services.stage_create(actor=actor, well=well, name="Surface hole", stage_type="DRILLING",
                                  start="2026-03-02T00:00", end="2026-03-12T00:00")
    services.event_create(actor=actor, well=Well.get(well.well_id), stage=stage, event_type="ACTIVITY", title="Spud in",
                          start="2026-03-04T09:00")
    services.event_create(actor=actor, well=Well.get(well.well_id), event_type="ACTIVITY", title="Waiting on weather",
                          start="2026-03-05T06:00", end="2026-03-06T18:00")
    services.event_create(actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="Safety stand-down",
                          start="2026-03-04T14:00", end="2026-03-04T16:00")
    return well


def test_month_week_and_day_views_show_the_well_in_its_own_time(page, live_server_url, org_world, seeded_well, screenshot):
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    base = f"{live_server_url}/orgs/{org_world.org.org_id}/wells/{seeded_well.well_id}/calendar/"
    page.goto(f"{base}?view=dayGridMonth&date=2026-03-01")
    calendar = page.get_by_test_id("calendar")
    calendar.get_by_text("Spud in").first.wait_for()
    for title in ("Spud in", "Waiting on weather", "Surface hole"):
        assert calendar.get_by_text(title).first.is_visible(), title
    screenshot(page, "timeline-month")

    page.goto(f"{base}?view=timeGridWeek&date=2026-03-02")
    calendar.get_by_text("Safety stand-down").wait_for()
    assert "09:00" in calendar.locator(".fc-event", has_text="Spud in").first.inner_text()
    screenshot(page, "timeline-week")

    page.goto(f"{base}?view=timeGridDay&date=2026-03-04")
    calendar.get_by_text("Spud in").wait_for()
    assert calendar.get_by_text("Waiting on weather").count() == 0
    screenshot(page, "timeline-day")
    assert "view=timeGridDay" in page.url and "date=2026-03-04" in page.url

    page.reload()
    calendar.get_by_text("Spud in").wait_for()
    assert "timeGridDay" in page.url
    assert page.console_errors == []


def _drag_event(page, title: str, dy: int) -> None:
    event = page.locator(".fc-timegrid-event", has_text=title).first
    event.scroll_into_view_if_needed()
    box = event.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + 8
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x, y + dy * step / 10)
    page.mouse.up()


def test_an_editor_drag_persists_and_a_viewer_cannot_drag(browser, page, live_server_url, org_world, seeded_well, screenshot):
    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    url = f"{live_server_url}/orgs/{org_world.org.org_id}/wells/{seeded_well.well_id}/calendar/?view=timeGridDay&date=2026-03-04"
    page.goto(url)
    page.locator(".fc-timegrid-event", has_text="Safety stand-down").wait_for()
    slot_height = page.locator(".fc-timegrid-slot").first.bounding_box()["height"]
    _drag_event(page, "Safety stand-down", int(slot_height * 4))  # four half-hour slots: two hours later
    page.get_by_text("Moved “Safety stand-down”").wait_for()
    screenshot(page, "timeline-after-drag")
    event = [e for e in Event.well_events_index.query(seeded_well.well_id) if e.title == "Safety stand-down"][0]
    assert (event.start_time, event.end_time) == ("2026-03-04T11:00:00Z", "2026-03-04T13:00:00Z")  # 16:00-18:00 in Almaty
    page.reload()
    assert "16:00" in page.locator(".fc-timegrid-event", has_text="Safety stand-down").first.inner_text()

    viewer = browser.new_context().new_page()
    _sign_in(viewer, live_server_url, org_world.users["VIEWER"])
    viewer.goto(url)
    viewer.locator(".fc-timegrid-event", has_text="Spud in").wait_for()
    viewer.locator(".fc-timegrid-event", has_text="Spud in").first.scroll_into_view_if_needed()
    before = viewer.locator(".fc-timegrid-event", has_text="Spud in").first.bounding_box()
    _drag_event(viewer, "Spud in", int(slot_height * 4))
    after = viewer.locator(".fc-timegrid-event", has_text="Spud in").first.bounding_box()
    assert abs(after["y"] - before["y"]) < 2
    spud = [e for e in Event.well_events_index.query(seeded_well.well_id) if e.title == "Spud in"][0]
    assert spud.start_time == "2026-03-04T04:00:00Z"


def test_the_project_map_renders_a_marker_per_located_well(page, live_server_url, org_world, project, seeded_well, screenshot):
    make_well(org_world, project, name="JS-D-1", latitude=46.3, longitude=53.6, status="COMPLETED")
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/projects/{project.project_id}/map/")
    page.locator("#wt-map path.leaflet-interactive").first.wait_for()
    assert page.locator("#wt-map path.leaflet-interactive").count() == 2
    assert page.locator("#wt-map").get_attribute("data-markers") == "2"
    screenshot(page, "timeline-map")
    assert page.console_errors == []


def test_the_dashboard_shows_the_counts(page, live_server_url, org_world, project, seeded_well, screenshot):
    make_well(org_world, project, name="JS-E-1", status="COMPLETED")
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/")
    assert page.get_by_test_id("count-projects").inner_text() == "1"
    assert page.get_by_test_id("count-DRILLING").inner_text() == "1"
    assert page.get_by_test_id("count-COMPLETED").inner_text() == "1"
    screenshot(page, "timeline-dashboard")
