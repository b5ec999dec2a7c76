"""Calendar feeds in FullCalendar's event-feed form, and the same data for any API client.

``start``/``end``: the window, read as ``GET /api/events`` reads it — without an offset a
wall-clock time of the display zone, with one (``Z``, ``+05:00``) that instant;
``timeZone``: ``well`` (each well's own zone, the default) or an IANA zone, the zone of the
wall-clock times answered. Stages come as all-day spans whose title is the stage name.

Headers: ``X-Calendar-Shown-Until`` when the window held more than the feed reads at once
(timeline.feeds.FEED_MAX_EVENTS): events are answered only up to that wall-clock time.
``X-Calendar-Wells`` on project and org feeds: "<shown> of <matched>" wells (at most
timeline.calendars.MAX_WELLS are read per request).
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import Field

from orgs.permissions import Action
from timeline.calendars import WELL_CHOICES, CalendarWells, org_calendar_wells, project_calendar_wells
from timeline.feeds import MAX_WINDOW_DAYS, Feed, FeedFilters, calendar_feed, check_window
from wells.api.access import project_of, well_of
from wells.services.validation import EVENT_TYPES, STAGE_TYPES, WELL_STATUSES
from welltrack.errors import ValidationFailed
from welltrack.schemas import OutSchema

router = Router(tags=["calendar"])


class CalendarItem(OutSchema):
    id: str
    title: str
    start: str
    end: str | None = None
    all_day: bool = Field(alias="allDay")
    display: str = Field(description="'block' for ranges and stages, 'list-item' for instants")
    class_names: list[str] = Field(alias="classNames")
    color: str
    url: str = Field(description="The event's page; for a FILE_UPLOAD event, the file's page")
    editable: bool = False
    extended_props: dict[str, Any] = Field(alias="extendedProps")


START = Query(
    ...,
    max_length=40,
    description="Window start: ISO 8601 date or time; without an offset a wall-clock "
    "time of timeZone (each well's zone for 'well'), with one that instant",
)
END = Query(
    ..., max_length=40, description=f"Window end (exclusive), read like start; at most {MAX_WINDOW_DAYS} days after it"
)
TIME_ZONE = Query(
    "well",
    alias="timeZone",
    max_length=64,
    description="'well' (each well's own zone) or an IANA zone such as Asia/Almaty: the zone of the window "
    "without an offset and of every time answered",
)
TYPE = Query("", max_length=200, description=f"Event types, comma-separated ({', '.join(EVENT_TYPES)}); empty: all")
STAGE = Query("", max_length=2000, description="Stage ids, comma-separated: only those stages and their events")
STAGE_TYPE = Query(
    "",
    alias="stageType",
    max_length=200,
    description=f"Stage types, comma-separated ({', '.join(STAGE_TYPES)}): only stages of those types "
    "and the events recorded on them",
)
WELL = Query(
    "",
    max_length=4000,
    description=f"Well ids, comma-separated (at most {WELL_CHOICES}); the filter is applied "
    "before the cap of wells per request",
)
STAGES = Query("1", max_length=1, description="0 leaves the stage spans out")
STATUS = Query("DRILLING", max_length=20, description=f"Wells with this status ({', '.join(WELL_STATUSES)}) or ALL")


def _zone(value: str) -> str:
    value = (value or "well").strip()
    if value != "well" and value not in zoneinfo.available_timezones():
        raise ValidationFailed({"timeZone": "Give 'well' or an IANA time zone such as Asia/Almaty."})
    return value


def _split(text: str) -> set[str]:
    return {part.strip() for part in (text or "").split(",") if part.strip()}


def _filters(
    *, type_: str = "", stage: str = "", stage_type: str = "", well: str = "", stages: str = "1"
) -> FeedFilters:
    event_types = {t.upper() for t in _split(type_)}
    if event_types - set(EVENT_TYPES):
        raise ValidationFailed({"type": f"Event types are {', '.join(EVENT_TYPES)}."})
    stage_types = {t.upper() for t in _split(stage_type)}
    if stage_types - set(STAGE_TYPES):
        raise ValidationFailed({"stageType": f"Stage types are {', '.join(STAGE_TYPES)}."})
    well_ids = _split(well)
    if len(well_ids) > WELL_CHOICES:
        raise ValidationFailed({"well": f"Choose at most {WELL_CHOICES} wells at a time."})
    if stages not in ("0", "1"):
        raise ValidationFailed({"stages": "Give 1 to show stages or 0 to hide them."})
    return FeedFilters(
        event_types=event_types,
        stage_ids=_split(stage),
        stage_types=stage_types,
        well_ids=well_ids,
        show_stages=stages != "0",
    )


def _answer(response: HttpResponse, feed: Feed, chosen: CalendarWells | None = None) -> list[dict]:
    if feed.shown_until:
        response["X-Calendar-Shown-Until"] = feed.shown_until
    if chosen is not None:
        response["X-Calendar-Wells"] = f"{len(chosen.wells)} of {chosen.matched}{'+' if chosen.more else ''}"
    return feed.items


@router.get("/wells/{well_id}/calendar", response=list[CalendarItem], by_alias=True, url_name="well_calendar")
def well_calendar(
    request: HttpRequest,
    response: HttpResponse,
    well_id: str,
    start: str = START,
    end: str = END,
    time_zone: str = TIME_ZONE,
    type: str = TYPE,
    stage: str = STAGE,
    stage_type: str = STAGE_TYPE,
    stages: str = STAGES,
):
    """A well's events and stages overlapping the window (the same window query as ``GET /api/events``)."""
    well = well_of(request, well_id)
    check_window(start, end)
    feed = calendar_feed(
        org_id=well.org_id,
        wells=[well],
        start=start,
        end=end,
        zone_mode=_zone(time_zone),
        filters=_filters(type_=type, stage=stage, stage_type=stage_type, stages=stages),
        editable=request.reads.can(well.org_id, Action.EDIT_RECORDS),
    )
    return _answer(response, feed)


@router.get("/projects/{project_id}/calendar", response=list[CalendarItem], by_alias=True, url_name="project_calendar")
def project_calendar(
    request: HttpRequest,
    response: HttpResponse,
    project_id: str,
    start: str = START,
    end: str = END,
    time_zone: str = TIME_ZONE,
    type: str = TYPE,
    stage_type: str = STAGE_TYPE,
    well: str = WELL,
    stages: str = STAGES,
):
    """The events and stages of the project's wells: the ticked ones (``well``) or the first by name,
    at most 60 per request (header ``X-Calendar-Wells``)."""
    project = project_of(request, project_id)
    check_window(start, end)
    filters = _filters(type_=type, stage_type=stage_type, well=well, stages=stages)
    chosen = project_calendar_wells(project_id=project.project_id, org_id=project.org_id, well_ids=filters.well_ids)
    feed = calendar_feed(
        org_id=project.org_id,
        wells=chosen.wells,
        start=start,
        end=end,
        zone_mode=_zone(time_zone),
        filters=filters,
        editable=request.reads.can(project.org_id, Action.EDIT_RECORDS),
        multi=True,
    )
    return _answer(response, feed, chosen)


@router.get("/orgs/{org_id}/calendar", response=list[CalendarItem], by_alias=True, url_name="org_calendar")
def org_calendar(
    request: HttpRequest,
    response: HttpResponse,
    org_id: str,
    start: str = START,
    end: str = END,
    time_zone: str = TIME_ZONE,
    type: str = TYPE,
    stage_type: str = STAGE_TYPE,
    well: str = WELL,
    status: str = STATUS,
    stages: str = STAGES,
):
    """The organization's drilling wells by default (``status=ALL`` or another status for others),
    at most 60 per request (header ``X-Calendar-Wells``)."""
    request.reads.authorize(org_id, Action.VIEW)
    check_window(start, end)
    status = status.upper()
    if status != "ALL" and status not in WELL_STATUSES:
        raise ValidationFailed({"status": f"Give ALL or one of {', '.join(WELL_STATUSES)}."})
    filters = _filters(type_=type, stage_type=stage_type, well=well, stages=stages)
    chosen = org_calendar_wells(org_id=org_id, status=status, well_ids=filters.well_ids)
    feed = calendar_feed(
        org_id=org_id,
        wells=chosen.wells,
        start=start,
        end=end,
        zone_mode=_zone(time_zone),
        filters=filters,
        editable=request.reads.can(org_id, Action.EDIT_RECORDS),
        multi=True,
    )
    return _answer(response, feed, chosen)
