"""JSON API of events."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Status

from orgs.permissions import Action
from wells import selectors, services
from wells.api.access import event_of, stage_of, well_access, well_of
from wells.api.schemas import EventIn, EventOut, EventPage, EventPatch, EventStale
from wells.models import Event, Stage, Well
from wells.times import parse_date, parse_moment
from welltrack.actor import Actor
from welltrack.errors import NotFound, ValidationFailed
from welltrack.schemas import VERSION_TO_DELETE, deleted_or_stale

router = Router()


def _stage_for(well: Well, stage_id: str | None) -> Stage | None:
    if not stage_id:
        return None
    try:
        stage = selectors.stage_get(stage_id=stage_id, org_id=well.org_id)
    except NotFound:
        raise ValidationFailed({"stageId": "Choose a stage of this well."}) from None
    if stage.well_id != well.well_id:
        raise ValidationFailed({"stageId": "Choose a stage of this well."})
    return stage


def _window_bound(value: str, field: str, zone_name: str) -> datetime:
    return parse_moment(value, field=field, zone_name=zone_name)


@router.post("/events", response={201: EventOut}, by_alias=True)
def event_create(request: HttpRequest, payload: EventIn):
    well = well_of(request, payload.well_id, Action.EDIT_RECORDS)
    event = services.event_create(
        actor=Actor.from_request(request),
        well=well,
        stage=_stage_for(well, payload.stage_id),
        event_type=payload.type,
        title=payload.title,
        start=payload.start_time,
        end=payload.end_time,
        description=payload.description,
        metadata=payload.metadata,
    )
    return Status(201, EventOut.values_of(event))


@router.get("/events", response=EventPage, by_alias=True)
def event_list(
    request: HttpRequest,
    well_id: str | None = Query(None, alias="wellId"),
    stage_id: str | None = Query(None, alias="stageId"),
    start: str | None = Query(None, max_length=50),
    end: str | None = Query(None, max_length=50),
    date_: str | None = Query(None, alias="date", max_length=20),
    starting_only: bool = Query(
        False, alias="startingOnly", description="With date: only the events that start on that date."
    ),
    cursor: str | None = None,
):
    """Events of a well overlapping ``[start, end)``, of one date in the well's zone, or of a stage.

    ``date`` answers what happened on that local date: every event overlapping it, so a range
    begun on an earlier day is included. ``date`` with ``startingOnly=true`` answers the events
    that START on it, from the DateEventsIndex partition ``wellId#YYYY-MM-DD`` (one Query).
    """
    if starting_only and not (well_id and date_):
        raise ValidationFailed({"startingOnly": "Give startingOnly with wellId and date."})
    if stage_id:
        stage = stage_of(request, stage_id).stage
        items, next_cursor = selectors.stage_events(stage_id=stage.stage_id, cursor=cursor)
    elif well_id and (date_ or (start and end)):
        # The event Queries go out with the authorization's read (orgs.reads, "reads ahead");
        # their answer is used only once the well is allowed.
        def read(well: Well) -> tuple[list[Event], str | None]:
            if date_:
                on_date = selectors.events_starting_on if starting_only else selectors.events_on_date
                return on_date(well=well, day=parse_date(date_, field="date"), cursor=cursor)
            window_start = _window_bound(start, "start", well.time_zone)
            window_end = _window_bound(end, "end", well.time_zone)
            if window_end <= window_start:
                raise ValidationFailed({"end": "The end of the window must be after its start."})
            return selectors.events_in_window(well=well, start=window_start, end=window_end, cursor=cursor)

        items, next_cursor = well_access(request, well_id, then=read).then
    elif well_id:
        raise ValidationFailed({"start": "Give start and end, or date, with wellId."})
    else:
        raise ValidationFailed({"wellId": "Give wellId (with start and end, or date), or stageId."})
    return {"items": [EventOut.values_of(e) for e in items], "next_cursor": next_cursor}


@router.get("/events/{event_id}", response=EventOut, by_alias=True)
def event_get(request: HttpRequest, event_id: str):
    event = event_of(request, event_id).event
    return EventOut.values_of(event)


@router.patch("/events/{event_id}", response=EventOut, by_alias=True)
def event_patch(request: HttpRequest, event_id: str, payload: EventPatch):
    event, well = event_of(request, event_id, Action.EDIT_RECORDS)
    data = payload.model_dump(exclude_unset=True)
    keep_stage = "stage_id" not in data
    event = services.event_update(
        actor=Actor.from_request(request),
        event=event,
        well=well,
        version=payload.version,
        stage=None if keep_stage else _stage_for(well, data.get("stage_id")),
        keep_stage=keep_stage,
        event_type=data.get("type"),
        title=data.get("title"),
        description=data.get("description"),
        metadata=data.get("metadata"),
        start=data.get("start_time"),
        end=("" if data.get("end_time") is None else data["end_time"]) if "end_time" in data else None,
    )
    return EventOut.values_of(event)


@router.delete("/events/{event_id}", response={204: None, 409: EventStale}, by_alias=True)
def event_delete(request: HttpRequest, event_id: str, version: int | None = VERSION_TO_DELETE):
    event, well = event_of(request, event_id, Action.EDIT_RECORDS)
    return deleted_or_stale(
        lambda: services.event_delete(actor=Actor.from_request(request), event=event, well=well, version=version),
        lambda: EventOut.values_of(selectors.event_get(event_id=event_id)),
    )
