"""Reads of the wells area. Every list is a Query on a key or GSI, paginated where it can grow."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Generic, NamedTuple, TypeVar

import django.dispatch

from wells.models import Event, Project, ProjectStatus, Stage, Well, WellLifecycle
from wells.times import from_iso, local_day_window, to_iso
from welltrack.concurrency import in_background
from welltrack.dynamodb import batch_get_consistent
from welltrack.errors import NotFound, ValidationFailed, dynamo_errors
from welltrack.pagination import NOT_VALID, decode_cursor, encode_cursor, list_of, query_all, query_page

PAGE = 50
T = TypeVar("T")

# Asked by a well's delete confirmation what else goes with the well. The files area (which
# owns its table) answers ``{"files": n}``; any receiver returns ``{label: count}``.
well_counting_dependents = django.dispatch.Signal()


# The attributes of a well that shape its event Queries besides its id (the window query's
# reach-back and the local day): a read ahead of them (orgs.reads) is checked against these.
WINDOW_QUERY_SHAPE = ("time_zone", "longest_event_seconds")


def well_is_hidden(well: Well) -> bool:
    """A well whose deletion was interrupted: hidden from everyone but who may finish it."""
    return well.lifecycle == WellLifecycle.DELETED


def project_is_hidden(project: Project) -> bool:
    """A project whose deletion was interrupted: hidden from everyone but who may finish it."""
    return project.status == ProjectStatus.DELETED


def _longest(well: Well) -> int:
    return int(well.longest_event_seconds or 0)


def _get(model, key: str, org_id: str | None):
    item = model.get_or_404(key)
    if org_id is not None and item.org_id != org_id:
        raise NotFound()  # another organization's object looks exactly like a missing one
    return item


def project_get(*, project_id: str, org_id: str | None = None, include_deleting: bool = False) -> Project:
    """A visible project. ``include_deleting`` also answers a project whose deletion was
    interrupted (hidden, status DELETED), so that an admin can finish it; nothing else should see one."""
    project = _get(Project, project_id, org_id)
    if project_is_hidden(project) and not include_deleting:
        raise NotFound()
    return project


def well_get(*, well_id: str, org_id: str | None = None, include_deleting: bool = False) -> Well:
    """A visible well. ``include_deleting`` also answers a well whose deletion was interrupted
    (hidden, lifecycle DELETED), so that an admin can finish it; nothing else should see one."""
    well = _get(Well, well_id, org_id)
    if well_is_hidden(well) and not include_deleting:
        raise NotFound()
    return well


def stage_get(*, stage_id: str, org_id: str | None = None) -> Stage:
    return _get(Stage, stage_id, org_id)


def event_get(*, event_id: str, org_id: str | None = None) -> Event:
    return _get(Event, event_id, org_id)


class PageWithDeleting(NamedTuple, Generic[T]):
    """One page of a list, its items whose deletion was interrupted (hidden) apart."""

    visible: list[T]
    being_deleted: list[T]
    cursor: str | None


def project_list(*, org_id: str, cursor: str | None = None, limit: int = PAGE) -> tuple[list[Project], str | None]:
    """Newest first (OrgProjectsIndex); deleted projects are left out."""
    page = project_list_with_deleting(org_id=org_id, cursor=cursor, limit=limit)
    return page.visible, page.cursor


def project_list_with_deleting(
    *, org_id: str, cursor: str | None = None, limit: int = PAGE
) -> PageWithDeleting[Project]:
    """One page of the org's projects, newest first, from one Query: a project whose deletion was
    interrupted is hidden but still there, and the project list offers its admins to finish the job."""
    with dynamo_errors():
        items, next_cursor = query_page(
            Project.org_projects_index, org_id, limit=limit, cursor=cursor, scan_index_forward=False
        )
    return PageWithDeleting(
        [p for p in items if not project_is_hidden(p)], [p for p in items if project_is_hidden(p)], next_cursor
    )


def project_wells(*, project_id: str, cursor: str | None = None, limit: int = 200) -> tuple[list[Well], str | None]:
    page = project_wells_with_deleting(project_id=project_id, cursor=cursor, limit=limit)
    return page.visible, page.cursor


def project_wells_with_deleting(
    *, project_id: str, cursor: str | None = None, limit: int = 200
) -> PageWithDeleting[Well]:
    """One page of the project's wells from one Query: a well whose deletion was interrupted is
    hidden but still there, and the project page offers its admins to finish the job."""
    with dynamo_errors():
        items, next_cursor = query_page(Well.project_wells_index, project_id, limit=limit, cursor=cursor)
    return PageWithDeleting(
        [w for w in items if not well_is_hidden(w)], [w for w in items if well_is_hidden(w)], next_cursor
    )


def project_wells_all(*, project_id: str) -> list[Well]:
    with dynamo_errors():
        return query_all(Well.project_wells_index, project_id)


def well_search(
    *, org_id: str, prefix: str = "", cursor: str | None = None, limit: int = PAGE
) -> tuple[list[Well], str | None]:
    """Wells of the org whose name starts with ``prefix`` (OrgWellsIndex, begins_with; case-sensitive)."""
    condition = Well.name.startswith(prefix) if prefix else None
    with dynamo_errors():
        items, next_cursor = query_page(
            Well.org_wells_index, org_id, range_key_condition=condition, limit=limit, cursor=cursor
        )
    return [w for w in items if not well_is_hidden(w)], next_cursor


def drilling_wells(*, org_id: str, limit: int = 100) -> list[Well]:
    """The org's wells whose status is DRILLING, by name (sparse OrgDrillingWellsIndex)."""
    with dynamo_errors():
        return [w for w in Well.org_drilling_wells_index.query(org_id, limit=limit) if not well_is_hidden(w)]


def wells_by_ids(*, well_ids, org_id: str) -> list[Well]:
    """The visible wells of the organization among ``well_ids`` (one BatchGetItem per 100 ids);
    an unknown id, a deleted well or another organization's well is left out, not reported."""
    wells, _ = wells_and_projects(well_ids=well_ids, project_ids=(), org_id=org_id)
    return list(wells.values())


def wells_and_projects(*, well_ids, project_ids, org_id: str) -> tuple[dict[str, Well], dict[str, Project]]:
    """Wells and projects of the organization by id, read together (one BatchGetItem per 100);
    unknown, deleted or other organizations' ones are left out."""
    wanted = [(Well, i) for i in sorted(set(well_ids))] + [(Project, i) for i in sorted(set(project_ids))]
    found = [item for start in range(0, len(wanted), 100) for item in batch_get_consistent(wanted[start : start + 100])]
    visible = [item for item in found if item is not None and item.org_id == org_id]
    wells = {w.well_id: w for w in visible if isinstance(w, Well) and not well_is_hidden(w)}
    projects = {p.project_id: p for p in visible if isinstance(p, Project) and not project_is_hidden(p)}
    return wells, projects


def stages_in_progress(*, org_id: str, well_ids) -> list[Stage]:
    """The stages IN_PROGRESS of some of the organization's wells, earliest start first.

    One Query of the org's running stages (OrgStageBoardIndex) filtered on ``well_ids`` (at
    most 100): it reads every stage running in the org — as many as the wells being worked
    on, never their history — and sends back only those of the wells asked for.
    """
    well_ids = sorted(set(well_ids))[:100]
    if not well_ids:
        return []
    with dynamo_errors():
        return list(
            Stage.org_stage_board_index.query(f"{org_id}#IN_PROGRESS", filter_condition=Stage.well_id.is_in(*well_ids))
        )


def stages_planned_from(*, org_id: str, start: datetime, limit: int = 30) -> list[Stage]:
    """The organization's PLANNED stages starting from ``start`` on, soonest first (one Query;
    stages without a start date are not in the range)."""
    with dynamo_errors():
        return list(
            Stage.org_stage_board_index.query(
                f"{org_id}#PLANNED", range_key_condition=Stage.board_sort.between(to_iso(start), "9999"), limit=limit
            )
        )


def stage_list_all(*, well_id: str) -> list[Stage]:
    """The well's stages in order (WellStagesIndex)."""
    with dynamo_errors():
        return query_all(Stage.well_stages_index, well_id)


def stage_list(*, well_id: str, cursor: str | None = None, limit: int = PAGE) -> tuple[list[Stage], str | None]:
    """One page of the well's stages in order (WellStagesIndex), with a signed cursor for the next."""
    with dynamo_errors():
        return query_page(Stage.well_stages_index, well_id, limit=limit, cursor=cursor)


def stage_event_all(*, stage_id: str) -> list[Event]:
    with dynamo_errors():
        return query_all(Event.stage_events_index, stage_id)


def stage_events(*, stage_id: str, cursor: str | None = None, limit: int = PAGE) -> tuple[list[Event], str | None]:
    with dynamo_errors():
        return query_page(Event.stage_events_index, stage_id, limit=limit, cursor=cursor)


def well_event_ids_all(*, well_id: str) -> list[str]:
    with dynamo_errors():
        return [e.event_id for e in Event.well_events_index.query(well_id, attributes_to_get=["eventId"])]


def latest_events(*, well_id: str, limit: int = 10) -> list[Event]:
    with dynamo_errors():
        return list(Event.well_events_index.query(well_id, scan_index_forward=False, limit=limit))


def events_in_window(
    *, well: Well, start: datetime, end: datetime, cursor: str | None = None, limit: int = 500
) -> tuple[list[Event], str | None]:
    """Every event of the well that overlaps ``[start, end)``, chronologically, ``limit`` at most a page.

    Two Queries, read one after the other through the pages (the signed cursor says which
    one and where):

    1. the range events that began in ``[start - longest, start)`` (sparse RangeEventsIndex:
       instants are not in it) and are still running at ``start`` (a filter on ``endTime``);
       ``longest`` is the well's ``longestEventSeconds``, never shorter than its longest
       range (wells.services.counters keeps it so);
    2. the events starting in ``[start, end)`` (WellEventsIndex).

    What is read: the events starting in the window, plus the RANGE events that began within
    ``longest`` before it, whether or not they reach into the window (DynamoDB cannot select
    on two times at once; the filter only spares sending back those that ended). Nothing
    older, and no instant before the window, is read, so the cost does not grow with the
    well's history; it grows with the number of ranges in that one reach-back period (one
    3-week stage makes a window read the three weeks of ranges before it, which for a well's
    daily jobs is a few dozen small items). A page evaluates at most ``limit`` ranges, so a
    page of ranges that end before the window may carry fewer items than ``limit`` (even
    none) and a cursor: follow the cursor until it is None.

    The first page sends both Queries at once (the second on a pool thread): the answer is
    the same as reading them in turn, in the time of the slower one.
    """
    of = list_of("events-in-window", well.well_id, to_iso(start), to_iso(end))
    phase, key = _window_position(cursor, of=of)
    longest = _longest(well)
    if phase == "window" or not longest:
        items, next_key = _starting_in_window(well, start, end, limit=limit, key=key if phase == "window" else None)
        return items, _window_cursor("window", next_key, of=of) if next_key else None
    if key is not None:  # a later page of the ranges: then the window's first page, in turn
        ranges, ranges_key = _ranges_into_window(well, start, longest, limit=limit, key=key)
        starting, window_key = (
            ([], None)
            if ranges_key or len(ranges) >= limit
            else _starting_in_window(well, start, end, limit=limit - len(ranges), key=None)
        )
    else:
        with in_background(_starting_in_window, well, start, end, limit=limit, key=None) as in_window:
            ranges, ranges_key = _ranges_into_window(well, start, longest, limit=limit, key=None)
            starting, window_key = in_window.result()
    if ranges_key:
        return ranges, _window_cursor("ranges", ranges_key, of=of)  # the window's first page is read after them
    room = limit - len(ranges)
    if room <= 0:
        return ranges, _window_cursor("window", None, of=of)
    if len(starting) > room:
        starting, window_key = starting[:room], _well_events_key(starting[room - 1])
    return ranges + starting, _window_cursor("window", window_key, of=of) if window_key else None


# The window query's events are for showing (the API's lists, the calendar feeds, the .ics):
# they leave out what only the indexes need, the GSI keys derived from an event's well and
# times, and the organization, which is the well's (filled in from it). A busy day's 60 events
# then parse 13 attributes each, not 16. Such an event cannot be saved: dateKey is required.
_SHOWN_EVENT_ATTRIBUTES = [
    attribute.attr_name
    for name, attribute in Event.get_attributes().items()
    if name not in ("date_key", "range_well_id", "org_id")
]


def _shown(well: Well, events: list[Event]) -> list[Event]:
    for event in events:
        event.org_id = well.org_id
    return events


def _ranges_into_window(
    well: Well, start: datetime, longest: int, *, limit: int, key: dict | None
) -> tuple[list[Event], dict | None]:
    """One DynamoDB request: up to ``limit`` ranges evaluated, those still running at ``start`` sent back."""
    start_iso = to_iso(start)
    reach_back = Event.start_time.between(_reach_back(start, longest), to_iso(start - timedelta(seconds=1)))
    with dynamo_errors():
        pages = Event.range_events_index.query(
            well.well_id,
            range_key_condition=reach_back,
            filter_condition=Event.end_time > start_iso,
            page_size=limit,
            last_evaluated_key=key,
            attributes_to_get=_SHOWN_EVENT_ATTRIBUTES,
        ).page_iter
        page = next(pages, None) or {}
    return _shown(well, [Event.from_raw_data(item) for item in page.get("Items", [])]), pages.last_evaluated_key


def _reach_back(start: datetime, longest: int) -> str:
    """The earliest start of a range that may still be running at ``start``. A well's longest
    range may be absurd if it was recorded before times were bounded (a range ending in year
    9999): the reach-back then stops at the first moment ``datetime`` holds, never overflows."""
    first = datetime.min.replace(tzinfo=UTC)
    if longest >= (start - first).total_seconds():
        return to_iso(first)
    return to_iso(start - timedelta(seconds=longest))


def _starting_in_window(
    well: Well, start: datetime, end: datetime, *, limit: int, key: dict | None
) -> tuple[list[Event], dict | None]:
    in_window = Event.start_time.between(to_iso(start), to_iso(end - timedelta(seconds=1)))
    with dynamo_errors():
        results = Event.well_events_index.query(
            well.well_id,
            range_key_condition=in_window,
            limit=limit,
            last_evaluated_key=key,
            attributes_to_get=_SHOWN_EVENT_ATTRIBUTES,
        )
        items = _shown(well, list(results))
    return items, results.last_evaluated_key


def _well_events_key(event: Event) -> dict:
    """Where WellEventsIndex resumes after ``event`` (its key and the table's)."""
    return {"wellId": {"S": event.well_id}, "startTime": {"S": event.start_time}, "eventId": {"S": event.event_id}}


def _window_position(cursor: str | None, *, of: str) -> tuple[str, dict | None]:
    """Which Query of the window query a cursor continues, and where (``("ranges", None)`` to begin)."""
    if not cursor:
        return "ranges", None
    position = decode_cursor(cursor, of=of)
    if position.get("phase") not in ("ranges", "window"):
        raise ValidationFailed({"cursor": NOT_VALID})
    return position["phase"], position.get("key")


def _window_cursor(phase: str, key: dict | None, *, of: str) -> str:
    """A cursor of the window ``of`` (its well and bounds: a cursor is good for that window only)."""
    return encode_cursor({"phase": phase, "key": key}, of=of)


def events_on_date(
    *, well: Well, day: date, cursor: str | None = None, limit: int = 500
) -> tuple[list[Event], str | None]:
    """The events of one date in the well's time zone.

    Deliberately the window query over [local midnight, next local midnight) rather than the
    DateEventsIndex partition ``wellId#YYYY-MM-DD``: that partition holds only the events
    that START on the date, and "what happened on the 4th" must also show the 6-day wait on
    weather that began on the 2nd. The window is right on DST days too (23 or 25 hours), and
    its cost is bounded by the day and the well's longest range, not by its history.
    DateEventsIndex keeps serving "events starting that day" (``events_starting_on``).
    """
    start, end = local_day_window(day, well.time_zone)
    return events_in_window(well=well, start=start, end=end, cursor=cursor, limit=limit)


def events_starting_on(
    *, well: Well, day: date, cursor: str | None = None, limit: int = 500
) -> tuple[list[Event], str | None]:
    """Events whose start falls on ``day`` in the well's zone (DateEventsIndex ``wellId#YYYY-MM-DD``)."""
    with dynamo_errors():
        return query_page(Event.date_events_index, f"{well.well_id}#{day.isoformat()}", limit=limit, cursor=cursor)


def event_start(event: Event) -> datetime:
    return from_iso(event.start_time)


def well_delete_preview(*, well: Well) -> dict[str, int]:
    """How much goes with a well: ``{"stages": n, "events": n, "files": n, …}``.

    Counts are Select=COUNT queries on the well's partitions (nothing is transferred); other
    areas add theirs through ``well_counting_dependents`` (the files area answers ``files``
    from its WellFilesIndex), so no number here is made up for a table this area does not own.
    """
    with dynamo_errors():
        counts = {
            "stages": Stage.well_stages_index.count(well.well_id),
            "events": Event.well_events_index.count(well.well_id),
        }
    for _, answer in well_counting_dependents.send(sender=Well, well=well):
        for label, number in (answer or {}).items():
            counts[label] = counts.get(label, 0) + int(number or 0)
    return counts


def project_delete_preview(*, project: Project) -> dict[str, int]:
    """How much goes with a project: its wells and, summed over them, what goes with each.

    A well whose own deletion was interrupted is hidden and not counted; but once the project
    itself is being deleted every well is hidden, and what is left of each goes with it."""
    wells = [
        w
        for w in project_wells_all(project_id=project.project_id)
        if not well_is_hidden(w) or project_is_hidden(project)
    ]
    totals = {"wells": len(wells), "stages": 0, "events": 0}
    for well in wells:
        for label, number in well_delete_preview(well=well).items():
            totals[label] = totals.get(label, 0) + number
    return totals
