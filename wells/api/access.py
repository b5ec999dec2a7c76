"""Which project, well, stage or event an API request may reach, asked of ``request.reads``
(orgs.reads): 404 where the user may not see it, 403 where the role is too low."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TypeVar

from django.http import HttpRequest

from orgs.permissions import Action
from orgs.reads import RecordAccess
from wells import selectors
from wells.models import Event, Project, Stage, Well

T = TypeVar("T")


def well_access(
    request: HttpRequest,
    well_id: str,
    action: Action = Action.VIEW,
    *,
    include_deleting: bool = False,
    org_id: str | None = None,
    then: Callable[[Well], T] | None = None,
) -> RecordAccess[Well, T]:
    """The well, if the user may ``action`` it. A well whose deletion was interrupted is hidden:
    with ``include_deleting`` it answers only to those who may finish deleting it.

    ``then(well)`` is read with the well (orgs.reads, "reads ahead"): it may use only the well's
    id, organization and the attributes of selectors.WINDOW_QUERY_SHAPE.
    """
    return request.reads.record(
        Well,
        well_id,
        action,
        org_id=org_id,
        hidden=selectors.well_is_hidden,
        include_hidden=include_deleting,
        then=then,
        hint=selectors.WINDOW_QUERY_SHAPE if then is not None else (),
    )


def well_of(request: HttpRequest, well_id: str, action: Action = Action.VIEW, **options) -> Well:
    return well_access(request, well_id, action, **options).item


def project_of(
    request: HttpRequest, project_id: str, action: Action = Action.VIEW, *, include_deleting: bool = False
) -> Project:
    """The project, if the user may ``action`` it (a project being deleted: as for wells)."""
    return request.reads.record(
        Project, project_id, action, hidden=selectors.project_is_hidden, include_hidden=include_deleting
    ).item


class StageOfWell(NamedTuple):
    stage: Stage
    well: Well


class EventOfWell(NamedTuple):
    event: Event
    well: Well


def stage_of(request: HttpRequest, stage_id: str, action: Action = Action.VIEW) -> StageOfWell:
    """The stage and its well; the well is read with the membership (the stage names its org)."""
    stage = selectors.stage_get(stage_id=stage_id)
    return StageOfWell(stage, well_of(request, stage.well_id, action, org_id=stage.org_id))


def event_of(request: HttpRequest, event_id: str, action: Action = Action.VIEW) -> EventOfWell:
    """The event and its well; the well is read with the membership (the event names its org)."""
    event = selectors.event_get(event_id=event_id)
    return EventOfWell(event, well_of(request, event.well_id, action, org_id=event.org_id))
