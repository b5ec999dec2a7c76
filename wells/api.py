"""JSON API of projects, wells, stages and events (camelCase; every item carries its version)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import Field

from orgs.permissions import Action, authorize, authorize_with, can
from wells import selectors, services
from wells.models import Event, Project, Stage, Well
from wells.services.wells import well_values
from wells.times import parse_date, parse_moment
from welltrack.actor import Actor
from welltrack.errors import NotFound, ValidationFailed
from welltrack.schemas import VERSION_TO_DELETE, CamelSchema, OutSchema, deleted_or_stale

router = Router(tags=["wells"])


# --- schemas ------------------------------------------------------------------------------


class ProjectIn(CamelSchema):
    org_id: str = Field(max_length=64)
    name: str = Field(max_length=500)
    location: str = Field(default="", max_length=500)
    description: str = Field(default="", max_length=10000)


class ProjectPatch(CamelSchema):
    version: int
    name: str | None = Field(default=None, max_length=500)
    location: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=10000)
    status: str | None = Field(default=None, max_length=50)


class ProjectOut(OutSchema):
    project_id: str
    org_id: str
    name: str
    location: str
    description: str
    status: str
    well_counts: dict[str, int]
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int


class LocationSchema(CamelSchema):
    latitude: float
    longitude: float


class WellIn(CamelSchema):
    project_id: str = Field(max_length=64)
    name: str = Field(max_length=500)
    well_number: str = Field(default="", max_length=500)
    location: LocationSchema | None = None
    depth: float | None = None
    status: str = Field(default="PLANNING", max_length=50)
    start_date: str | None = Field(default=None, max_length=50)
    end_date: str | None = Field(default=None, max_length=50)
    metadata: dict[str, Any] = Field(default_factory=dict)
    time_zone: str | None = Field(default=None, max_length=100)


class WellPatch(CamelSchema):
    version: int
    name: str | None = Field(default=None, max_length=500)
    well_number: str | None = Field(default=None, max_length=500)
    location: LocationSchema | None = None
    depth: float | None = None
    status: str | None = Field(default=None, max_length=50)
    start_date: str | None = Field(default=None, max_length=50)
    end_date: str | None = Field(default=None, max_length=50)
    metadata: dict[str, Any] | None = None
    time_zone: str | None = Field(default=None, max_length=100)


class LocationOut(OutSchema):
    latitude: float
    longitude: float


class WellOut(OutSchema):
    well_id: str
    project_id: str
    org_id: str
    name: str
    well_number: str
    location: LocationOut | None
    depth: float | None
    status: str
    start_date: str | None
    end_date: str | None
    metadata: dict[str, Any]
    time_zone: str
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int


class StageIn(CamelSchema):
    well_id: str = Field(max_length=64)
    name: str = Field(max_length=500)
    type: str = Field(default="OTHER", max_length=50)
    status: str = Field(default="PLANNED", max_length=50)
    start_date: str | None = Field(default=None, max_length=50)
    end_date: str | None = Field(default=None, max_length=50)
    description: str = Field(default="", max_length=10000)


class StagePatch(CamelSchema):
    version: int
    name: str | None = Field(default=None, max_length=500)
    type: str | None = Field(default=None, max_length=50)
    status: str | None = Field(default=None, max_length=50)
    start_date: str | None = Field(default=None, max_length=50)
    end_date: str | None = Field(default=None, max_length=50)
    description: str | None = Field(default=None, max_length=10000)
    order: int | None = Field(default=None, description="Move the stage to this position (0-based).")


class StageOut(OutSchema):
    stage_id: str
    well_id: str
    name: str
    type: str
    status: str
    start_date: datetime | None
    end_date: datetime | None
    order: int
    description: str
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int


class EventIn(CamelSchema):
    well_id: str = Field(max_length=64)
    stage_id: str | None = Field(default=None, max_length=64)
    type: str = Field(max_length=50)
    title: str = Field(max_length=500)
    description: str = Field(default="", max_length=10000)
    start_time: str = Field(max_length=50, description="ISO 8601; without an offset it is the well's local time.")
    end_time: str | None = Field(default=None, max_length=50)
    metadata: dict[str, Any] = Field(default_factory=dict)


class EventPatch(CamelSchema):
    version: int
    stage_id: str | None = Field(default=None, max_length=64)
    type: str | None = Field(default=None, max_length=50)
    title: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=10000)
    start_time: str | None = Field(default=None, max_length=50)
    end_time: str | None = Field(default=None, max_length=50)
    metadata: dict[str, Any] | None = None


class EventOut(OutSchema):
    event_id: str
    well_id: str
    stage_id: str | None
    type: str
    title: str
    description: str
    start_time: str
    end_time: str | None
    metadata: dict[str, Any]
    file_id: str | None
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int


class ProjectStale(OutSchema):
    detail: str
    current: ProjectOut


class WellStale(OutSchema):
    detail: str
    current: WellOut


class StageStale(OutSchema):
    detail: str
    current: StageOut


class EventStale(OutSchema):
    detail: str
    current: EventOut


class Page(OutSchema):
    next_cursor: str | None = None


class ProjectPage(Page):
    items: list[ProjectOut]


class WellPage(Page):
    items: list[WellOut]


class StagePage(Page):
    items: list[StageOut]


class EventPage(Page):
    items: list[EventOut]


# --- conversions --------------------------------------------------------------------------


def project_out(p: Project) -> dict:
    return {
        "project_id": p.project_id,
        "org_id": p.org_id,
        "name": p.name,
        "location": p.location,
        "description": p.description,
        "status": p.status,
        "well_counts": {k: int(v) for k, v in (p.well_counts.as_dict() if p.well_counts else {}).items()},
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "created_by": p.created_by,
        "updated_by": p.updated_by,
        "version": p.version,
    }


def well_out(w: Well) -> dict:
    values = well_values(w)
    location = (
        None if values["latitude"] is None else {"latitude": values["latitude"], "longitude": values["longitude"]}
    )
    return {
        "well_id": w.well_id,
        "project_id": w.project_id,
        "org_id": w.org_id,
        "name": w.name,
        "well_number": w.well_number,
        "location": location,
        "depth": w.depth,
        "status": w.status,
        "start_date": w.start_date,
        "end_date": w.end_date,
        "metadata": values["metadata"],
        "time_zone": w.time_zone,
        "created_at": w.created_at,
        "updated_at": w.updated_at,
        "created_by": w.created_by,
        "updated_by": w.updated_by,
        "version": w.version,
    }


def stage_out(s: Stage) -> dict:
    return {
        "stage_id": s.stage_id,
        "well_id": s.well_id,
        "name": s.name,
        "type": s.stage_type,
        "status": s.status,
        "start_date": s.start_date,
        "end_date": s.end_date,
        "order": int(s.order),
        "description": s.description,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "created_by": s.created_by,
        "updated_by": s.updated_by,
        "version": s.version,
    }


def event_out(e: Event) -> dict:
    # Straight from attribute_values (where PynamoDB's descriptors keep them): a day's list
    # reads 15 fields of each of some 60 events, and each descriptor access costs a microsecond.
    v = e.attribute_values
    metadata = v.get("metadata")
    return {
        "event_id": v.get("event_id"),
        "well_id": v.get("well_id"),
        "stage_id": v.get("stage_id"),
        "type": v.get("event_type"),
        "title": v.get("title"),
        "description": v.get("description"),
        "start_time": v.get("start_time"),
        "end_time": v.get("end_time"),
        "metadata": metadata.as_dict() if metadata else {},
        "file_id": v.get("file_id"),
        "created_at": v.get("created_at"),
        "updated_at": v.get("updated_at"),
        "created_by": v.get("created_by"),
        "updated_by": v.get("updated_by"),
        "version": v.get("version"),
    }


def _well(
    request: HttpRequest,
    well_id: str,
    action: Action = Action.VIEW,
    include_deleting: bool = False,
    org_id: str | None = None,
) -> Well:
    """The well, if the user may ``action`` it. When its organization is known (``org_id``, or
    a well this process has read before), the well and the membership are one BatchGetItem.

    A well whose deletion was interrupted is hidden: with ``include_deleting`` it answers only
    to those who may finish deleting it, and is missing (404) for everyone else.
    """
    org_id = org_id or selectors.known_org_of_well(well_id)
    if org_id is None:
        well = selectors.well_get(well_id=well_id, include_deleting=include_deleting)
    else:
        _, (well,) = authorize_with(request, org_id, Action.VIEW, also=[(Well, well_id)])
        if well.org_id != org_id:
            raise NotFound()
        selectors.remember_well(well)
    if well.lifecycle == "DELETED" and not (include_deleting and can(request, well.org_id, action)):
        raise NotFound()
    authorize(request, well.org_id, action)
    return well


def _project(
    request: HttpRequest, project_id: str, action: Action = Action.VIEW, include_deleting: bool = False
) -> Project:
    project = selectors.project_get(project_id=project_id, include_deleting=include_deleting)
    if project.status == "DELETED" and not can(request, project.org_id, action):
        raise NotFound()  # a hidden project is not there for anyone who may not finish deleting it
    authorize(request, project.org_id, action)
    return project


def _stage(request: HttpRequest, stage_id: str, action: Action = Action.VIEW) -> tuple[Stage, Well]:
    stage = selectors.stage_get(stage_id=stage_id)
    return stage, _well(request, stage.well_id, action, org_id=stage.org_id)


def _event(request: HttpRequest, event_id: str, action: Action = Action.VIEW) -> tuple[Event, Well]:
    event = selectors.event_get(event_id=event_id)
    return event, _well(request, event.well_id, action, org_id=event.org_id)


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


# --- projects -----------------------------------------------------------------------------


@router.post("/projects", response={201: ProjectOut}, by_alias=True)
def project_create(request: HttpRequest, payload: ProjectIn):
    authorize(request, payload.org_id, Action.MANAGE_PROJECTS)
    project = services.project_create(
        actor=Actor.from_request(request),
        org_id=payload.org_id,
        name=payload.name,
        location=payload.location,
        description=payload.description,
    )
    return Status(201, project_out(project))


@router.get("/projects", response=ProjectPage, by_alias=True)
def project_list(request: HttpRequest, org_id: str = Query(..., alias="orgId"), cursor: str | None = None):
    authorize(request, org_id, Action.VIEW)
    items, next_cursor = selectors.project_list(org_id=org_id, cursor=cursor)
    return {"items": [project_out(p) for p in items], "next_cursor": next_cursor}


@router.get("/projects/{project_id}", response=ProjectOut, by_alias=True)
def project_get(request: HttpRequest, project_id: str):
    return project_out(_project(request, project_id))


@router.patch("/projects/{project_id}", response=ProjectOut, by_alias=True)
def project_patch(request: HttpRequest, project_id: str, payload: ProjectPatch):
    project = _project(request, project_id, Action.MANAGE_PROJECTS)
    project = services.project_update(
        actor=Actor.from_request(request),
        project=project,
        version=payload.version,
        name=payload.name if payload.name is not None else project.name,
        location=payload.location if payload.location is not None else project.location,
        description=payload.description if payload.description is not None else project.description,
        status=payload.status if payload.status is not None else project.status,
    )
    # Read again: the copy's wellCounts may be older than the item's (they move without the version).
    return project_out(selectors.project_get(project_id=project.project_id))


@router.delete("/projects/{project_id}", response={204: None, 409: ProjectStale}, by_alias=True)
def project_delete(request: HttpRequest, project_id: str, version: int | None = VERSION_TO_DELETE):
    # DELETE again finishes a deletion that an outage interrupted (the project is hidden meanwhile).
    project = _project(request, project_id, Action.MANAGE_PROJECTS, include_deleting=True)
    return deleted_or_stale(
        lambda: services.project_delete(actor=Actor.from_request(request), project=project, version=version),
        lambda: project_out(selectors.project_get(project_id=project_id, include_deleting=True)),
    )


# --- wells --------------------------------------------------------------------------------


def _well_fields(payload, base: dict | None = None) -> dict:
    base = base or {}
    fields = dict(base)
    data = payload.model_dump(exclude_unset=True, exclude={"version", "project_id"})
    if "location" in data:
        location = data.pop("location")
        fields["latitude"] = location["latitude"] if location else None
        fields["longitude"] = location["longitude"] if location else None
    mapping = {
        "well_number": "well_number",
        "start_date": "start_date",
        "end_date": "end_date",
        "time_zone": "time_zone",
    }
    for key, value in data.items():
        fields[mapping.get(key, key)] = value
    return fields


@router.post("/wells", response={201: WellOut}, by_alias=True)
def well_create(request: HttpRequest, payload: WellIn):
    project = _project(request, payload.project_id, Action.EDIT_RECORDS)
    fields = _well_fields(payload)
    fields.setdefault("time_zone", request.user.time_zone)
    if not fields.get("time_zone"):
        fields["time_zone"] = request.user.time_zone
    well = services.well_create(actor=Actor.from_request(request), project=project, **fields)
    return Status(201, well_out(well))


@router.get("/wells", response=WellPage, by_alias=True)
def well_list(
    request: HttpRequest,
    project_id: str | None = Query(None, alias="projectId"),
    org_id: str | None = Query(None, alias="orgId"),
    q: str = Query("", max_length=200),
    cursor: str | None = None,
):
    if project_id:
        project = _project(request, project_id)
        items, next_cursor = selectors.project_wells(project_id=project.project_id, cursor=cursor)
    elif org_id:
        authorize(request, org_id, Action.VIEW)
        items, next_cursor = selectors.well_search(org_id=org_id, prefix=q, cursor=cursor)
    else:
        raise ValidationFailed({"projectId": "Give projectId, or orgId (with q for a name prefix)."})
    return {"items": [well_out(w) for w in items], "next_cursor": next_cursor}


@router.get("/wells/{well_id}", response=WellOut, by_alias=True)
def well_get(request: HttpRequest, well_id: str):
    return well_out(_well(request, well_id))


@router.patch("/wells/{well_id}", response=WellOut, by_alias=True)
def well_patch(request: HttpRequest, well_id: str, payload: WellPatch):
    well = _well(request, well_id, Action.EDIT_RECORDS)
    values = well_values(well)
    base = {
        "name": well.name,
        "well_number": well.well_number,
        "latitude": values["latitude"],
        "longitude": values["longitude"],
        "depth": well.depth,
        "status": well.status,
        "start_date": well.start_date,
        "end_date": well.end_date,
        "metadata": values["metadata"],
        "time_zone": well.time_zone,
    }
    project = selectors.project_get(project_id=well.project_id)
    well = services.well_update(
        actor=Actor.from_request(request),
        well=well,
        project=project,
        version=payload.version,
        **_well_fields(payload, base),
    )
    return well_out(well)


@router.delete("/wells/{well_id}", response={204: None, 409: WellStale}, by_alias=True)
def well_delete(request: HttpRequest, well_id: str, version: int | None = VERSION_TO_DELETE):
    # DELETE again finishes a deletion that an outage interrupted (the well is hidden meanwhile).
    well = _well(request, well_id, Action.DELETE_WELLS, include_deleting=True)
    return deleted_or_stale(
        lambda: services.well_delete(actor=Actor.from_request(request), well=well, version=version),
        lambda: well_out(selectors.well_get(well_id=well_id, include_deleting=True)),
    )


# --- stages -------------------------------------------------------------------------------


@router.post("/stages", response={201: StageOut}, by_alias=True)
def stage_create(request: HttpRequest, payload: StageIn):
    well = _well(request, payload.well_id, Action.EDIT_RECORDS)
    stage = services.stage_create(
        actor=Actor.from_request(request),
        well=well,
        name=payload.name,
        stage_type=payload.type,
        status=payload.status,
        description=payload.description,
        start=payload.start_date,
        end=payload.end_date,
    )
    return Status(201, stage_out(stage))


@router.get("/stages", response=StagePage, by_alias=True)
def stage_list(request: HttpRequest, well_id: str = Query(..., alias="wellId"), cursor: str | None = None):
    """The well's stages in order, 50 a page; ``nextCursor`` (signed) asks for the next page."""
    well = _well(request, well_id)
    items, next_cursor = selectors.stage_list(well_id=well.well_id, cursor=cursor)
    return {"items": [stage_out(s) for s in items], "next_cursor": next_cursor}


@router.get("/stages/{stage_id}", response=StageOut, by_alias=True)
def stage_get(request: HttpRequest, stage_id: str):
    stage, _ = _stage(request, stage_id)
    return stage_out(stage)


@router.patch("/stages/{stage_id}", response=StageOut, by_alias=True)
def stage_patch(request: HttpRequest, stage_id: str, payload: StagePatch):
    stage, well = _stage(request, stage_id, Action.EDIT_RECORDS)
    data = payload.model_dump(exclude_unset=True)
    fields = {
        "name": data.get("name", stage.name),
        "stage_type": data.get("type", stage.stage_type),
        "status": data.get("status", stage.status),
        "description": data.get("description", stage.description),
        "start": data.get("start_date", stage.start_date),
        "end": data.get("end_date", stage.end_date),
    }
    # One service call: the fields and the new position are checked first and written together.
    stage = services.stage_update(
        actor=Actor.from_request(request),
        stage=stage,
        well=well,
        version=payload.version,
        order=payload.order,
        **fields,
    )
    return stage_out(stage)


@router.delete("/stages/{stage_id}", response={204: None, 409: StageStale}, by_alias=True)
def stage_delete(
    request: HttpRequest,
    stage_id: str,
    events: str = Query("keep", description="keep or delete"),
    version: int | None = VERSION_TO_DELETE,
):
    stage, _ = _stage(request, stage_id, Action.EDIT_RECORDS)
    return deleted_or_stale(
        lambda: services.stage_delete(actor=Actor.from_request(request), stage=stage, events=events, version=version),
        lambda: stage_out(selectors.stage_get(stage_id=stage_id)),
    )


# --- events -------------------------------------------------------------------------------


def _window_bound(value: str, field: str, zone_name: str) -> datetime:
    return parse_moment(value, field=field, zone_name=zone_name)


@router.post("/events", response={201: EventOut}, by_alias=True)
def event_create(request: HttpRequest, payload: EventIn):
    well = _well(request, payload.well_id, Action.EDIT_RECORDS)
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
    return Status(201, event_out(event))


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
        stage, _ = _stage(request, stage_id)
        items, next_cursor = selectors.stage_events(stage_id=stage.stage_id, cursor=cursor)
    elif well_id and (date_ or (start and end)):
        # The event Queries go out with the authorization's read (selectors.read_ahead_of_well);
        # their answer is used only once _well() has allowed it.
        def read(well: Well) -> tuple[list[Event], str | None]:
            if date_:
                on_date = selectors.events_starting_on if starting_only else selectors.events_on_date
                return on_date(well=well, day=parse_date(date_, field="date"), cursor=cursor)
            window_start = _window_bound(start, "start", well.time_zone)
            window_end = _window_bound(end, "end", well.time_zone)
            if window_end <= window_start:
                raise ValidationFailed({"end": "The end of the window must be after its start."})
            return selectors.events_in_window(well=well, start=window_start, end=window_end, cursor=cursor)

        with selectors.read_ahead_of_well(well_id, read) as answer:
            items, next_cursor = answer(_well(request, well_id))
    elif well_id:
        raise ValidationFailed({"start": "Give start and end, or date, with wellId."})
    else:
        raise ValidationFailed({"wellId": "Give wellId (with start and end, or date), or stageId."})
    return {"items": [event_out(e) for e in items], "next_cursor": next_cursor}


@router.get("/events/{event_id}", response=EventOut, by_alias=True)
def event_get(request: HttpRequest, event_id: str):
    event, _ = _event(request, event_id)
    return event_out(event)


@router.patch("/events/{event_id}", response=EventOut, by_alias=True)
def event_patch(request: HttpRequest, event_id: str, payload: EventPatch):
    event, well = _event(request, event_id, Action.EDIT_RECORDS)
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
    return event_out(event)


@router.delete("/events/{event_id}", response={204: None, 409: EventStale}, by_alias=True)
def event_delete(request: HttpRequest, event_id: str, version: int | None = VERSION_TO_DELETE):
    event, _ = _event(request, event_id, Action.EDIT_RECORDS)
    return deleted_or_stale(
        lambda: services.event_delete(actor=Actor.from_request(request), event=event, version=version),
        lambda: event_out(selectors.event_get(event_id=event_id)),
    )
