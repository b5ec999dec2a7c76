"""Access rows for projects, wells, stages and events (see tests/access.py)."""

import uuid

from tests.access import Access, expect
from wells.testing import actor_for


def build(world):
    from wells import services
    from wells.testing import make_project, make_well

    world.extra["project"] = make_project(world)
    world.extra["well"] = make_well(world, world.extra["project"])
    actor = actor_for(world.users["EDITOR"])
    world.extra["stage"] = services.stage_create(
        actor=actor, well=world.extra["well"], name="Drilling", stage_type="DRILLING"
    )
    world.extra["event"] = services.event_create(
        actor=actor, well=world.extra["well"], event_type="NOTE", title="Spud", start="2026-03-01T08:00"
    )


def _org(w):
    return f"/orgs/{w.org.org_id}"


def fresh_project(w):
    from wells.testing import make_project

    return make_project(w, name=f"Field {uuid.uuid4().hex[:6]}")


def fresh_well(w):
    from wells.testing import make_well

    return make_well(w, w.extra["project"], name=f"W-{uuid.uuid4().hex[:6]}")


def fresh_stage(w):
    from wells import services

    return services.stage_create(
        actor=actor_for(w.users["EDITOR"]), well=w.extra["well"], name="Temp", stage_type="OTHER"
    )


def fresh_event(w):
    from wells import services
    from wells.selectors import well_get

    well = well_get(well_id=w.extra["well"].well_id)
    return services.event_create(
        actor=actor_for(w.users["EDITOR"]), well=well, event_type="NOTE", title="Temp", start="2026-03-02T08:00"
    )


P = lambda w: w.extra["project"].project_id  # noqa: E731
W = lambda w: w.extra["well"].well_id  # noqa: E731
S = lambda w: w.extra["stage"].stage_id  # noqa: E731
E = lambda w: w.extra["event"].event_id  # noqa: E731
# A refused or invalid POST: redirect to login (anonymous), 404 outsider, 403 low role, 422 bad input for the allowed.
FORM_INVALID = lambda role: expect(role, 422)  # noqa: E731

ROWS = [
    Access("orgs/<str:org_id>/projects/", "GET", lambda w: f"{_org(w)}/projects/", expect("VIEWER")),
    Access("orgs/<str:org_id>/projects/new/", "GET", lambda w: f"{_org(w)}/projects/new/", expect("ADMIN")),
    Access(
        "orgs/<str:org_id>/projects/new/",
        "POST",
        lambda w: f"{_org(w)}/projects/new/",
        expect("ADMIN", 302),
        data=lambda w: {"name": f"Field {uuid.uuid4().hex[:6]}", "status": "ACTIVE"},
    ),
    Access(
        "orgs/<str:org_id>/projects/<str:project_id>/", "GET", lambda w: f"{_org(w)}/projects/{P(w)}/", expect("VIEWER")
    ),
    Access(
        "orgs/<str:org_id>/projects/<str:project_id>/edit/",
        "GET",
        lambda w: f"{_org(w)}/projects/{P(w)}/edit/",
        expect("ADMIN"),
    ),
    Access(
        "orgs/<str:org_id>/projects/<str:project_id>/edit/",
        "POST",
        lambda w: f"{_org(w)}/projects/{P(w)}/edit/",
        FORM_INVALID("ADMIN"),
        data=lambda w: {"name": "", "status": "ACTIVE"},
        note="invalid",
    ),
    Access(
        "orgs/<str:org_id>/projects/<str:project_id>/delete/",
        "GET",
        lambda w: f"{_org(w)}/projects/{P(w)}/delete/",
        expect("ADMIN"),
    ),
    Access(
        "orgs/<str:org_id>/projects/<str:project_id>/delete/",
        "POST",
        lambda w: f"{_org(w)}/projects/{fresh_project(w).project_id}/delete/",
        expect("ADMIN", 302),
    ),
    Access(
        "orgs/<str:org_id>/projects/<str:project_id>/wells/new/",
        "GET",
        lambda w: f"{_org(w)}/projects/{P(w)}/wells/new/",
        expect("EDITOR"),
    ),
    Access(
        "orgs/<str:org_id>/projects/<str:project_id>/wells/new/",
        "POST",
        lambda w: f"{_org(w)}/projects/{P(w)}/wells/new/",
        FORM_INVALID("EDITOR"),
        data=lambda w: {"name": "X", "status": "PLANNING", "latitude": "95", "longitude": "1", "time_zone": "UTC"},
        note="invalid",
    ),
    Access("orgs/<str:org_id>/wells/", "GET", lambda w: f"{_org(w)}/wells/?q=JS", expect("VIEWER")),
    Access("orgs/<str:org_id>/wells/<str:well_id>/", "GET", lambda w: f"{_org(w)}/wells/{W(w)}/", expect("VIEWER")),
    Access(
        "orgs/<str:org_id>/wells/<str:well_id>/edit/",
        "GET",
        lambda w: f"{_org(w)}/wells/{W(w)}/edit/",
        expect("EDITOR"),
    ),
    Access(
        "orgs/<str:org_id>/wells/<str:well_id>/edit/",
        "POST",
        lambda w: f"{_org(w)}/wells/{W(w)}/edit/",
        FORM_INVALID("EDITOR"),
        data=lambda w: {"name": "", "status": "PLANNING", "time_zone": "UTC"},
        note="invalid",
    ),
    Access(
        "orgs/<str:org_id>/wells/<str:well_id>/delete/",
        "GET",
        lambda w: f"{_org(w)}/wells/{W(w)}/delete/",
        expect("ADMIN"),
    ),
    Access(
        "orgs/<str:org_id>/wells/<str:well_id>/delete/",
        "POST",
        lambda w: f"{_org(w)}/wells/{fresh_well(w).well_id}/delete/",
        expect("ADMIN", 302),
    ),
    Access(
        "orgs/<str:org_id>/wells/<str:well_id>/stages/new/",
        "GET",
        lambda w: f"{_org(w)}/wells/{W(w)}/stages/new/",
        expect("EDITOR"),
    ),
    Access(
        "orgs/<str:org_id>/wells/<str:well_id>/stages/new/",
        "POST",
        lambda w: f"{_org(w)}/wells/{W(w)}/stages/new/",
        expect("EDITOR", 302),
        data=lambda w: {"name": "Completion", "stage_type": "COMPLETION", "status": "PLANNED"},
    ),
    Access(
        "orgs/<str:org_id>/wells/<str:well_id>/events/new/",
        "GET",
        lambda w: f"{_org(w)}/wells/{W(w)}/events/new/",
        expect("EDITOR"),
    ),
    Access(
        "orgs/<str:org_id>/wells/<str:well_id>/events/new/",
        "POST",
        lambda w: f"{_org(w)}/wells/{W(w)}/events/new/",
        expect("EDITOR", 302),
        data=lambda w: {"event_type": "NOTE", "title": "Logged", "start": "2026-03-03T10:00"},
    ),
    Access("orgs/<str:org_id>/stages/<str:stage_id>/", "GET", lambda w: f"{_org(w)}/stages/{S(w)}/", expect("VIEWER")),
    Access(
        "orgs/<str:org_id>/stages/<str:stage_id>/edit/",
        "GET",
        lambda w: f"{_org(w)}/stages/{S(w)}/edit/",
        expect("EDITOR"),
    ),
    Access(
        "orgs/<str:org_id>/stages/<str:stage_id>/edit/",
        "POST",
        lambda w: f"{_org(w)}/stages/{S(w)}/edit/",
        FORM_INVALID("EDITOR"),
        data=lambda w: {"name": "", "stage_type": "DRILLING", "status": "PLANNED"},
        note="invalid",
    ),
    Access(
        "orgs/<str:org_id>/stages/<str:stage_id>/move/",
        "POST",
        lambda w: f"{_org(w)}/stages/{S(w)}/move/",
        expect("EDITOR", 302),
        data=lambda w: {"direction": "down"},
    ),
    Access(
        "orgs/<str:org_id>/stages/<str:stage_id>/delete/",
        "GET",
        lambda w: f"{_org(w)}/stages/{S(w)}/delete/",
        expect("EDITOR"),
    ),
    Access(
        "orgs/<str:org_id>/stages/<str:stage_id>/delete/",
        "POST",
        lambda w: f"{_org(w)}/stages/{fresh_stage(w).stage_id}/delete/",
        expect("EDITOR", 302),
        data=lambda w: {"events": "keep"},
    ),
    Access("orgs/<str:org_id>/events/<str:event_id>/", "GET", lambda w: f"{_org(w)}/events/{E(w)}/", expect("VIEWER")),
    Access(
        "orgs/<str:org_id>/events/<str:event_id>/edit/",
        "GET",
        lambda w: f"{_org(w)}/events/{E(w)}/edit/",
        expect("EDITOR"),
    ),
    Access(
        "orgs/<str:org_id>/events/<str:event_id>/edit/",
        "POST",
        lambda w: f"{_org(w)}/events/{E(w)}/edit/",
        FORM_INVALID("EDITOR"),
        data=lambda w: {"event_type": "NOTE", "title": "", "start": "2026-03-01T08:00"},
        note="invalid",
    ),
    Access(
        "orgs/<str:org_id>/events/<str:event_id>/delete/",
        "GET",
        lambda w: f"{_org(w)}/events/{E(w)}/delete/",
        expect("EDITOR"),
    ),
    Access(
        "orgs/<str:org_id>/events/<str:event_id>/delete/",
        "POST",
        lambda w: f"{_org(w)}/events/{fresh_event(w).event_id}/delete/",
        expect("EDITOR", 302),
    ),
    Access(
        "orgs/<str:org_id>/events/<str:event_id>/reschedule/",
        "POST",
        lambda w: f"{_org(w)}/events/{E(w)}/reschedule/",
        expect("EDITOR", 422),
        data=lambda w: {"start": "2026-03-01T09:00", "version": "not-a-number"},
    ),
]


def _v(kind: str, w) -> int:
    """The current version, so a PATCH reaches validation instead of the stale-version check."""
    from wells import selectors

    getter = {
        "project": lambda: selectors.project_get(project_id=P(w)),
        "well": lambda: selectors.well_get(well_id=W(w)),
        "stage": lambda: selectors.stage_get(stage_id=S(w)),
        "event": lambda: selectors.event_get(event_id=E(w)),
    }
    return getter[kind]().version


API = lambda role, ok=200: expect(role, ok, api=True)  # noqa: E731
# A GET of an object: non-members 404; members 200.
ROWS += [
    Access(
        "api/projects",
        "POST",
        lambda w: "/api/projects",
        API("ADMIN", 201),
        json=True,
        data=lambda w: {"orgId": w.org.org_id, "name": f"Api field {uuid.uuid4().hex[:6]}"},
    ),
    Access("api/projects", "GET", lambda w: f"/api/projects?orgId={w.org.org_id}", API("VIEWER")),
    Access("api/projects/<project_id>", "GET", lambda w: f"/api/projects/{P(w)}", API("VIEWER")),
    Access(
        "api/projects/<project_id>",
        "PATCH",
        lambda w: f"/api/projects/{P(w)}",
        API("ADMIN", 422),
        json=True,
        data=lambda w: {"version": _v("project", w), "status": "FLYING"},
    ),
    Access(
        "api/projects/<project_id>",
        "DELETE",
        lambda w: f"/api/projects/{fresh_project(w).project_id}",
        API("ADMIN", 204),
    ),
    Access(
        "api/wells",
        "POST",
        lambda w: "/api/wells",
        API("EDITOR", 201),
        json=True,
        data=lambda w: {"projectId": P(w), "name": f"API-{uuid.uuid4().hex[:6]}", "timeZone": "UTC"},
    ),
    Access("api/wells", "GET", lambda w: f"/api/wells?projectId={P(w)}", API("VIEWER")),
    Access("api/wells/<well_id>", "GET", lambda w: f"/api/wells/{W(w)}", API("VIEWER")),
    Access(
        "api/wells/<well_id>",
        "PATCH",
        lambda w: f"/api/wells/{W(w)}",
        API("EDITOR", 422),
        json=True,
        data=lambda w: {"version": _v("well", w), "location": {"latitude": 123, "longitude": 1}},
    ),
    Access("api/wells/<well_id>", "DELETE", lambda w: f"/api/wells/{fresh_well(w).well_id}", API("ADMIN", 204)),
    Access(
        "api/stages",
        "POST",
        lambda w: "/api/stages",
        API("EDITOR", 201),
        json=True,
        data=lambda w: {"wellId": W(w), "name": "Testing", "type": "TESTING"},
    ),
    Access("api/stages", "GET", lambda w: f"/api/stages?wellId={W(w)}", API("VIEWER")),
    Access("api/stages/<stage_id>", "GET", lambda w: f"/api/stages/{S(w)}", API("VIEWER")),
    Access(
        "api/stages/<stage_id>",
        "PATCH",
        lambda w: f"/api/stages/{S(w)}",
        API("EDITOR", 422),
        json=True,
        data=lambda w: {"version": _v("stage", w), "type": "NOPE"},
    ),
    Access("api/stages/<stage_id>", "DELETE", lambda w: f"/api/stages/{fresh_stage(w).stage_id}", API("EDITOR", 204)),
    Access(
        "api/events",
        "POST",
        lambda w: "/api/events",
        API("EDITOR", 201),
        json=True,
        data=lambda w: {"wellId": W(w), "type": "NOTE", "title": "Api note", "startTime": "2026-03-04T10:00:00Z"},
    ),
    Access("api/events", "GET", lambda w: f"/api/events?wellId={W(w)}&date=2026-03-01", API("VIEWER")),
    Access("api/events/<event_id>", "GET", lambda w: f"/api/events/{E(w)}", API("VIEWER")),
    Access(
        "api/events/<event_id>",
        "PATCH",
        lambda w: f"/api/events/{E(w)}",
        API("EDITOR", 422),
        json=True,
        data=lambda w: {"version": _v("event", w), "startTime": "not a time"},
    ),
    Access("api/events/<event_id>", "DELETE", lambda w: f"/api/events/{fresh_event(w).event_id}", API("EDITOR", 204)),
]
