"""iCalendar (RFC 5545) documents of a well's or project's events and stages, in UTC.

A subscription covers the last ICS_PAST_DAYS days and everything planned ahead (no end):
what a calendar app needs for "what happened lately, what is coming". When that holds more
than ICS_MAX_EVENTS events (a busy well records ~2,000 a month), the newest are kept, so the
recent and future events are never the ones that fall off. Reading pages forward through the
window costs one Query per FEED_PAGE events of the window plus one for the ranges begun before
it, and one Query for the well's stages: it grows with the events of that window, never with
older history.

The document is built as values first (:class:`CalendarDocument`), then rendered: its ETag is a
digest of those values, so a client that already has them gets a 304 without the rendering.
A stage without an end is drawn to the end of the current hour (the feed's refresh interval).
"""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as VEvent

from timeline.feeds import FEED_PAGE
from wells.models import Event, Stage, Well
from wells.selectors import events_in_window, stage_list_all
from wells.times import from_iso
from welltrack.concurrency import in_parallel

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


# Part of every ETag: change it when the rendering below changes what the same values produce.
ICS_FORMAT = "1"

# (property, value) pairs of one VEVENT, in the order they are written.
Component = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class CalendarDocument:
    """A subscription's content as plain values, before it is rendered.

    The body is a function of these values alone (``to_ical``), and ``etag`` is a digest of
    them: whatever would change the body (an event's time, title or ``updatedAt``, an event
    added or gone, a stage, a well's name) changes the ETag, and answering a 304 needs no
    rendering (which costs far more than the digest; docs/performance.md).
    """

    name: str
    components: tuple[Component, ...]

    @cached_property
    def etag(self) -> str:
        values = repr((ICS_FORMAT, self.name, self.components)).encode()
        return f'"{hashlib.sha256(values).hexdigest()[:40]}"'

    def to_ical(self) -> bytes:
        calendar = Calendar()
        calendar.add("prodid", "-//WellTrack//Operations calendar//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", self.name)
        calendar.add("x-published-ttl", "PT1H")
        for component in self.components:
            item = VEvent()
            for prop, value in component:
                item.add(prop, list(value) if isinstance(value, tuple) else value)
            calendar.add_component(item)
        return calendar.to_ical()


def _open_until(now: datetime) -> datetime:
    """Where a stage without an end is drawn to: the end of the current hour, so that the document
    (and its ETag) stays the same between polls within the hour rather than moving every second."""
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def calendar_document(*, name: str, org_id: str, wells: list[Well], now: datetime | None = None) -> CalendarDocument:
    now = now or datetime.now(UTC)
    start = now - timedelta(days=ICS_PAST_DAYS)
    base = settings.WELLTRACK_BASE_URL.rstrip("/")
    multi = len(wells) > 1
    reads = in_parallel(lambda w: _read(w, start), wells)

    components: list[Component] = []
    # Across the wells of a project, too, the newest ICS_MAX_EVENTS are kept.
    everything = sorted(
        ((e.start_time, e.event_id, well, e) for well, events, _ in reads for e in events),
        key=lambda row: (row[0], row[1]),
    )[-ICS_MAX_EVENTS:]
    for _, _, well, event in everything:
        begin = from_iso(event.start_time)
        components.append(
            (
                ("uid", f"event-{event.event_id}@welltrack"),
                ("dtstamp", event.updated_at),
                ("dtstart", begin),
                ("dtend", from_iso(event.end_time) if event.end_time else begin),
                ("summary", f"{well.name}: {event.title}" if multi else event.title),
                ("description", event.description or event.event_type.replace("_", " ").title()),
                ("categories", (event.event_type,)),
                ("url", _event_url(base, org_id, event)),
            )
        )
    open_until = _open_until(now)
    for well, _, stages in reads:
        for stage in stages:
            if stage.start_date is None or (stage.end_date is not None and stage.end_date < start):
                continue
            components.append(
                (
                    ("uid", f"stage-{stage.stage_id}@welltrack"),
                    ("dtstamp", stage.updated_at),
                    ("dtstart", stage.start_date),
                    ("dtend", stage.end_date or max(stage.start_date, open_until)),
                    ("summary", f"{well.name}: stage {stage.name}" if multi else f"Stage: {stage.name}"),
                    ("categories", ("STAGE", stage.stage_type)),
                    ("url", base + reverse("wells:stage-detail", args=[org_id, stage.stage_id])),
                )
            )
    return CalendarDocument(name=name, components=tuple(components))
