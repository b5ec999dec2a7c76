"""Which project, well, stage or event a request may reach (404 where it may not see it)."""

from __future__ import annotations

from django.http import HttpRequest

from orgs.permissions import Action, authorize, authorize_with, can
from wells import selectors
from wells.models import Event, Project, Stage, Well
from welltrack.errors import NotFound


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
