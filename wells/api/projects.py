"""JSON API of projects."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from orgs.permissions import Action
from wells import selectors, services
from wells.api.access import project_of
from wells.api.schemas import ProjectIn, ProjectOut, ProjectPage, ProjectPatch, ProjectStale
from welltrack.actor import Actor
from welltrack.schemas import VERSION_TO_DELETE, deleted_or_stale

router = Router()


@router.post("/projects", response={201: ProjectOut}, by_alias=True)
def project_create(request: HttpRequest, payload: ProjectIn):
    request.reads.authorize(payload.org_id, Action.MANAGE_PROJECTS)
    project = services.project_create(
        actor=Actor.from_request(request),
        org_id=payload.org_id,
        name=payload.name,
        location=payload.location,
        description=payload.description,
    )
    return Status(201, ProjectOut.values_of(project))


@router.get("/projects", response=ProjectPage, by_alias=True)
def project_list(request: HttpRequest, org_id: str = Query(..., alias="orgId"), cursor: str | None = None):
    request.reads.authorize(org_id, Action.VIEW)
    items, next_cursor = selectors.project_list(org_id=org_id, cursor=cursor)
    return {"items": [ProjectOut.values_of(p) for p in items], "next_cursor": next_cursor}


@router.get("/projects/{project_id}", response=ProjectOut, by_alias=True)
def project_get(request: HttpRequest, project_id: str):
    return ProjectOut.values_of(project_of(request, project_id))


@router.patch("/projects/{project_id}", response=ProjectOut, by_alias=True)
def project_patch(request: HttpRequest, project_id: str, payload: ProjectPatch):
    project = project_of(request, project_id, Action.MANAGE_PROJECTS)
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
    return ProjectOut.values_of(selectors.project_get(project_id=project.project_id))


@router.delete("/projects/{project_id}", response={204: None, 409: ProjectStale}, by_alias=True)
def project_delete(request: HttpRequest, project_id: str, version: int | None = VERSION_TO_DELETE):
    # DELETE again finishes a deletion that an outage interrupted (the project is hidden meanwhile).
    project = project_of(request, project_id, Action.MANAGE_PROJECTS, include_deleting=True)
    return deleted_or_stale(
        lambda: services.project_delete(actor=Actor.from_request(request), project=project, version=version),
        lambda: ProjectOut.values_of(selectors.project_get(project_id=project_id, include_deleting=True)),
    )
