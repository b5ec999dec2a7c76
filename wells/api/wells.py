"""JSON API of wells."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from orgs.permissions import Action
from wells import selectors, services
from wells.api.access import project_of, well_of
from wells.api.schemas import WellIn, WellOut, WellPage, WellPatch, WellStale
from wells.services.wells import well_values
from welltrack.actor import Actor
from welltrack.errors import ValidationFailed
from welltrack.schemas import VERSION_TO_DELETE, deleted_or_stale

router = Router()


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
    project = project_of(request, payload.project_id, Action.EDIT_RECORDS)
    fields = _well_fields(payload)
    fields.setdefault("time_zone", request.user.time_zone)
    if not fields.get("time_zone"):
        fields["time_zone"] = request.user.time_zone
    well = services.well_create(actor=Actor.from_request(request), project=project, **fields)
    return Status(201, WellOut.values_of(well))


@router.get("/wells", response=WellPage, by_alias=True)
def well_list(
    request: HttpRequest,
    project_id: str | None = Query(None, alias="projectId"),
    org_id: str | None = Query(None, alias="orgId"),
    q: str = Query("", max_length=200),
    cursor: str | None = None,
):
    if project_id:
        project = project_of(request, project_id)
        items, next_cursor = selectors.project_wells(project_id=project.project_id, cursor=cursor)
    elif org_id:
        request.reads.authorize(org_id, Action.VIEW)
        items, next_cursor = selectors.well_search(org_id=org_id, prefix=q, cursor=cursor)
    else:
        raise ValidationFailed({"projectId": "Give projectId, or orgId (with q for a name prefix)."})
    return {"items": [WellOut.values_of(w) for w in items], "next_cursor": next_cursor}


@router.get("/wells/{well_id}", response=WellOut, by_alias=True)
def well_get(request: HttpRequest, well_id: str):
    return WellOut.values_of(well_of(request, well_id))


@router.patch("/wells/{well_id}", response=WellOut, by_alias=True)
def well_patch(request: HttpRequest, well_id: str, payload: WellPatch):
    well = well_of(request, well_id, Action.EDIT_RECORDS)
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
    return WellOut.values_of(well)


@router.delete("/wells/{well_id}", response={204: None, 409: WellStale}, by_alias=True)
def well_delete(request: HttpRequest, well_id: str, version: int | None = VERSION_TO_DELETE):
    # DELETE again finishes a deletion that an outage interrupted (the well is hidden meanwhile).
    well = well_of(request, well_id, Action.DELETE_WELLS, include_deleting=True)
    return deleted_or_stale(
        lambda: services.well_delete(actor=Actor.from_request(request), well=well, version=version),
        lambda: WellOut.values_of(selectors.well_get(well_id=well_id, include_deleting=True)),
    )
