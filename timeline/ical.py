"""iCalendar (RFC 5545) documents of a well's or project's events and stages, in UTC.

A subscription covers the last ICS_PAST_DAYS days and everything planned ahead (no end):
what a calendar app needs for "what happened lately, what is coming". When that holds more
than ICS_MAX_EVENTS events (a busy well records ~2,000 a month), the newest are kept, so the
recent and future events are never the ones that fall off. Reading pages forward through the
window costs one Query per FEED_PAGE events of the window plus one for the ranges begun before
it, and one Query for the well's stages: it grows with the events of that window, never with
older history.
"""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as VEvent

from timeline.feeds import FEED_PAGE
from wells.models import Event, Stage, Well
from wells.selectors import events_in_window, stage_list_all
from wells.times import from_iso
from welltrack.concurrency import ContextThreadPoolExecutor

ICS_PAST_DAYS = 365
ICS_MAX_EVENTS = 5000
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


def _newest_events(well: Well, start: datetime) -> list[Event]:
    """The well's events overlapping [start, ∞), at most ICS_MAX_EVENTS, the newest kept."""
    kept: deque[Event] = deque(maxlen=ICS_MAX_EVENTS)
    cursor = None
    while True:
        items, cursor = events_in_window(well=well, start=start, end=FAR_FUTURE, cursor=cursor, limit=FEED_PAGE)
        kept.extend(items)
        if cursor is None:
            return list(kept)


def _read(well: Well, start: datetime) -> tuple[Well, list[Event], list[Stage]]:
    return well, _newest_events(well, start), stage_list_all(well_id=well.well_id)


def _event_url(base: str, org_id: str, event: Event) -> str:
    if event.event_type == "FILE_UPLOAD" and event.file_id:
        return base + reverse("files:file-detail", args=[org_id, event.file_id])
    return base + reverse("wells:event-detail", args=[org_id, event.event_id])


def build_calendar(*, name: str, org_id: str, wells: list[Well], now: datetime | None = None) -> bytes:
    now = now or datetime.now(UTC)
    start = now - timedelta(days=ICS_PAST_DAYS)
    base = settings.WELLTRACK_BASE_URL.rstrip("/")
    calendar = Calendar()
    calendar.add("prodid", "-//WellTrack//Operations calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT1H")
    multi = len(wells) > 1
    if len(wells) > 1:
        with ContextThreadPoolExecutor(max_workers=min(8, len(wells))) as pool:
            reads = list(pool.map(lambda w: _read(w, start), wells))
    else:
        reads = [_read(w, start) for w in wells]

    # Across the wells of a project, too, the newest ICS_MAX_EVENTS are kept.
    everything = sorted(
        ((e.start_time, e.event_id, well, e) for well, events, _ in reads for e in events),
        key=lambda row: (row[0], row[1]),
    )[-ICS_MAX_EVENTS:]
    for _, _, well, event in everything:
        item = VEvent()
        item.add("uid", f"event-{event.event_id}@welltrack")
        item.add("dtstamp", event.updated_at)
        begin = from_iso(event.start_time)
        item.add("dtstart", begin)
        item.add("dtend", from_iso(event.end_time) if event.end_time else begin)
        item.add("summary", f"{well.name}: {event.title}" if multi else event.title)
        item.add("description", event.description or event.event_type.replace("_", " ").title())
        item.add("categories", [event.event_type])
        item.add("url", _event_url(base, org_id, event))
        calendar.add_component(item)
    for well, _, stages in reads:
        for stage in stages:
            if stage.start_date is None or (stage.end_date is not None and stage.end_date < start):
                continue
            item = VEvent()
            item.add("uid", f"stage-{stage.stage_id}@welltrack")
            item.add("dtstamp", stage.updated_at)
            item.add("dtstart", stage.start_date)
            item.add("dtend", stage.end_date or max(stage.start_date, now))
            item.add("summary", f"{well.name}: stage {stage.name}" if multi else f"Stage: {stage.name}")
            item.add("categories", ["STAGE", stage.stage_type])
            item.add("url", base + reverse("wells:stage-detail", args=[org_id, stage.stage_id]))
            calendar.add_component(item)
    return calendar.to_ical()
