"""Calendar feeds in FullCalendar's event-feed form, and the same data for any API client.

``start``/``end``: the window, as wall-clock times of the display zone (an offset is
ignored); ``timeZone``: ``well`` (each well's own zone, the default) or an IANA zone.
The feeds answer stages as all-day spans whose title is the stage name, and events.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import Field

from orgs.permissions import Action, authorize, can
from timeline.calendars import org_calendar_wells, project_calendar_wells
from timeline.feeds import FeedFilters, calendar_feed, parse_bound
from welltrack.errors import ValidationFailed
from welltrack.schemas import OutSchema
from wells import selectors

router = Router(tags=["calendar"])


class CalendarItem(OutSchema):
    id: str
    title: str
    start: str
    end: str | None = None
    all_day: bool = Field(alias="allDay")
    color: str
    url: str
    editable: bool = False
    extended_props: dict[str, Any] = Field(alias="extendedProps")


def _window(start: str, end: str) -> tuple:
    try:
        window_start, window_end = parse_bound(start), parse_bound(end)
    except ValueError:
        raise ValidationFailed({"start": "Give start and end as ISO 8601 dates or times."}) from None
    if window_end <= window_start:
        raise ValidationFailed({"end": "The end of the window must be after its start."})
    if (window_end - window_start).days > 62:
        raise ValidationFailed({"end": "Ask for at most 62 days at a time."})
    return window_start, window_end


def _zone(value: str) -> str:
    value = (value or "well").strip()
    if value != "well" and value not in zoneinfo.available_timezones():
        raise ValidationFailed({"timeZone": "Give 'well' or an IANA time zone such as Asia/Almaty."})
    return value


def _filters(type_: str, stage: str, well: str, stages: str) -> FeedFilters:
    split = lambda text: {part for part in (text or "").split(",") if part}  # noqa: E731
    return FeedFilters(event_types={t.upper() for t in split(type_)}, stage_ids=split(stage), well_ids=split(well),
                       show_stages=stages != "0")




@router.get("/wells/{well_id}/calendar", response=list[CalendarItem], by_alias=True, url_name="well_calendar")
def well_calendar(request: HttpRequest, well_id: str, start: str = Query(..., max_length=40), end: str = Query(..., max_length=40),
                  time_zone: str = Query("well", alias="timeZone", max_length=64), type: str = Query("", max_length=200),
                  stage: str = Query("", max_length=2000), stages: str = Query("1", max_length=1)):
    """A well's events and stages overlapping the window."""
    well = selectors.well_get(well_id=well_id)
    authorize(request, well.org_id, Action.VIEW)
    window_start, window_end = _window(start, end)
    return calendar_feed(org_id=well.org_id, wells=[well], start=window_start, end=window_end, zone_mode=_zone(time_zone),
                         filters=_filters(type, stage, "", stages), editable=can(request, well.org_id, Action.EDIT_RECORDS))


@router.get("/projects/{project_id}/calendar", response=list[CalendarItem], by_alias=True, url_name="project_calendar")
def project_calendar(request: HttpRequest, project_id: str, start: str = Query(..., max_length=40),
                     end: str = Query(..., max_length=40), time_zone: str = Query("well", alias="timeZone", max_length=64),
                     type: str = Query("", max_length=200), well: str = Query("", max_length=4000),
                     stages: str = Query("1", max_length=1)):
    """The events and stages of the project's wells (at most 60 wells per request; filter with ``well``)."""
    project = selectors.project_get(project_id=project_id)
    authorize(request, project.org_id, Action.VIEW)
    window_start, window_end = _window(start, end)
    return calendar_feed(org_id=project.org_id, wells=project_calendar_wells(project_id=project.project_id),
                         start=window_start, end=window_end, zone_mode=_zone(time_zone),
                         filters=_filters(type, "", well, stages), editable=can(request, project.org_id, Action.EDIT_RECORDS))


@router.get("/orgs/{org_id}/calendar", response=list[CalendarItem], by_alias=True, url_name="org_calendar")
def org_calendar(request: HttpRequest, org_id: str, start: str = Query(..., max_length=40), end: str = Query(..., max_length=40),
                 time_zone: str = Query("well", alias="timeZone", max_length=64), type: str = Query("", max_length=200),
                 well: str = Query("", max_length=4000), status: str = Query("DRILLING", max_length=20),
                 stages: str = Query("1", max_length=1)):
    """The organization's drilling wells by default (``status=ALL`` or another status for others)."""
    authorize(request, org_id, Action.VIEW)
    window_start, window_end = _window(start, end)
    wells = org_calendar_wells(org_id=org_id, status=status.upper())
    return calendar_feed(org_id=org_id, wells=wells, start=window_start, end=window_end, zone_mode=_zone(time_zone),
                         filters=_filters(type, "", well, stages), editable=can(request, org_id, Action.EDIT_RECORDS))
