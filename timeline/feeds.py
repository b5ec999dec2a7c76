"""FullCalendar event feeds, built on the wells area's window query.

The calendar runs in FullCalendar's UTC mode and every time we send is a wall-clock time
without an offset, already converted to the zone the user chose: the well's own zone
("well" — on a project or org calendar each well in its own zone) or a named zone. The
window is read as ``GET /api/events`` reads it (``wells.times.parse_moment``): a time
without an offset is a wall-clock time of that zone, one with an offset (``Z``) is that
instant. Our calendar page sends wall-clock times.

Cost per well shown, whatever the well's history: the window query (one Query for the
events starting in the window, one for the ranges that began before it) and one Query for
the well's stages (all of them: a well has tens of stages, one page), run in parallel.
Every page of a busy window is read (FEED_PAGE events per Query), up to FEED_MAX_EVENTS
events per request; past that the feed answers the events up to a cut-off and says so in
the ``X-Calendar-Shown-Until`` header, which the calendar shows ("zoom in").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.urls import reverse

from wells.models import Event, Stage, Well
from wells.selectors import events_in_window, stage_list_all
from wells.times import EARLIEST, LATEST, from_iso, parse_moment, zone
from welltrack.concurrency import in_parallel
from welltrack.errors import ValidationFailed

EVENT_COLOURS = {
    "ACTIVITY": "#1f6feb",
    "FILE_UPLOAD": "#6f42c1",
    "STATUS_CHANGE": "#d63384",
    "NOTE": "#2f855a",
    "OTHER": "#6c757d",
}
STAGE_COLOURS = {
    "DRILLING": "#e07a1f",
    "COMPLETION": "#0d9488",
    "TESTING": "#7c3aed",
    "PRODUCTION": "#15803d",
    "OTHER": "#64748b",
}
# A month of the busiest well we know (the benchmark's: about 2,000 events a month) fits in
# two pages; FEED_MAX_EVENTS is a safety cap on what one request reads and sends (a few MB of
# JSON), far above what a month view can usefully show (it folds a day into "+N more").
FEED_PAGE = 1000
FEED_MAX_EVENTS = 5000
FEED_MIN_PAGE = 100
MAX_WINDOW_DAYS = 62
PARALLEL = 8


@dataclass
class FeedFilters:
    event_types: set[str] = field(default_factory=set)
    stage_ids: set[str] = field(default_factory=set)
    stage_types: set[str] = field(default_factory=set)
    well_ids: set[str] = field(default_factory=set)
    show_stages: bool = True


@dataclass
class Feed:
    """The items, and when the cap was reached, the wall-clock time up to which events are shown."""

    items: list[dict]
    shown_until: str | None = None
    events_read: int = 0


def _normalise(value: str) -> str:
    # A "+05:00" offset arrives as " 05:00" when a client forgets to encode the plus sign.
    return (value or "").strip().replace(" ", "+")


def window_bound(value: str, *, field: str, zone_name: str) -> datetime:
    """A window edge as an aware UTC datetime within the span, read as ``GET /api/events``
    reads its bounds, except that a midnight the clocks skip is no error for an edge
    (``parse_moment``'s ``window_edge``)."""
    return parse_moment(_normalise(value), field=field, zone_name=zone_name, window_edge=True)


def check_window(start: str, end: str) -> None:
    """Refuse a window that cannot be read (422 naming the field); the zone is applied per well later."""
    window_start = window_bound(start, field="start", zone_name="UTC")
    window_end = window_bound(end, field="end", zone_name="UTC")
    if window_end <= window_start:
        raise ValidationFailed({"end": "The end of the window must be after its start."})
    if window_end - window_start > timedelta(days=MAX_WINDOW_DAYS, hours=14):  # 14 h: any pair of offsets
        raise ValidationFailed({"end": f"Ask for at most {MAX_WINDOW_DAYS} days at a time."})


def _zone_name(well: Well, zone_mode: str) -> str:
    return well.time_zone if zone_mode == "well" else zone_mode


def _wall(moment: datetime, zone_name: str) -> str:
    return moment.astimezone(zone(zone_name)).replace(tzinfo=None).isoformat(timespec="seconds")


def _event_item(
    org_id: str, well: Well, event: Event, zone_name: str, editable: bool, multi: bool, stage_names: dict
) -> dict:
    start = from_iso(event.start_time)
    end = from_iso(event.end_time) if event.end_time else None
    panel_url = reverse("wells:event-detail", args=[org_id, event.event_id])
    file_url = reverse("files:file-detail", args=[org_id, event.file_id]) if event.file_id else None
    local_start = start.astimezone(zone(zone_name))
    when = f"{local_start:%a %-d %b %H:%M}"
    if end is not None:
        local_end = end.astimezone(zone(zone_name))
        when += f"–{local_end:%H:%M}" if local_end.date() == local_start.date() else f" – {local_end:%a %-d %b %H:%M}"
    item = {
        "id": event.event_id,
        "title": f"{well.name}: {event.title}" if multi else event.title,
        "start": _wall(start, zone_name),
        "allDay": False,
        # Instants are markers (a dot in month view, a line in week/day), ranges are blocks.
        "display": "block" if end is not None else "list-item",
        "classNames": ["wt-range"] if end is not None else ["wt-instant"],
        "color": EVENT_COLOURS.get(event.event_type, "#6c757d"),
        # An upload's event leads to the file itself (its page has the download and its place in
        # the well's file manager); the side panel still opens the event on a click.
        "url": file_url if event.event_type == "FILE_UPLOAD" and file_url else panel_url,
        "editable": editable,
        "extendedProps": {
            "kind": "event",
            "type": event.event_type,
            "wellId": well.well_id,
            "wellName": well.name,
            "stageId": event.stage_id,
            "stageName": stage_names.get(event.stage_id),
            "fileId": event.file_id,
            "fileUrl": file_url,
            "isRange": end is not None,
            "version": event.version,
            "timeZone": zone_name,
            "wellTimeZone": well.time_zone,
            "panelUrl": panel_url,
            "rescheduleUrl": reverse("wells:event-reschedule", args=[org_id, event.event_id]) if editable else None,
            "tooltip": f"{event.title} ({event.event_type.replace('_', ' ').lower()}) — {well.name}, {when} ({zone_name})",
        },
    }
    if end is not None:
        item["end"] = _wall(end, zone_name)
    return item


def _stage_item(
    org_id: str, well: Well, stage: Stage, zone_name: str, multi: bool, window_end: datetime
) -> dict | None:
    if stage.start_date is None:
        return None
    # Clamped to the span: a stage stored before times were bounded (ending 9999-12-31T23:00Z)
    # is drawn to the span's end rather than overflowing when taken to a zone east of UTC.
    start = max(stage.start_date, EARLIEST)
    end = min(stage.end_date or max(stage.start_date, window_end), LATEST)
    start_day = start.astimezone(zone(zone_name)).date()
    end_day = end.astimezone(zone(zone_name)).date() + timedelta(days=1)  # all-day ends are exclusive
    return {
        "id": f"stage-{stage.stage_id}",
        "title": f"{well.name}: {stage.name}" if multi else stage.name,
        "start": start_day.isoformat(),
        "end": end_day.isoformat(),
        "allDay": True,
        "display": "block",
        "classNames": ["wt-stage-span"],
        "color": STAGE_COLOURS.get(stage.stage_type, "#64748b"),
        "url": reverse("wells:stage-detail", args=[org_id, stage.stage_id]),
        "editable": False,
        "extendedProps": {
            "kind": "stage",
            "type": stage.stage_type,
            "status": stage.status,
            "wellId": well.well_id,
            "stageId": stage.stage_id,
            "open": stage.end_date is None,
            "timeZone": zone_name,
            "tooltip": f"Stage {stage.name} ({stage.status.replace('_', ' ').lower()}) — {well.name}",
        },
    }


@dataclass
class _WellRead:
    """One well's part of a feed: its window (UTC), the events read so far and where to go on."""

    well: Well
    zone_name: str
    start: datetime
    end: datetime
    events: list[Event] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    cursor: str | None = None
    done: bool = False

    def first(self, page: int) -> None:
        self.stages = stage_list_all(well_id=self.well.well_id)
        self.next(page)

    def next(self, page: int) -> None:
        items, self.cursor = events_in_window(
            well=self.well, start=self.start, end=self.end, cursor=self.cursor, limit=page
        )
        self.events.extend(items)
        self.done = self.cursor is None


def calendar_feed(
    *,
    org_id: str,
    wells: list[Well],
    start: str,
    end: str,
    zone_mode: str,
    filters: FeedFilters,
    editable: bool,
    multi: bool | None = None,
) -> Feed:
    """FullCalendar's event array for ``wells`` (already filtered and capped by timeline.calendars).

    Pages are read in rounds, all wells in parallel, until every well's window is read or
    FEED_MAX_EVENTS events have been read. Then, if a well still had more, only the events
    that start before the earliest point any well stopped at are answered, so what is shown is
    everything up to that moment (``Feed.shown_until``) and nothing after it.
    """
    reads = []
    for well in wells:
        zone_name = _zone_name(well, zone_mode)
        reads.append(
            _WellRead(
                well,
                zone_name,
                window_bound(start, field="start", zone_name=zone_name),
                window_bound(end, field="end", zone_name=zone_name),
            )
        )
    page = max(FEED_MIN_PAGE, min(FEED_PAGE, FEED_MAX_EVENTS // max(1, len(reads))))
    in_parallel(lambda r: r.first(page), reads, at_most=PARALLEL)
    pending = [r for r in reads if not r.done]
    while pending and sum(len(r.events) for r in reads) < FEED_MAX_EVENTS:
        in_parallel(lambda r: r.next(page), pending, at_most=PARALLEL)
        pending = [r for r in pending if not r.done]

    cutoff, shown_until = None, None
    if pending:
        stopped = min(pending, key=lambda r: r.events[-1].start_time)
        cutoff = stopped.events[-1].start_time
        shown_until = _wall(from_iso(cutoff), stopped.zone_name)
    if multi is None:
        multi = len(wells) > 1
    items: list[dict] = []
    for read in reads:
        stage_by_id = {s.stage_id: s for s in read.stages}
        stage_names = {s.stage_id: s.name for s in read.stages}
        for event in read.events:
            if cutoff is not None and event.start_time >= cutoff:
                continue
            if filters.event_types and event.event_type not in filters.event_types:
                continue
            if filters.stage_ids and event.stage_id not in filters.stage_ids:
                continue
            if filters.stage_types and (
                event.stage_id not in stage_by_id or stage_by_id[event.stage_id].stage_type not in filters.stage_types
            ):
                continue
            items.append(_event_item(org_id, read.well, event, read.zone_name, editable, multi, stage_names))
        if not filters.show_stages:
            continue
        for stage in read.stages:
            if filters.stage_ids and stage.stage_id not in filters.stage_ids:
                continue
            if filters.stage_types and stage.stage_type not in filters.stage_types:
                continue
            if stage.start_date is None or stage.start_date >= read.end:
                continue
            if stage.end_date is not None and stage.end_date < read.start:
                continue
            item = _stage_item(org_id, read.well, stage, read.zone_name, multi, read.end)
            if item:
                items.append(item)
    return Feed(items=items, shown_until=shown_until, events_read=sum(len(r.events) for r in reads))
