"""The organization dashboard: counts, drilling wells, latest activity, recent files, next stages."""

from __future__ import annotations

from django.http import HttpRequest

from orgs.permissions import Action, can


def dashboard_context(request: HttpRequest, org) -> dict:
    from wells.selectors import project_list

    projects, _ = project_list(org_id=org.org_id, limit=100)
    counts: dict[str, int] = {"PLANNING": 0, "DRILLING": 0, "COMPLETED": 0, "ABANDONED": 0}
    for project in projects:
        for status, number in (project.well_counts.as_dict() if project.well_counts else {}).items():
            counts[status] = counts.get(status, 0) + int(number)
    project_counts: dict[str, int] = {}
    for project in projects:
        project_counts[project.status] = project_counts.get(project.status, 0) + 1
    return {
        "projects": projects,
        "well_counts": counts,
        "well_total": sum(counts.values()),
        "project_counts": project_counts,
        "can_manage_projects": can(request, org.org_id, Action.MANAGE_PROJECTS),
        "can_manage_members": can(request, org.org_id, Action.MANAGE_MEMBERS),
    }
