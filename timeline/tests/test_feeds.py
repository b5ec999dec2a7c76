"""The well feed: window edges, zones and DST, filters, shapes, links, paging and its cap, and
that it answers what GET /api/events answers for the same window."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from timeline import feeds
from timeline.tests.helpers import add, bulk_instants, events_of, get_feed, stage, titles
from wells.models import Event, Stage, Well
from wells.testing import make_well
from welltrack.testing import sign_in

UTC = UTC


@pytest.fixture
def chicago_well(org_world, project):
    return make_well(org_world, project, name="Permian-7", time_zone="America/Chicago")


@pytest.fixture
def viewer(org_world):
    client = Client()
    sign_in(client, org_world.users["VIEWER"])
    return client


def feed(client, well, start, end, **params):
    return get_feed(client, f"/api/wells/{well.well_id}/calendar", start, end, **params).json()


def test_window_edges_and_ranges_that_began_before(org_world, chicago_well, viewer):
    add(org_world, chicago_well, "Six-day wait on weather", "2026-02-24T08:00", "2026-03-02T08:00")
    add(org_world, chicago_well, "Ends at window start", "2026-02-27T00:00", "2026-03-01T00:00")
    add(org_world, chicago_well, "At window start", "2026-03-01T00:00")
    add(org_world, chicago_well, "At window end", "2026-03-08T00:00")
    items = feed(viewer, chicago_well, "2026-03-01T00:00:00", "2026-03-08T00:00:00")
    assert titles(items) == ["Six-day wait on weather", "At window start"]
    wait = items[0]
    assert (wait["start"], wait["end"]) == ("2026-02-24T08:00:00", "2026-03-02T08:00:00")
    assert wait["extendedProps"]["isRange"] is True and wait["allDay"] is False


def test_times_follow_the_well_zone_across_the_dst_change(org_world, chicago_well, viewer):
    add(org_world, chicago_well, "Before DST", "2026-03-07T09:00")
    add(org_world, chicago_well, "After DST", "2026-03-09T09:00")
    well_time = feed(viewer, chicago_well, "2026-03-07T00:00", "2026-03-10T00:00")
    assert [i["start"] for i in events_of(well_time)] == ["2026-03-07T09:00:00", "2026-03-09T09:00:00"]
    utc = feed(viewer, chicago_well, "2026-03-07T00:00", "2026-03-10T00:00", timeZone="UTC")
    assert [i["start"] for i in events_of(utc)] == ["2026-03-07T15:00:00", "2026-03-09T14:00:00"]


def test_a_day_window_on_the_spring_forward_day_is_23_hours_of_wall_clock(org_world, chicago_well, viewer):
    # 8 March 2026 in Chicago runs from 06:00Z to 05:00Z next day; with a fixed offset the
    # window would end at 06:00Z and take in the first hour of the 9th.
    add(org_world, chicago_well, "Late on the 8th", "2026-03-08T23:30")
    add(org_world, chicago_well, "Just after midnight", "2026-03-09T00:30")
    add(org_world, chicago_well, "Last of the 7th", "2026-03-07T23:30")
    assert titles(feed(viewer, chicago_well, "2026-03-08", "2026-03-09")) == ["Late on the 8th"]
    assert titles(feed(viewer, chicago_well, "2026-03-09", "2026-03-10")) == ["Just after midnight"]


def test_a_window_starting_at_a_midnight_the_clocks_skip_still_answers(org_world, project, viewer):
    # Cairo moves its clocks from 00:00 to 01:00 on the last Friday of April (24 April 2026).
    cairo = make_well(org_world, project, name="Zohr-4", time_zone="Africa/Cairo")
    add(org_world, cairo, "Morning call", "2026-04-24T01:30")
    add(org_world, cairo, "The evening before", "2026-04-23T23:30")
    assert titles(feed(viewer, cairo, "2026-04-24T00:00:00", "2026-04-25T00:00:00")) == ["Morning call"]


def test_an_offset_in_the_window_is_that_instant_like_api_events(org_world, chicago_well, viewer):
    add(org_world, chicago_well, "At 09:00 Chicago", "2026-03-04T09:00")  # 15:00Z
    assert titles(feed(viewer, chicago_well, "2026-03-04T15:00:00Z", "2026-03-04T16:00:00Z")) == ["At 09:00 Chicago"]
    assert titles(feed(viewer, chicago_well, "2026-03-04T09:00:00Z", "2026-03-04T10:00:00Z")) == []
    assert titles(feed(viewer, chicago_well, "2026-03-04T10:00:00+01:00", "2026-03-04T11:00:00%2B01:00")) == []


@pytest.mark.parametrize(
    "start, end",
    [
        ("2026-03-01T00:00:00Z", "2026-03-08T00:00:00Z"),
        ("2026-03-01T00:00", "2026-03-08T00:00"),
        ("2026-03-04T10:00:00-06:00", "2026-03-05T02:00:00Z"),
    ],
)
def test_the_feed_and_api_events_answer_the_same_events_for_a_window(org_world, chicago_well, viewer, start, end):
    add(org_world, chicago_well, "Long wait", "2026-02-20T00:00", "2026-03-02T06:00")
    add(org_world, chicago_well, "Edge instant", "2026-02-28T18:30")  # 2026-03-01T00:30Z
    add(org_world, chicago_well, "Midweek", "2026-03-04T11:00")
    add(org_world, chicago_well, "Evening", "2026-03-04T19:00")
    add(org_world, chicago_well, "Late", "2026-03-07T20:00")  # 2026-03-08T02:00Z
    from_api = viewer.get("/api/events", {"wellId": chicago_well.well_id, "start": start, "end": end}).json()["items"]
    from_feed = feed(viewer, chicago_well, start.replace("+", "%2B"), end.replace("+", "%2B"))
    assert from_api, "the window holds events"
    assert sorted(e["eventId"] for e in from_api) == sorted(i["id"] for i in events_of(from_feed))


def test_stages_are_spans_titled_with_the_stage_name(org_world, chicago_well, viewer):
    stage(org_world, chicago_well, "Drilling 8½ in", start="2026-02-10T00:00", end="2026-03-03T12:00")
    items = feed(viewer, chicago_well, "2026-03-01T00:00", "2026-03-08T00:00")
    span = next(i for i in items if i["extendedProps"]["kind"] == "stage")
    assert span["title"] == "Drilling 8½ in" and span["allDay"] is True and span["display"] == "block"
    assert (span["start"], span["end"]) == ("2026-02-10", "2026-03-04")


def test_stages_0_leaves_the_stages_out_and_keeps_the_events(org_world, chicago_well, viewer):
    surface = stage(org_world, chicago_well, "Surface hole", start="2026-03-01T00:00", end="2026-03-05T00:00")
    add(org_world, chicago_well, "On the stage", "2026-03-02T10:00", stage=surface)
    items = feed(viewer, chicago_well, "2026-03-01", "2026-03-08", stages="0")
    assert [i["extendedProps"]["kind"] for i in items] == ["event"]
    assert titles(items) == ["On the stage"]
    assert any(i["extendedProps"]["kind"] == "stage" for i in feed(viewer, chicago_well, "2026-03-01", "2026-03-08"))


def test_filters_by_type_and_stage(org_world, chicago_well, viewer):
    testing = stage(org_world, chicago_well, "Testing", stage_type="TESTING")
    add(org_world, chicago_well, "On stage", "2026-04-02T10:00", stage=testing, kind="NOTE")
    add(org_world, chicago_well, "Off stage", "2026-04-02T11:00", kind="ACTIVITY")
    window = ("2026-04-01T00:00", "2026-04-05T00:00")
    assert titles(feed(viewer, chicago_well, *window, type="NOTE")) == ["On stage"]
    assert titles(feed(viewer, chicago_well, *window, stage=testing.stage_id)) == ["On stage"]
    assert titles(feed(viewer, chicago_well, *window, stageType="TESTING")) == ["On stage"]
    assert titles(feed(viewer, chicago_well, *window, stageType="DRILLING")) == []


def test_bad_filters_and_windows_are_refused_naming_the_field(chicago_well, viewer):
    url = f"/api/wells/{chicago_well.well_id}/calendar"
    cases = {
        "type": {"type": "PARTY"},
        "stageType": {"stageType": "DANCING"},
        "stages": {"stages": "x"},
        "timeZone": {"timeZone": "Mars/Olympus"},
        "start": {"start": "yesterday"},
        "end": {"end": "2026-01-01"},
    }
    for field, params in cases.items():
        query = {"start": "2026-03-01", "end": "2026-03-08", **params}
        response = viewer.get(url, query)
        assert response.status_code == 422, (field, response.content)
        assert field in response.content.decode(), field
    too_long = viewer.get(url, {"start": "2026-01-01", "end": "2026-04-01"})
    assert too_long.status_code == 422 and "62 days" in too_long.content.decode()


def test_instants_and_ranges_have_different_shapes(org_world, chicago_well, viewer):
    add(org_world, chicago_well, "Spud", "2026-03-04T09:00")
    add(org_world, chicago_well, "Stand-down", "2026-03-04T14:00", "2026-03-04T16:00")
    items = {i["title"]: i for i in feed(viewer, chicago_well, "2026-03-01", "2026-03-08")}
    assert (items["Spud"]["display"], items["Spud"]["classNames"]) == ("list-item", ["wt-instant"])
    assert (items["Stand-down"]["display"], items["Stand-down"]["classNames"]) == ("block", ["wt-range"])


def test_the_tooltip_names_the_time_and_zone(org_world, chicago_well, viewer):
    add(org_world, chicago_well, "Spud", "2026-03-04T09:00")
    item = events_of(feed(viewer, chicago_well, "2026-03-01", "2026-03-08"))[0]
    assert item["extendedProps"]["tooltip"] == "Spud (activity) — Permian-7, Wed 4 Mar 09:00 (America/Chicago)"
    in_utc = events_of(feed(viewer, chicago_well, "2026-03-01", "2026-03-08", timeZone="UTC"))[0]
    assert in_utc["extendedProps"]["tooltip"].endswith("Wed 4 Mar 15:00 (UTC)")


def test_viewer_cannot_drag_and_editor_can(org_world, chicago_well, viewer):
    add(org_world, chicago_well, "Movable", "2026-05-02T10:00")
    item = [i for i in feed(viewer, chicago_well, "2026-05-01T00:00", "2026-05-05T00:00") if i["title"] == "Movable"][0]
    assert item["editable"] is False and item["extendedProps"]["rescheduleUrl"] is None
    editor = Client()
    sign_in(editor, org_world.users["EDITOR"])
    item = [i for i in feed(editor, chicago_well, "2026-05-01T00:00", "2026-05-05T00:00") if i["title"] == "Movable"][0]
    response = editor.post(
        item["extendedProps"]["rescheduleUrl"],
        {
            "start": "2026-05-03T14:00:00",
            "end": "",
            "time_zone": "America/Chicago",
            "version": item["extendedProps"]["version"],
        },
    )
    assert response.status_code == 200, response.content
    moved = [i for i in feed(editor, chicago_well, "2026-05-01T00:00", "2026-05-05T00:00") if i["title"] == "Movable"][
        0
    ]
    assert moved["start"] == "2026-05-03T14:00:00"
    stale = editor.post(
        item["extendedProps"]["rescheduleUrl"],
        {"start": "2026-05-04T14:00:00", "time_zone": "America/Chicago", "version": item["extendedProps"]["version"]},
    )
    assert stale.status_code == 409 and "changed by someone else" in stale.json()["detail"]


def test_outsider_gets_404_for_the_feed(org_world, chicago_well):
    outsider = Client()
    sign_in(outsider, org_world.outsider)
    response = outsider.get(f"/api/wells/{chicago_well.well_id}/calendar?start=2026-03-01&end=2026-03-08")
    assert response.status_code == 404


# --- busy windows -----------------------------------------------------------------------------


def test_a_month_with_more_events_than_one_page_is_answered_whole(org_world, project, viewer):
    busy = make_well(org_world, project, name="Busy-1", time_zone="UTC")
    bulk_instants(busy, 1500, first=datetime(2026, 3, 1, tzinfo=UTC), every=timedelta(minutes=29))  # to 30 March
    bulk_instants(busy, 300, first=datetime(2025, 1, 1, tzinfo=UTC), every=timedelta(hours=1), title="Older")
    response = get_feed(viewer, f"/api/wells/{busy.well_id}/calendar", "2026-03-01", "2026-04-01")
    items = response.json()
    assert len(items) == 1500
    assert items[0]["title"] == "Report 0" and items[-1]["title"] == "Report 1499"
    assert "X-Calendar-Shown-Until" not in response


def test_past_the_cap_the_feed_answers_everything_up_to_a_cut_off_and_says_so(org_world, project, viewer, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_MAX_EVENTS", 250)
    monkeypatch.setattr(feeds, "FEED_PAGE", 100)
    busy = make_well(org_world, project, name="Busy-2", time_zone="Asia/Almaty")
    bulk_instants(busy, 400, first=datetime(2026, 3, 1, tzinfo=UTC), every=timedelta(hours=1))
    response = get_feed(viewer, f"/api/wells/{busy.well_id}/calendar", "2026-03-01", "2026-04-01")
    items = response.json()
    # Three pages of 100 were read; the last one read starts at 2026-03-13T11:00Z (16:00 in Almaty).
    assert response["X-Calendar-Shown-Until"] == "2026-03-13T16:00:00"
    assert [i["title"] for i in items] == [f"Report {n}" for n in range(299)]
    assert all(i["start"] < "2026-03-13T16:00:00" for i in items)


# --- links -------------------------------------------------------------------------------------


def test_a_file_upload_event_leads_to_the_file(org_world, well, client_for, local_media):
    from files.tests.helpers import upload

    editor = client_for(org_world.users["EDITOR"])
    uploaded = upload(editor, well, name="ddr-0412.pdf")
    now = datetime.now(UTC)
    items = feed(
        editor,
        well,
        (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    item = next(i for i in items if i["extendedProps"]["type"] == "FILE_UPLOAD")
    file_page = f"/orgs/{org_world.org.org_id}/files/{uploaded['fileId']}/"
    assert item["url"] == file_page and item["extendedProps"]["fileUrl"] == file_page
    page = editor.get(item["url"])
    assert page.status_code == 200 and "ddr-0412.pdf" in page.content.decode()
    assert f"/files/{uploaded['fileId']}/download/" in page.content.decode()


# --- the span of times ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, field",
    [
        ("0001-01-01", "0001-01-08", "start"),  # before year 1 in UTC, from Almaty
        ("9999-12-25T00:00", "9999-12-31T23:00", "start"),
        ("2026-03-01", "9999-12-31T23:59:59-05:00", "end"),
        ("1899-12-25", "1900-01-02", "start"),
    ],
)
def test_a_window_outside_the_span_is_422_naming_the_parameter(org_world, well, viewer, start, end, field):
    for url in (
        f"/api/wells/{well.well_id}/calendar",
        f"/api/orgs/{org_world.org.org_id}/calendar",
    ):
        response = viewer.get(f"{url}?start={start}&end={end}")
        assert response.status_code == 422, (url, response.content)
        assert [d["loc"][-1] for d in response.json()["detail"]] == [field]


def test_a_calendar_drag_outside_the_span_is_refused_naming_the_field(org_world, chicago_well):
    event = add(org_world, chicago_well, "Movable", "2026-05-02T10:00", "2026-05-02T12:00")
    editor = Client()
    sign_in(editor, org_world.users["EDITOR"])
    url = f"/orgs/{org_world.org.org_id}/events/{event.event_id}/reschedule/"
    for start, end, field in [
        ("2199-12-31T17:00:00", "", "endTime"),  # its two hours would end after the span
        ("9999-12-31T22:00:00", "", "startTime"),  # after year 9999 in UTC
        ("9999-12-31T20:00:00", "9999-12-31T21:00:00", "startTime"),
        ("0999-05-03T14:00:00", "", "startTime"),
        ("2026-05-03T14:00:00", "2029-05-03T14:00:00", "endTime"),
    ]:
        response = editor.post(
            url, {"start": start, "end": end, "time_zone": "America/Chicago", "version": event.version}
        )
        assert response.status_code == 422, (start, response.content)
        assert field in response.json()["errors"]
    assert (Event.get(event.event_id).start_time, Event.get(event.event_id).version) == (
        "2026-05-02T15:00:00Z",
        event.version,
    )


def test_a_well_with_a_range_and_a_stage_stored_before_the_span_rule_still_has_a_calendar(
    org_world, project, well, viewer
):
    """A range ending in year 9999 and a stage ending at 9999-12-31T23:00Z, written before times
    were bounded: the calendars of the well, its project and its organization still answer."""
    long_ago = add(org_world, well, "Typo", "2026-03-02T10:00", "2026-03-02T12:00")
    Event.get(long_ago.event_id).update(
        actions=[Event.end_time.set("9999-03-02T07:00:00Z")], add_version_condition=False
    )
    seconds = int((datetime(9999, 3, 2, 7, tzinfo=UTC) - datetime(2026, 3, 2, 5, tzinfo=UTC)).total_seconds())
    Well.get(well.well_id).update(actions=[Well.longest_event_seconds.set(seconds)], add_version_condition=False)
    endless = stage(org_world, well, "Endless", start="2026-03-01T00:00")
    Stage.get(endless.stage_id).update(
        actions=[Stage.end_date.set(datetime(9999, 12, 31, 23, tzinfo=UTC))], add_version_condition=False
    )
    for url, params in (
        (f"/api/wells/{well.well_id}/calendar", {}),
        (f"/api/projects/{project.project_id}/calendar", {}),
        (f"/api/orgs/{org_world.org.org_id}/calendar", {"status": "ALL"}),
    ):
        items = get_feed(viewer, url, "2026-04-01", "2026-04-08", **params).json()
        assert {"Typo", "Endless"} <= {i["title"].split(": ")[-1] for i in items}, url
