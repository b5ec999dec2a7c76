"""The organization dashboard: counts, drilling wells, latest activity, recent files, next stages.

The page itself reads only the projects (their well counts by status: one Query). The
drilling wells with their current stage and the next planned stages, the activity and the
recent files load as fragments right after, each within a fixed number of DynamoDB requests:

- ``stages``: one Query for the drilling wells (sparse OrgDrillingWellsIndex), one for the
  projects (their names), one for the org's wells by name when fewer than UPCOMING_WELLS are
  drilling (to add PLANNING wells, the only others that still have stages ahead), and one
  stage Query per well looked at — at most 3 + UPCOMING_WELLS requests, however large the
  org. Completed and abandoned wells have nothing planned and are not read.
- ``activity`` and ``files``: one page of their index each, plus the names of the people.
"""

from __future__ import annotations

from datetime import datetime, timezone

from django.http import HttpRequest

from orgs.permissions import Action, can
from welltrack.concurrency import ContextThreadPoolExecutor
from wells.services.validation import PROJECT_STATUSES
from wells.times import zone

DRILLING_SHOWN = 8  # drilling wells listed with their current stage
UPCOMING_WELLS = 30  # wells whose stages are read for "next planned stages"
UPCOMING_SHOWN = 8
PLANNING_SCANNED = 200  # the org's wells read by name to find PLANNING ones (one Query)


def dashboard_context(request: HttpRequest, org) -> dict:
    from wells.selectors import project_list

    projects, _ = project_list(org_id=org.org_id, limit=100)
    counts: dict[str, int] = {"PLANNING": 0, "DRILLING": 0, "COMPLETED": 0, "ABANDONED": 0}
    project_counts: dict[str, int] = {status: 0 for status in PROJECT_STATUSES}
    for project in projects:
        project_counts[project.status] = project_counts.get(project.status, 0) + 1
        for status, number in (project.well_counts.as_dict() if project.well_counts else {}).items():
            counts[status] = counts.get(status, 0) + int(number)
    return {
        "projects": projects,
        "well_counts": counts,
        "well_total": sum(counts.values()),
        "project_counts": project_counts,
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


def _is_upcoming(stage, well, now: datetime) -> bool:
    """PLANNED, with a start date from today on (today in the well's own zone)."""
    if stage.status != "PLANNED" or stage.start_date is None:
        return False
    today = now.astimezone(zone(well.time_zone)).date()
    return stage.start_date.astimezone(zone(well.time_zone)).date() >= today


def stages_part(org_id: str, now: datetime | None = None) -> dict:
    """The drilling wells with their current stage, and the next planned stages of the org's
    drilling and planning wells (soonest first)."""
    from wells.selectors import drilling_wells, project_list, stage_list_all, well_search

    now = now or datetime.now(timezone.utc)
    drilling = drilling_wells(org_id=org_id, limit=UPCOMING_WELLS + 1)
    looked_at = drilling[:UPCOMING_WELLS]
    if len(looked_at) < UPCOMING_WELLS:
        named, _ = well_search(org_id=org_id, limit=PLANNING_SCANNED)
        looked_at += [w for w in named if w.status == "PLANNING"][:UPCOMING_WELLS - len(looked_at)]
    projects, _ = project_list(org_id=org_id, limit=100)
    stage_lists: list = []
    if looked_at:
        with ContextThreadPoolExecutor(max_workers=min(8, len(looked_at))) as pool:
            stage_lists = list(pool.map(lambda w: stage_list_all(well_id=w.well_id), looked_at))
    stages_of = {well.well_id: stages for well, stages in zip(looked_at, stage_lists)}

    current = []
    for well in drilling[:DRILLING_SHOWN]:
        running = next((s for s in stages_of.get(well.well_id, []) if s.status == "IN_PROGRESS"), None)
        current.append((well, running))
    upcoming = sorted(((well, stage) for well in looked_at for stage in stages_of[well.well_id]
                       if _is_upcoming(stage, well, now)), key=lambda pair: (pair[1].start_date, pair[0].name))
    return {
        "current": current,
        "drilling_more": len(drilling) > DRILLING_SHOWN,
        "upcoming": upcoming[:UPCOMING_SHOWN],
        "project_names": {p.project_id: p.name for p in projects},
    }


PARTS = {"activity": activity_part, "files": files_part, "stages": stages_part}
