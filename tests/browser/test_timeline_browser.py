from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from timeline import feeds
from timeline.tests.helpers import bulk_instants
from wells import services
from wells.models import Event, Well
from wells.testing import actor_for, make_project, make_well

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
    stage = services.stage_create(
        actor=actor,
        well=well,
        name="Surface hole",
        stage_type="DRILLING",
        start="2026-03-02T00:00",
        end="2026-03-12T00:00",
        status="IN_PROGRESS",
    )
    services.event_create(
        actor=actor,
        well=Well.get(well.well_id),
        stage=stage,
        event_type="ACTIVITY",
        title="Spud in",
        start="2026-03-04T09:00",
    )
    services.event_create(
        actor=actor,
        well=Well.get(well.well_id),
        event_type="ACTIVITY",
        title="Waiting on weather",
        start="2026-03-05T06:00",
        end="2026-03-06T18:00",
    )
    services.event_create(
        actor=actor,
        well=Well.get(well.well_id),
        event_type="NOTE",
        title="Safety stand-down",
        start="2026-03-04T14:00",
        end="2026-03-04T16:00",
    )
    return well


def _calendar_url(base, org_world, well, view, date):
    return f"{base}/orgs/{org_world.org.org_id}/wells/{well.well_id}/calendar/?view={view}&date={date}"


def test_month_week_and_day_views_show_the_well_in_its_own_time(
    page, live_server_url, org_world, seeded_well, screenshot
):
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    page.goto(_calendar_url(live_server_url, org_world, seeded_well, "dayGridMonth", "2026-03-01"))
    calendar = page.get_by_test_id("calendar")
    calendar.get_by_text("Spud in").first.wait_for()
    for title in ("Spud in", "Waiting on weather", "Surface hole"):
        assert calendar.get_by_text(title).first.is_visible(), title
    # An instant is a dot; a range — even one within a day — is a block.
    expect(calendar.locator(".fc-daygrid-dot-event.wt-instant", has_text="Spud in")).to_have_count(1)
    expect(calendar.locator(".fc-daygrid-block-event.wt-range", has_text="Safety stand-down")).to_have_count(1)
    assert page.locator(".fc-toolbar-title").inner_text() == "March 2026"
    screenshot(page, "timeline-month")

    page.goto(_calendar_url(live_server_url, org_world, seeded_well, "timeGridWeek", "2026-03-02"))
    calendar.get_by_text("Safety stand-down").wait_for()
    assert "09:00" in calendar.locator(".fc-event", has_text="Spud in").first.inner_text()
    headers = page.locator(".fc-col-header-cell").all_inner_texts()
    assert headers[:3] == ["Mon 2 Mar", "Tue 3 Mar", "Wed 4 Mar"]
    assert page.locator(".fc-toolbar-title").inner_text() == "2 – 8 Mar 2026"
    hour = 2 * page.locator(".fc-timegrid-slot").first.bounding_box()["height"]
    instant = calendar.locator(".fc-timegrid-event.wt-instant", has_text="Spud in").bounding_box()
    range_ = calendar.locator(".fc-timegrid-event.wt-range", has_text="Safety stand-down").bounding_box()
    assert instant["height"] < hour / 2 < hour * 1.9 < range_["height"]  # a marker, not an hour-long block
    screenshot(page, "timeline-week")
    calendar.locator(".fc-day-wed").last.screenshot(path=str(SCREENSHOTS / "timeline-week-wednesday.png"))

    page.goto(_calendar_url(live_server_url, org_world, seeded_well, "timeGridDay", "2026-03-04"))
    calendar.get_by_text("Spud in").wait_for()
    assert calendar.get_by_text("Waiting on weather").count() == 0
    assert page.locator(".fc-col-header-cell").inner_text() == "Wednesday 4 March"
    screenshot(page, "timeline-day")
    assert "view=timeGridDay" in page.url and "date=2026-03-04" in page.url

    page.reload()
    calendar.get_by_text("Spud in").wait_for()
    assert "timeGridDay" in page.url

    page.goto(_calendar_url(live_server_url, org_world, seeded_well, "listWeek", "2026-03-02"))
    calendar.get_by_text("Spud in").wait_for()
    assert "Wednesday 4 March" in calendar.locator(".fc-list-day").all_inner_texts()
    screenshot(page, "timeline-list")
    assert page.console_errors == []


def test_clicking_an_event_opens_its_details_in_the_side_panel(
    page, live_server_url, org_world, seeded_well, screenshot
):
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    page.goto(_calendar_url(live_server_url, org_world, seeded_well, "timeGridWeek", "2026-03-02"))
    calendar = page.get_by_test_id("calendar")
    calendar.locator(".fc-event", has_text="Safety stand-down").click()
    panel = page.locator("#wt-event-panel")
    panel.get_by_role("heading", name="Safety stand-down").wait_for()
    assert "Wednesday 4 March 2026, 14:00 (Asia/Almaty)" in panel.inner_text()
    assert "/calendar/" in page.url  # the panel opened in place; nothing navigated away
    page.evaluate("window.scrollTo(0, 0)")  # a full-page capture draws fixed and sticky parts where the window is
    screenshot(page, "timeline-panel")
    panel.get_by_role("button", name="Close").click()
    assert panel.is_hidden()
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


def test_an_editor_drag_persists_and_a_viewer_cannot_drag(
    browser, page, live_server_url, org_world, seeded_well, screenshot
):
    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    url = _calendar_url(live_server_url, org_world, seeded_well, "timeGridDay", "2026-03-04")
    page.goto(url)
    page.locator(".fc-timegrid-event", has_text="Safety stand-down").wait_for()
    slot_height = page.locator(".fc-timegrid-slot").first.bounding_box()["height"]
    _drag_event(page, "Safety stand-down", int(slot_height * 4))  # four half-hour slots: two hours later
    page.get_by_text("Moved “Safety stand-down”").wait_for()
    # The day header sticks to the top of the window while the grid scrolls: in the window it
    # sits right under the top edge, never in the middle of the grid.
    header = page.locator(".fc-col-header").bounding_box()
    assert -1 <= header["y"] <= 2 or page.evaluate("window.scrollY") == 0
    page.screenshot(path=str(SCREENSHOTS / "timeline-after-drag-window.png"))
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "timeline-after-drag")
    event = [e for e in Event.well_events_index.query(seeded_well.well_id) if e.title == "Safety stand-down"][0]
    assert (event.start_time, event.end_time) == (
        "2026-03-04T11:00:00Z",
        "2026-03-04T13:00:00Z",
    )  # 16:00-18:00 in Almaty
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


def _grid_offset(page, event) -> float:
    """Where the event sits in the time grid (a message above the calendar moves the whole grid)."""
    return event.bounding_box()["y"] - page.locator(".fc-timegrid-body").bounding_box()["y"]


def _stand_down(well) -> Event:
    return [e for e in Event.well_events_index.query(well.well_id) if e.title == "Safety stand-down"][0]


def test_a_drag_refused_after_a_concurrent_edit_snaps_back_and_says_why(
    page, live_server_url, org_world, seeded_well, screenshot
):
    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    page.goto(_calendar_url(live_server_url, org_world, seeded_well, "timeGridDay", "2026-03-04"))
    event = page.locator(".fc-timegrid-event", has_text="Safety stand-down")
    event.wait_for()
    # Someone else edits the event after this page loaded it.
    current = _stand_down(seeded_well)
    services.event_update(
        actor=actor_for(org_world.users["ADMIN"]),
        event=current,
        well=Well.get(seeded_well.well_id),
        version=current.version,
        description="Toolbox talk moved",
    )
    event.scroll_into_view_if_needed()
    before = _grid_offset(page, event)
    slot_height = page.locator(".fc-timegrid-slot").first.bounding_box()["height"]
    _drag_event(page, "Safety stand-down", int(slot_height * 4))
    page.get_by_text("changed by someone else").wait_for()
    page.wait_for_function("el => !el.classList.contains('fc-event-dragging')", arg=event.element_handle())
    assert abs(_grid_offset(page, event) - before) < 2  # back where it was
    assert _stand_down(seeded_well).start_time == "2026-03-04T09:00:00Z"
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "timeline-drag-refused")


def test_a_drag_by_an_editor_demoted_meanwhile_is_refused_with_the_reason(
    page, live_server_url, org_world, seeded_well
):
    from orgs.models import Membership
    from orgs.permissions import membership_id

    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    page.goto(_calendar_url(live_server_url, org_world, seeded_well, "timeGridDay", "2026-03-04"))
    event = page.locator(".fc-timegrid-event", has_text="Safety stand-down")
    event.wait_for()
    Membership.get(membership_id(org_world.org.org_id, org_world.users["EDITOR"].user_id)).update(
        actions=[Membership.role.set("VIEWER")]
    )
    event.scroll_into_view_if_needed()
    before = _grid_offset(page, event)
    slot_height = page.locator(".fc-timegrid-slot").first.bounding_box()["height"]
    _drag_event(page, "Safety stand-down", int(slot_height * 4))
    page.get_by_text("does not allow that").wait_for()
    page.wait_for_function("el => !el.classList.contains('fc-event-dragging')", arg=event.element_handle())
    assert abs(_grid_offset(page, event) - before) < 2
    assert _stand_down(seeded_well).start_time == "2026-03-04T09:00:00Z"


def test_a_window_past_the_feed_cap_says_so_and_months_fold_into_more(
    page, live_server_url, org_world, project, monkeypatch, screenshot
):
    monkeypatch.setattr(feeds, "FEED_MAX_EVENTS", 40)
    monkeypatch.setattr(feeds, "FEED_PAGE", 10)
    monkeypatch.setattr(feeds, "FEED_MIN_PAGE", 1)
    busy = make_well(org_world, project, name="Busy-1", time_zone="UTC")
    bulk_instants(busy, 60, first=datetime(2026, 3, 2, 6, tzinfo=UTC), every=timedelta(hours=1))
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    page.goto(_calendar_url(live_server_url, org_world, busy, "dayGridMonth", "2026-03-01"))
    notice = page.get_by_test_id("calendar-notice")
    notice.get_by_text("Too many events in this range").wait_for()
    assert "those that start before Tue 3 Mar 21:00" in notice.inner_text()  # the 40th event read: 2 March 06:00 + 39 h
    assert page.locator(".fc-daygrid-more-link").first.is_visible()  # a busy day folds into "+N more"
    screenshot(page, "timeline-busy-month")
    page.goto(_calendar_url(live_server_url, org_world, busy, "timeGridDay", "2026-03-02"))
    page.locator(".fc-timegrid-event", has_text="Report 0").wait_for()
    assert page.get_by_test_id("calendar-notice").is_hidden()  # a day's 18 events fit


def test_project_and_org_calendars_filter_by_stage_type_and_status(
    page, live_server_url, org_world, project, seeded_well, screenshot
):
    planning = make_well(org_world, project, name="JS-P-1", time_zone="Europe/London", status="PLANNING")
    services.event_create(
        actor=actor_for(org_world.users["EDITOR"]),
        well=Well.get(planning.well_id),
        event_type="NOTE",
        title="Site survey",
        start="2026-03-04T11:00",
    )
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    page.goto(
        f"{live_server_url}/orgs/{org_world.org.org_id}/projects/{project.project_id}/calendar/"
        "?view=timeGridWeek&date=2026-03-02"
    )
    calendar = page.get_by_test_id("calendar")
    survey = calendar.locator(".fc-event", has_text="JS-P-1: Site survey")
    survey.wait_for()
    assert "(Europe/London)" in survey.get_attribute("title")  # each well's own time: the zone is named
    page.get_by_label("Drilling", exact=True).check()
    survey.wait_for(state="detached")
    calendar.locator(".fc-event", has_text="JS-C-3: Spud in").wait_for()
    screenshot(page, "timeline-project-calendar")

    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/calendar/?view=timeGridWeek&date=2026-03-02")
    calendar.locator(".fc-event", has_text="JS-C-3: Spud in").wait_for()
    assert calendar.locator(".fc-event", has_text="Site survey").count() == 0
    page.get_by_label("Wells shown").select_option("ALL")
    page.wait_for_url("**status=ALL**")
    calendar.locator(".fc-event", has_text="JS-P-1: Site survey").wait_for()
    assert page.get_by_label("JS-P-1").is_visible()
    screenshot(page, "timeline-org-calendar")
    assert page.console_errors == []


def test_the_project_map_renders_a_marker_per_located_well(
    page, live_server_url, org_world, project, seeded_well, screenshot
):
    make_well(org_world, project, name="JS-D-1", latitude=46.3, longitude=53.6, status="COMPLETED")
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/projects/{project.project_id}/map/")
    page.locator("#wt-map path.leaflet-interactive").first.wait_for()
    expect(page.locator("#wt-map path.leaflet-interactive")).to_have_count(2)
    assert page.locator("#wt-map").get_attribute("data-markers") == "2"
    screenshot(page, "timeline-map")
    assert page.console_errors == []


def test_the_dashboard_shows_the_counts_and_its_sections(
    page, live_server_url, org_world, project, seeded_well, screenshot
):
    make_well(org_world, project, name="JS-E-1", status="COMPLETED")
    planning = make_well(org_world, project, name="JS-F-1", status="PLANNING")
    next_week = (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%dT00:00")
    services.stage_create(
        actor=actor_for(org_world.users["EDITOR"]),
        well=planning,
        name="Conductor pipe",
        stage_type="DRILLING",
        start=next_week,
    )
    make_project(org_world, name="Kashagan")
    _sign_in(page, live_server_url, org_world.users["VIEWER"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/")
    assert page.get_by_test_id("count-projects").inner_text() == "2"
    assert page.get_by_test_id("count-project-ACTIVE").inner_text() == "2 active"
    assert page.get_by_test_id("count-DRILLING").inner_text() == "1"
    assert page.get_by_test_id("count-COMPLETED").inner_text() == "1"
    drilling = page.get_by_test_id("drilling-wells")
    drilling.wait_for()
    assert "JS-C-3" in drilling.inner_text() and "Now: Surface hole" in drilling.inner_text()
    assert "Conductor pipe on JS-F-1" in page.get_by_test_id("upcoming-stages").inner_text()
    page.get_by_test_id("dashboard-activity").wait_for()
    page.get_by_test_id("dashboard-files").wait_for()
    assert page.get_by_text("Loading").count() == 0
    screenshot(page, "timeline-dashboard")
    assert page.console_errors == []
