"""iCalendar (RFC 5545) documents of a well's or project's events and stages, in UTC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event as VEvent

from wells.models import Well
from wells.selectors import events_in_window, stage_list_all
from wells.times import from_iso

PAST_DAYS, FUTURE_DAYS = 366, 366


def build_calendar(*, name: str, org_id: str, wells: list[Well], now: datetime | None = None) -> bytes:
    now = now or datetime.now(timezone.utc)
    start, end = now - timedelta(days=PAST_DAYS), now + timedelta(days=FUTURE_DAYS)
    base = settings.WELLTRACK_BASE_URL.rstrip("/")
    calendar = Calendar()
    calendar.add("prodid", "-//WellTrack//Operations calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT1H")
    multi = len(wells) > 1
    for well in wells:
        events, _ = events_in_window(well=well, start=start, end=end, limit=5000)
        for event in events:
            item = VEvent()
            item.add("uid", f"event-{event.event_id}@welltrack")
            item.add("dtstamp", event.updated_at)
            begin = from_iso(event.start_time)
            item.add("dtstart", begin)
            item.add("dtend", from_iso(event.end_time) if event.end_time else begin)
            item.add("summary", f"{well.name}: {event.title}" if multi else event.title)
            item.add("description", event.description or event.event_type.replace("_", " ").title())
            item.add("categories", [event.event_type])
            item.add("url", base + reverse("wells:event-detail", args=[org_id, event.event_id]))
            calendar.add_component(item)
        for stage in stage_list_all(well_id=well.well_id):
            if stage.start_date is None:
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
