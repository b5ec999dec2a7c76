"""JSON API of stages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from orgs.permissions import Action
from wells import selectors, services
from wells.api.access import stage_of, well_of
from wells.api.schemas import StageIn, StageOut, StagePage, StagePatch, StageStale
from welltrack.actor import Actor
from welltrack.schemas import VERSION_TO_DELETE, deleted_or_stale

router = Router()


@router.post("/stages", response={201: StageOut}, by_alias=True)
def stage_create(request: HttpRequest, payload: StageIn):
    well = well_of(request, payload.well_id, Action.EDIT_RECORDS)
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
    return Status(201, StageOut.values_of(stage))


@router.get("/stages", response=StagePage, by_alias=True)
def stage_list(request: HttpRequest, well_id: str = Query(..., alias="wellId"), cursor: str | None = None):
    """The well's stages in order, 50 a page; ``nextCursor`` (signed) asks for the next page."""
    well = well_of(request, well_id)
    items, next_cursor = selectors.stage_list(well_id=well.well_id, cursor=cursor)
    return {"items": [StageOut.values_of(s) for s in items], "next_cursor": next_cursor}


@router.get("/stages/{stage_id}", response=StageOut, by_alias=True)
def stage_get(request: HttpRequest, stage_id: str):
    stage = stage_of(request, stage_id).stage
    return StageOut.values_of(stage)


@router.patch("/stages/{stage_id}", response=StageOut, by_alias=True)
def stage_patch(request: HttpRequest, stage_id: str, payload: StagePatch):
    stage, well = stage_of(request, stage_id, Action.EDIT_RECORDS)
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
    return StageOut.values_of(stage)


@router.delete("/stages/{stage_id}", response={204: None, 409: StageStale}, by_alias=True)
def stage_delete(
    request: HttpRequest,
    stage_id: str,
    events: str = Query("keep", description="keep or delete"),
    version: int | None = VERSION_TO_DELETE,
):
    stage = stage_of(request, stage_id, Action.EDIT_RECORDS).stage
    return deleted_or_stale(
        lambda: services.stage_delete(actor=Actor.from_request(request), stage=stage, events=events, version=version),
        lambda: StageOut.values_of(selectors.stage_get(stage_id=stage_id)),
    )
