"""Test support: a project with a well, made through the services."""

from __future__ import annotations

from welltrack.actor import Actor


def actor_for(user) -> Actor:
    return Actor(user.user_id, "127.0.0.1")


def make_project(org_world, name: str = "Tengiz Field"):
    from wells.services import project_create

    return project_create(
        actor=actor_for(org_world.users["ADMIN"]),
        org_id=org_world.org.org_id,
        name=name,
        location="Atyrau",
        description="Onshore",
    )


def make_well(org_world, project=None, name: str = "JS-A-12", time_zone: str = "Asia/Almaty", **fields):
    from wells.selectors import project_get
    from wells.services import well_create

    project = project or make_project(org_world)
    project = project_get(project_id=project.project_id)
    defaults = {
        "well_number": "KZ-0012",
        "latitude": 46.1,
        "longitude": 53.2,
        "depth": 3200,
        "status": "PLANNING",
        "start_date": "2026-01-10",
        "end_date": None,
        "metadata": {"rig": "Rig 7"},
        "time_zone": time_zone,
    }
    defaults.update(fields)
    return well_create(actor=actor_for(org_world.users["EDITOR"]), project=project, name=name, **defaults)
