"""The reads: the window query (edges, long ranges, cost), dates in the well's zone, lists."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from pynamodb.signals import pre_dynamodb_send

from wells import selectors, services
from wells.models import Event, Well
from wells.testing import actor_for, make_well
from wells.times import date_key, local_day_window, to_iso
from welltrack.dynamodb import counting_requests
from welltrack.errors import Conflict, ValidationFailed

UTC = UTC


def editor(org_world):
    return actor_for(org_world.users["EDITOR"])


def add(org_world, well, title, start, end=None, **kwargs):
    """An event through the service, with a fresh copy of the well (its longest range may have grown)."""
    return services.event_create(
        actor=editor(org_world),
        well=Well.get(well.well_id),
        event_type="ACTIVITY",
        title=title,
        start=start,
        end=end,
        **kwargs,
    )


def window(well, start, end, **kwargs):
    items, _ = selectors.events_in_window(well=Well.get(well.well_id), start=start, end=end, **kwargs)
    return [e.title for e in items]


@pytest.fixture
def utc_well(org_world, project):
    return make_well(org_world, project, name=f"UTC-{uuid.uuid4().hex[:6]}", time_zone="UTC")


# --- the window query -----------------------------------------------------------------------


def test_window_returns_before_inside_spanning_and_after_correctly(org_world, utc_well):
    add(org_world, utc_well, "Instant before", "2026-05-09T23:59:59Z")
    add(org_world, utc_well, "Range ended before", "2026-05-08T00:00Z", "2026-05-09T12:00Z")
    add(org_world, utc_well, "Spanning the whole window", "2026-05-09T00:00Z", "2026-05-12T00:00Z")
    add(org_world, utc_well, "Range into the window", "2026-05-09T20:00Z", "2026-05-10T02:00Z")
    add(org_world, utc_well, "Inside", "2026-05-10T09:00Z")
    add(org_world, utc_well, "Range out of the window", "2026-05-10T22:00Z", "2026-05-11T03:00Z")
    add(org_world, utc_well, "After", "2026-05-11T00:00Z")
    titles = window(utc_well, datetime(2026, 5, 10, tzinfo=UTC), datetime(2026, 5, 11, tzinfo=UTC))
    assert titles == ["Spanning the whole window", "Range into the window", "Inside", "Range out of the window"]


def test_window_is_half_open_at_both_edges(org_world, utc_well):
    add(org_world, utc_well, "Ends exactly at the start", "2026-05-09T00:00Z", "2026-05-10T00:00Z")
    add(org_world, utc_well, "Starts exactly at the start", "2026-05-10T00:00Z")
    add(org_world, utc_well, "Starts exactly at the end", "2026-05-11T00:00Z")
    assert window(utc_well, datetime(2026, 5, 10, tzinfo=UTC), datetime(2026, 5, 11, tzinfo=UTC)) == [
        "Starts exactly at the start"
    ]


def test_a_range_that_began_weeks_earlier_is_found_without_reading_older_history(org_world, utc_well):
    add(org_world, utc_well, "Old instant", "2026-01-02T00:00Z")
    add(org_world, utc_well, "Three-week stage", "2026-02-01T00:00Z", "2026-02-22T00:00Z")
    add(org_world, utc_well, "Short job", "2026-02-03T00:00Z", "2026-02-03T05:00Z")
    assert Well.get(utc_well.well_id).longest_event_seconds == 21 * 86400
    assert window(utc_well, datetime(2026, 2, 20, tzinfo=UTC), datetime(2026, 2, 21, tzinfo=UTC)) == [
        "Three-week stage"
    ]


def test_longest_event_only_grows_even_from_a_stale_copy_of_the_well(org_world, utc_well):
    stale = Well.get(utc_well.well_id)
    add(org_world, utc_well, "Ten days", "2026-03-01T00:00Z", "2026-03-11T00:00Z")
    services.event_create(
        actor=editor(org_world),
        well=stale,
        event_type="ACTIVITY",
        title="Two days",
        start="2026-03-20T00:00Z",
        end="2026-03-22T00:00Z",
    )
    assert Well.get(utc_well.well_id).longest_event_seconds == 10 * 86400
    assert window(utc_well, datetime(2026, 3, 10, tzinfo=UTC), datetime(2026, 3, 10, 1, tzinfo=UTC)) == ["Ten days"]


def test_shortening_the_longest_range_shrinks_the_reach_back_and_the_others_stay_reachable(org_world, utc_well):
    long_one = add(org_world, utc_well, "Long", "2026-04-01T00:00Z", "2026-04-10T00:00Z")
    add(org_world, utc_well, "Five days", "2026-04-20T00:00Z", "2026-04-25T00:00Z")
    services.event_update(
        actor=editor(org_world),
        event=Event.get(long_one.event_id),
        well=Well.get(utc_well.well_id),
        version=long_one.version,
        keep_stage=True,
        end="2026-04-01T01:00Z",
    )
    assert Well.get(utc_well.well_id).longest_event_seconds == 5 * 86400
    assert window(utc_well, datetime(2026, 4, 24, tzinfo=UTC), datetime(2026, 4, 24, 1, tzinfo=UTC)) == ["Five days"]


def test_deleting_the_longest_range_shrinks_the_reach_back_to_the_next_longest(org_world, utc_well):
    mistake = add(org_world, utc_well, "Typo", "2026-04-01T00:00Z", "2027-04-01T00:00Z")
    add(org_world, utc_well, "Three days", "2026-05-01T00:00Z", "2026-05-04T00:00Z")
    add(org_world, utc_well, "One day", "2026-05-10T00:00Z", "2026-05-11T00:00Z")
    assert Well.get(utc_well.well_id).longest_event_seconds == 365 * 86400
    services.event_delete(actor=editor(org_world), event=Event.get(mistake.event_id), well=Well.get(utc_well.well_id))
    assert Well.get(utc_well.well_id).longest_event_seconds == 3 * 86400
    assert window(utc_well, datetime(2026, 5, 3, tzinfo=UTC), datetime(2026, 5, 3, 1, tzinfo=UTC)) == ["Three days"]


def test_deleting_the_only_range_leaves_no_reach_back(org_world, utc_well):
    only = add(org_world, utc_well, "Only", "2026-04-01T00:00Z", "2026-04-03T00:00Z")
    add(org_world, utc_well, "Instant", "2026-04-05T00:00Z")
    services.event_delete(actor=editor(org_world), event=Event.get(only.event_id))  # the well read by the service
    assert Well.get(utc_well.well_id).longest_event_seconds == 0


def test_deleting_a_range_shorter_than_the_longest_reads_no_ranges(org_world, utc_well):
    add(org_world, utc_well, "Long", "2026-04-01T00:00Z", "2026-04-10T00:00Z")
    short = add(org_world, utc_well, "Short", "2026-04-20T00:00Z", "2026-04-21T00:00Z")
    event, well, sent = Event.get(short.event_id), Well.get(utc_well.well_id), []

    def record(sender, operation_name, table_name, req_uuid, **kwargs):
        sent.append(operation_name)

    pre_dynamodb_send.connect(record)
    try:
        services.event_delete(actor=editor(org_world), event=event, well=well)
    finally:
        pre_dynamodb_send.disconnect(record)
    assert sent == ["TransactWriteItems"]
    assert Well.get(utc_well.well_id).longest_event_seconds == 9 * 86400


def test_deleting_a_stage_with_its_longest_range_shrinks_the_reach_back(org_world, utc_well):
    stage = services.stage_create(actor=editor(org_world), well=utc_well, name="Drill", stage_type="DRILLING")
    add(org_world, utc_well, "Long, on the stage", "2026-04-01T00:00Z", "2026-04-20T00:00Z", stage=stage)
    add(org_world, utc_well, "Two days, off it", "2026-05-01T00:00Z", "2026-05-03T00:00Z")
    services.stage_delete(actor=editor(org_world), stage=stage, events="delete")
    assert Well.get(utc_well.well_id).longest_event_seconds == 2 * 86400


def test_a_longer_range_recorded_while_the_longest_is_deleted_is_never_lost(org_world, utc_well):
    ten_days = add(org_world, utc_well, "Ten days", "2026-04-01T00:00Z", "2026-04-11T00:00Z")
    opened = Well.get(utc_well.well_id)  # the delete's copy: longest 10 days
    add(org_world, utc_well, "Twenty days", "2026-05-01T00:00Z", "2026-05-21T00:00Z")
    services.event_delete(actor=editor(org_world), event=Event.get(ten_days.event_id), well=opened)
    assert Well.get(utc_well.well_id).longest_event_seconds == 20 * 86400


def test_a_range_is_refused_while_the_reach_back_is_shorter_than_it(org_world, utc_well):
    """A well copy that says the reach-back is long enough when a shrink has since made it shorter
    (the range's raise skipped, the shrink in between): the range's transaction checks the well
    and refuses it rather than store a range the window query could not reach."""
    stale = Well.get(utc_well.well_id)
    stale.longest_event_seconds = 30 * 86400
    with pytest.raises(Conflict):
        services.event_create(
            actor=editor(org_world),
            well=stale,
            event_type="ACTIVITY",
            title="Ten days",
            start="2026-04-01T00:00Z",
            end="2026-04-11T00:00Z",
        )
    assert window(utc_well, datetime(2026, 4, 5, tzinfo=UTC), datetime(2026, 4, 6, tzinfo=UTC)) == []


def test_a_well_with_a_range_from_before_the_span_rule_answers_and_heals_when_it_is_deleted(org_world, utc_well):
    """A range ending in year 9999 (stored before times were bounded): the reach-back stops at the
    first representable moment instead of overflowing, and deleting the range shrinks it."""
    add(org_world, utc_well, "Two days", "2026-04-01T00:00Z", "2026-04-03T00:00Z")
    absurd = add(org_world, utc_well, "Typo", "2026-04-10T00:00Z", "2026-04-11T00:00Z")
    Event.get(absurd.event_id).update(actions=[Event.end_time.set("9999-04-11T00:00:00Z")], add_version_condition=False)
    seconds = int((datetime(9999, 4, 11, tzinfo=UTC) - datetime(2026, 4, 10, tzinfo=UTC)).total_seconds())
    Well.get(utc_well.well_id).update(actions=[Well.longest_event_seconds.set(seconds)], add_version_condition=False)
    assert window(utc_well, datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 5, 2, tzinfo=UTC)) == ["Typo"]
    services.event_delete(actor=editor(org_world), event=Event.get(absurd.event_id))
    assert Well.get(utc_well.well_id).longest_event_seconds == 2 * 86400


def test_recording_a_range_does_not_make_an_open_edit_of_the_well_stale(org_world, utc_well):
    opened = Well.get(utc_well.well_id)
    add(org_world, utc_well, "Long", "2026-04-01T00:00Z", "2026-04-10T00:00Z")
    assert Well.get(utc_well.well_id).version == opened.version


def test_window_pages_with_a_signed_cursor(org_world, utc_well):
    for hour in range(5):
        add(org_world, utc_well, f"E{hour}", f"2026-06-01T0{hour}:00Z")
    start, end = datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC)
    well = Well.get(utc_well.well_id)
    first, cursor = selectors.events_in_window(well=well, start=start, end=end, limit=3)
    second, last = selectors.events_in_window(well=well, start=start, end=end, cursor=cursor, limit=3)
    assert [e.title for e in first + second] == ["E0", "E1", "E2", "E3", "E4"] and last is None
    with pytest.raises(ValidationFailed):
        selectors.events_in_window(well=well, start=start, end=end, cursor=cursor[:-2] + "xx")


def _history(well: Well, count: int, before: datetime) -> None:
    """``count`` instants, one an hour, ending a year before ``before``, written straight to the table."""
    now = datetime.now(UTC)
    with Event.batch_write() as batch:
        for n in range(count):
            start = before - timedelta(days=365, hours=n)
            batch.save(
                Event(
                    str(uuid.uuid4()),
                    well_id=well.well_id,
                    org_id=well.org_id,
                    event_type="NOTE",
                    title=f"History {n}",
                    start_time=to_iso(start),
                    date_key=date_key(well.well_id, start, "UTC"),
                    created_at=now,
                    updated_at=now,
                    created_by="test",
                    updated_by="test",
                )
            )


def _window_cost(well: Well, start: datetime, end: datetime) -> tuple[int, float, list[str]]:
    sent = []

    def record(sender, operation_name, table_name, req_uuid, **kwargs):
        sent.append(operation_name)

    fresh = Well.get(well.well_id)
    pre_dynamodb_send.connect(record)
    try:
        with counting_requests() as counter:
            items, _ = selectors.events_in_window(well=fresh, start=start, end=end)
    finally:
        pre_dynamodb_send.disconnect(record)
    assert sent == ["Query"] * len(sent)
    return len(sent), counter["capacity"], [e.title for e in items]


def test_window_cost_does_not_grow_with_history_outside_the_window(org_world, project):
    start, end = datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 7, 8, tzinfo=UTC)
    costs = {}
    for history in (10, 2000):
        well = make_well(org_world, project, name=f"Hist-{history}-{uuid.uuid4().hex[:4]}", time_zone="UTC")
        add(org_world, well, "Rig move", "2026-06-28T00:00Z", "2026-07-02T00:00Z")  # longest: 4 days
        add(org_world, well, "Spud", "2026-07-03T06:00Z")
        add(org_world, well, "Logging", "2026-07-05T10:00Z", "2026-07-05T16:00Z")
        _history(well, history, start)
        assert Event.well_events_index.count(well.well_id) == history + 3
        costs[history] = _window_cost(well, start, end)
    assert costs[10] == costs[2000]
    requests, capacity, titles = costs[2000]
    # one Query for the window, one for the ranges that began before it
    assert requests == 2 and titles == ["Rig move", "Spud", "Logging"]


def _ranges(well: Well, starts: list[datetime], length: timedelta, prefix: str) -> None:
    """Range events of ``length`` starting at ``starts``, written straight to the table (as the
    service would: with ``rangeWellId``, so they are in RangeEventsIndex)."""
    now = datetime.now(UTC)
    with Event.batch_write() as batch:
        for n, start in enumerate(starts):
            batch.save(
                Event(
                    str(uuid.uuid4()),
                    well_id=well.well_id,
                    org_id=well.org_id,
                    event_type="ACTIVITY",
                    title=f"{prefix} {n:03d}",
                    start_time=to_iso(start),
                    end_time=to_iso(start + length),
                    range_well_id=well.well_id,
                    date_key=date_key(well.well_id, start, "UTC"),
                    created_at=now,
                    updated_at=now,
                    created_by="test",
                    updated_by="test",
                    version=1,
                )
            )


def test_long_ranges_that_ended_before_the_reach_back_period_are_never_read(org_world, project):
    """Many ten-day ranges of the past cost nothing: only those begun within ``longest`` before
    the window are in the Query's key range."""
    start, end = datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 9, 2, tzinfo=UTC)
    costs = {}
    for history in (5, 400):
        well = make_well(org_world, project, name=f"Ranges-{history}-{uuid.uuid4().hex[:4]}", time_zone="UTC")
        add(org_world, well, "Ten-day job", "2026-08-25T00:00Z", "2026-09-04T00:00Z")  # longest: 10 days
        _ranges(well, [start - timedelta(days=30 + n) for n in range(history)], timedelta(days=10), "Old job")
        costs[history] = _window_cost(well, start, end)
    assert costs[5] == costs[400]
    assert costs[400][0] == 2 and costs[400][2] == ["Ten-day job"]


def test_many_ranges_running_into_the_window_come_in_pages_of_the_limit(org_world, utc_well):
    """120 ten-day ranges begun in the five days before the window all overlap it: they come
    ``limit`` at a time, each page in at most two Queries, each event once, in order."""
    start, end = datetime(2026, 10, 10, tzinfo=UTC), datetime(2026, 10, 11, tzinfo=UTC)
    add(org_world, utc_well, "Longest", "2026-09-01T00:00Z", "2026-09-11T00:00Z")  # longest: 10 days
    _ranges(utc_well, [start - timedelta(days=5) + timedelta(hours=n) for n in range(120)], timedelta(days=10), "Long")
    _ranges(utc_well, [start - timedelta(days=3) + timedelta(minutes=30)], timedelta(hours=1), "Short")  # ended before
    add(org_world, utc_well, "Inside", "2026-10-10T12:00Z")
    well, cursor, pages = Well.get(utc_well.well_id), None, []
    while True:
        with counting_requests() as counter:
            items, cursor = selectors.events_in_window(well=well, start=start, end=end, cursor=cursor, limit=50)
        pages.append(([e.title for e in items], counter["requests"]))
        if cursor is None:
            break
    titles = [title for page, _ in pages for title in page]
    assert titles == [f"Long {n:03d}" for n in range(120)] + ["Inside"]
    assert all(len(page) <= 50 and requests <= 2 for page, requests in pages)
    assert len(pages) == 3


def test_a_window_with_an_earlier_range_pages_through_both_queries_and_refuses_a_tampered_cursor(org_world, utc_well):
    add(org_world, utc_well, "Long", "2026-11-01T00:00Z", "2026-11-03T00:00Z")
    for hour in range(3):
        add(org_world, utc_well, f"E{hour}", f"2026-11-02T0{hour}:00Z")
    well = Well.get(utc_well.well_id)
    start, end = datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC)
    first, cursor = selectors.events_in_window(well=well, start=start, end=end, limit=2)
    titles, following = [e.title for e in first], cursor
    while following:
        page, following = selectors.events_in_window(well=well, start=start, end=end, cursor=following, limit=2)
        titles += [e.title for e in page]
    assert titles == ["Long", "E0", "E1", "E2"]
    with pytest.raises(ValidationFailed):
        selectors.events_in_window(well=well, start=start, end=end, cursor=cursor[:-3] + "abc")


# --- dates and zones ------------------------------------------------------------------------


def test_events_of_a_date_include_ranges_that_began_on_an_earlier_day(org_world, well):
    add(org_world, well, "Waiting on weather", "2026-03-02T00:00", "2026-03-05T12:00")
    add(org_world, well, "Casing run", "2026-03-04T09:30")
    day = date(2026, 3, 4)
    on_date, _ = selectors.events_on_date(well=Well.get(well.well_id), day=day)
    starting, _ = selectors.events_starting_on(well=Well.get(well.well_id), day=day)
    assert [e.title for e in on_date] == ["Waiting on weather", "Casing run"]
    assert [e.title for e in starting] == ["Casing run"]


def test_a_late_evening_event_belongs_to_the_wells_local_date_not_the_utc_one(org_world, project):
    well = make_well(org_world, project, name=f"Chi-{uuid.uuid4().hex[:4]}", time_zone="America/Chicago")
    event = add(org_world, well, "Late evening", "2026-07-01T22:30")  # 03:30Z on 2 July
    assert event.start_time == "2026-07-02T03:30:00Z"
    assert event.date_key == f"{well.well_id}#2026-07-01"
    assert [e.title for e in selectors.events_on_date(well=well, day=date(2026, 7, 1))[0]] == ["Late evening"]
    assert selectors.events_on_date(well=well, day=date(2026, 7, 2))[0] == []


def test_the_london_clock_change_day_is_23_hours_and_keeps_its_events(org_world, project):
    well = make_well(org_world, project, name=f"Ldn-{uuid.uuid4().hex[:4]}", time_zone="Europe/London")
    add(org_world, well, "Just after midnight", "2026-03-29T00:30")  # GMT
    add(org_world, well, "After the change", "2026-03-29T02:30")  # BST
    add(org_world, well, "Last minute", "2026-03-29T23:59")
    add(org_world, well, "Next day", "2026-03-30T00:00")
    start, end = local_day_window(date(2026, 3, 29), "Europe/London")
    assert (start.isoformat(), end - start) == ("2026-03-29T00:00:00+00:00", timedelta(hours=23))
    events, _ = selectors.events_on_date(well=Well.get(well.well_id), day=date(2026, 3, 29))
    assert [(e.title, e.start_time) for e in events] == [
        ("Just after midnight", "2026-03-29T00:30:00Z"),
        ("After the change", "2026-03-29T01:30:00Z"),
        ("Last minute", "2026-03-29T22:59:00Z"),
    ]


def test_the_autumn_clock_change_day_is_25_hours(org_world, project):
    well = make_well(org_world, project, name=f"Ldn-{uuid.uuid4().hex[:4]}", time_zone="Europe/London")
    add(org_world, well, "Late", "2026-10-25T23:30")  # GMT again: 23:30Z
    start, end = local_day_window(date(2026, 10, 25), "Europe/London")
    assert end - start == timedelta(hours=25)
    events, _ = selectors.events_on_date(well=Well.get(well.well_id), day=date(2026, 10, 25))
    assert [e.start_time for e in events] == ["2026-10-25T23:30:00Z"]


# --- lists ----------------------------------------------------------------------------------


def test_events_of_a_stage_come_from_its_index_and_page(org_world, well):
    stage = services.stage_create(actor=editor(org_world), well=well, name="Drilling", stage_type="DRILLING")
    for n in range(3):
        add(org_world, well, f"S{n}", f"2026-08-0{n + 1}T08:00", stage=stage)
    add(org_world, well, "Not on the stage", "2026-08-02T09:00")
    first, cursor = selectors.stage_events(stage_id=stage.stage_id, limit=2)
    rest, _ = selectors.stage_events(stage_id=stage.stage_id, cursor=cursor, limit=2)
    assert [e.title for e in first + rest] == ["S0", "S1", "S2"]


def test_projects_are_listed_newest_first_with_their_counts(org_world):
    from wells.testing import make_project

    older = make_project(org_world, name="Older")
    newer = make_project(org_world, name="Newer")
    make_well(org_world, newer, name="N-1", status="DRILLING")
    projects, _ = selectors.project_list(org_id=org_world.org.org_id)
    names = [p.name for p in projects]
    assert names.index("Newer") < names.index("Older")
    counts = next(p for p in projects if p.project_id == newer.project_id).well_counts
    assert counts["DRILLING"] == 1
    assert older.project_id in {p.project_id for p in projects}


def test_well_search_matches_a_name_prefix_within_the_org_only(org_world, project):
    tag = uuid.uuid4().hex[:6].upper()
    make_well(org_world, project, name=f"{tag}-A-1")
    make_well(org_world, project, name=f"{tag}-B-2")
    make_well(org_world, project, name=f"X{tag}")
    wells, _ = selectors.well_search(org_id=org_world.org.org_id, prefix=f"{tag}-A")
    assert [w.name for w in wells] == [f"{tag}-A-1"]
    assert selectors.well_search(org_id=org_world.other_org.org_id, prefix=tag)[0] == []


def test_an_object_of_another_org_reads_as_not_found(org_world, well):
    from welltrack.errors import NotFound

    with pytest.raises(NotFound):
        selectors.well_get(well_id=well.well_id, org_id=org_world.other_org.org_id)


def test_events_read_for_showing_carry_their_organization_and_cannot_be_written_back(org_world, project):
    well = make_well(org_world, project, name="Shown-1", time_zone="UTC")
    add(org_world, well, "Long job", "2026-06-01T00:00", "2026-06-20T00:00")
    add(org_world, well, "Inside", "2026-06-10T09:00")
    shown, _ = selectors.events_on_date(well=Well.get(well.well_id), day=date(2026, 6, 10))
    assert [e.title for e in shown] == ["Long job", "Inside"]
    assert {e.org_id for e in shown} == {org_world.org.org_id}
    stored = Event.get(shown[1].event_id)
    assert shown[1].description == stored.description and shown[1].created_by == stored.created_by
    shown[1].title = "Overwritten"
    with pytest.raises(ValueError):
        shown[1].save()  # leaves out the index keys: refused before anything is sent
    assert Event.get(shown[1].event_id).title == "Inside"
