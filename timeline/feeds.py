"""FullCalendar event feeds, built on the wells area's window query.

The calendar runs in FullCalendar's UTC mode and every time we send is a wall-clock time
without an offset, already converted to the zone the user chose: the well's own zone
("well" — on a project or org calendar each well in its own zone) or a named zone. The
window FullCalendar asks for is read the same way. One Query for the events and one for
the stages per well shown: the cost is bounded by the wells, not by their history.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.urls import reverse

from wells.models import Event, Stage, Well
from wells.selectors import events_in_window, stage_list_all
from wells.times import UTC, from_iso, zone

EVENT_COLOURS = {
    "ACTIVITY": "#1f6feb", "FILE_UPLOAD": "#6f42c1", "STATUS_CHANGE": "#d63384", "NOTE": "#2f855a", "OTHER": "#6c757d",
}
STAGE_COLOURS = {
    "DRILLING": "#e07a1f", "COMPLETION": "#0d9488", "TESTING": "#7c3aed", "PRODUCTION": "#15803d", "OTHER": "#64748b",
}
MAX_WELLS = 60


@dataclass
class FeedFilters:
    event_types: set[str] = field(default_factory=set)
    stage_ids: set[str] = field(default_factory=set)
    well_ids: set[str] = field(default_factory=set)
    show_stages: bool = True


def parse_bound(value: str) -> datetime:
    """FullCalendar's start/end as a naive wall-clock time (an offset, if any, is dropped:
    the calendar is in UTC mode, so its wall clock is what the user sees)."""
    text = (value or "").strip().replace(" ", "+")
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=None)


def _zone_name(well: Well, zone_mode: str) -> str:
    return well.time_zone if zone_mode == "well" else zone_mode


def _wall(moment: datetime, zone_name: str) -> str:
    return moment.astimezone(zone(zone_name)).replace(tzinfo=None).isoformat(timespec="seconds")


def _event_item(org_id: str, well: Well, event: Event, zone_name: str, editable: bool, multi: bool, stage_names: dict) -> dict:
    start = from_iso(event.start_time)
    item = {
        "id": event.event_id,
        "title": f"{well.name}: {event.title}" if multi else event.title,
        "start": _wall(start, zone_name),
        "allDay": False,
        "color": EVENT_COLOURS.get(event.event_type, "#6c757d"),
        "url": reverse("wells:event-detail", args=[org_id, event.event_id]),
        "editable": editable,
        "extendedProps": {
            "kind": "event",
            "type": event.event_type,
            "wellId": well.well_id,
            "wellName": well.name,
            "stageId": event.stage_id,
            "stageName": stage_names.get(event.stage_id),
            "fileId": event.file_id,
            "isRange": bool(event.end_time),
            "version": event.version,
            "timeZone": zone_name,
            "wellTimeZone": well.time_zone,
            "panelUrl": reverse("wells:event-detail", args=[org_id, event.event_id]),
            "rescheduleUrl": reverse("wells:event-reschedule", args=[org_id, event.event_id]) if editable else None,
            "tooltip": f"{event.title} ({event.event_type.replace('_', ' ').lower()}) — {well.name}",
        },
    }
    if event.end_time:
        item["end"] = _wall(from_iso(event.end_time), zone_name)
    return item


def _stage_item(org_id: str, well: Well, stage: Stage, zone_name: str, multi: bool, window_end: datetime) -> dict | None:
    if stage.start_date is None:
        return None
    end = stage.end_date or max(stage.start_date, window_end)
    start_day = stage.start_date.astimezone(zone(zone_name)).date()
    end_day = end.astimezone(zone(zone_name)).date() + timedelta(days=1)  # all-day ends are exclusive
    return {
        "id": f"stage-{stage.stage_id}",
        "title": f"{well.name}: {stage.name}" if multi else stage.name,
        "start": start_day.isoformat(),
        "end": end_day.isoformat(),
        "allDay": True,
        "color": STAGE_COLOURS.get(stage.stage_type, "#64748b"),
        "url": reverse("wells:stage-detail", args=[org_id, stage.stage_id]),
        "editable": False,
        "extendedProps": {"kind": "stage", "type": stage.stage_type, "status": stage.status, "wellId": well.well_id,
                          "stageId": stage.stage_id, "open": stage.end_date is None,
                          "tooltip": f"Stage {stage.name} ({stage.status.replace('_', ' ').lower()}) — {well.name}"},
    }


def _well_items(org_id: str, well: Well, start: datetime, end: datetime, zone_mode: str, filters: FeedFilters,
                editable: bool, multi: bool) -> list[dict]:
    zone_name = _zone_name(well, zone_mode)
    tz = zone(zone_name)
    window_start = start.replace(tzinfo=tz).astimezone(UTC)
    window_end = end.replace(tzinfo=tz).astimezone(UTC)
    events, _ = events_in_window(well=well, start=window_start, end=window_end, limit=1000)
    stages = stage_list_all(well_id=well.well_id)
    stage_names = {s.stage_id: s.name for s in stages}
    items = []
    for event in events:
        if filters.event_types and event.event_type not in filters.event_types:
            continue
        if filters.stage_ids and event.stage_id not in filters.stage_ids:
            continue
        items.append(_event_item(org_id, well, event, zone_name, editable, multi, stage_names))
    if filters.show_stages:
        for stage in stages:
            if filters.stage_ids and stage.stage_id not in filters.stage_ids:
                continue
            if stage.start_date is None or stage.start_date >= window_end:
                continue
            if stage.end_date is not None and stage.end_date < window_start:
                continue
            item = _stage_item(org_id, well, stage, zone_name, multi, window_end)
            if item:
                items.append(item)
    return items


def calendar_feed(*, org_id: str, wells: list[Well], start: datetime, end: datetime, zone_mode: str,
                  filters: FeedFilters, editable: bool) -> list[dict]:
    """FullCalendar's event array for the wells (at most MAX_WELLS), in parallel per well."""
    wells = [w for w in wells if not filters.well_ids or w.well_id in filters.well_ids][:MAX_WELLS]
    multi = len(wells) > 1 or bool(filters.well_ids and len(filters.well_ids) != 1)
    if len(wells) <= 1:
        return [item for w in wells for item in _well_items(org_id, w, start, end, zone_mode, filters, editable, multi)]
    with ThreadPoolExecutor(max_workers=min(8, len(wells))) as pool:
        chunks = pool.map(lambda w: _well_items(org_id, w, start, end, zone_mode, filters, editable, multi), wells)
        return [item for chunk in chunks for item in chunk]
