"""The organization dashboard: counts, drilling wells, latest activity, recent files, next stages.

The page itself reads the projects (their well counts) and the drilling wells (a sparse
index); the activity, the recent files and the stages of the drilling wells load as
fragments right after, each within its own small number of DynamoDB requests.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from django.http import HttpRequest

from orgs.permissions import Action, can

DRILLING_SHOWN = 8


def dashboard_context(request: HttpRequest, org) -> dict:
    from wells.selectors import drilling_wells, project_list

    projects, _ = project_list(org_id=org.org_id, limit=100)
    counts: dict[str, int] = {"PLANNING": 0, "DRILLING": 0, "COMPLETED": 0, "ABANDONED": 0}
    project_counts: dict[str, int] = {}
    for project in projects:
        project_counts[project.status] = project_counts.get(project.status, 0) + 1
        for status, number in (project.well_counts.as_dict() if project.well_counts else {}).items():
            counts[status] = counts.get(status, 0) + int(number)
    return {
        "projects": projects,
        "project_names": {p.project_id: p.name for p in projects},
        "well_counts": counts,
        "well_total": sum(counts.values()),
        "project_counts": project_counts,
        "drilling": drilling_wells(org_id=org.org_id, limit=DRILLING_SHOWN + 1),
        "drilling_shown": DRILLING_SHOWN,
        "can_manage_projects": can(request, org.org_id, Action.MANAGE_PROJECTS),
        "can_manage_members": can(request, org.org_id, Action.MANAGE_MEMBERS),
    }


def activity_part(org_id: str) -> dict:
    from accounts.selectors import users_by_id
    from orgs.selectors import org_activity

    entries, _ = org_activity(org_id=org_id, limit=8)
    names = {k: v.name for k, v in users_by_id(user_ids={e.user_id for e in entries}).items()}
    return {"entries": entries, "user_names": names}


def files_part(org_id: str) -> dict:
    from files.selectors import org_files

    files, _ = org_files(org_id=org_id, limit=8)
    return {"files": files}


def stages_part(org_id: str) -> dict:
    """Current stage of each drilling well, and the next planned stages among them."""
    from wells.selectors import drilling_wells, stage_list_all

    wells = drilling_wells(org_id=org_id, limit=DRILLING_SHOWN)
    if not wells:
        return {"current": [], "upcoming": []}
    with ThreadPoolExecutor(max_workers=min(8, len(wells))) as pool:
        stage_lists = list(pool.map(lambda w: stage_list_all(well_id=w.well_id), wells))
    now = datetime.now(timezone.utc)
    current, upcoming = [], []
    for well, stages in zip(wells, stage_lists):
        running = next((s for s in stages if s.status == "IN_PROGRESS"), None)
        current.append((well, running))
        for stage in stages:
            if stage.status == "PLANNED":
                upcoming.append((well, stage))
    upcoming.sort(key=lambda pair: (pair[1].start_date is None, pair[1].start_date or now))
    return {"current": current, "upcoming": upcoming[:8]}


PARTS = {"activity": activity_part, "files": files_part, "stages": stages_part}
