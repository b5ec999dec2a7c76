"""The organization dashboard: counts, drilling wells, latest activity, recent files, next stages.

The page itself reads only the projects (their well counts by status: one Query). The
drilling wells with their current stage and the next planned stages, the activity and the
recent files load as fragments right after, each within a fixed number of DynamoDB requests:

- ``stages``: the drilling wells (sparse OrgDrillingWellsIndex), the stages in progress and
  the stages planned ahead (sparse OrgStageBoardIndex), then the wells and projects they name
  in one BatchGetItem: four requests, however large the org.
- ``activity`` and ``files``: one page of their index each, plus the names of the people.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.http import HttpRequest

from accounts.selectors import users_by_id
from files.selectors import org_files
from orgs.permissions import Action
from wells.models import StageStatus, WellStatus
from wells.selectors import drilling_wells, project_list, stages_in_progress, stages_planned_from, wells_and_projects
from wells.services.validation import PROJECT_STATUSES
from wells.times import zone
from welltrack.audit import org_activity
from welltrack.concurrency import in_background

DRILLING_SHOWN = 8  # drilling wells listed with their current stage
UPCOMING_READ = 30  # planned stages read (one Query page), soonest first
UPCOMING_SHOWN = 8
STILL_AHEAD = (WellStatus.PLANNING, WellStatus.DRILLING)  # completed and abandoned wells' plans are not "next"


def dashboard_context(request: HttpRequest, org) -> dict:
    projects, _ = project_list(org_id=org.org_id, limit=100)
    counts: dict[str, int] = {status: 0 for status in WellStatus}
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
        "can_manage_projects": request.reads.can(org.org_id, Action.MANAGE_PROJECTS),
        "can_manage_members": request.reads.can(org.org_id, Action.MANAGE_MEMBERS),
    }


def activity_part(org_id: str) -> dict:
    entries, _ = org_activity(org_id=org_id, limit=8)
    names = {k: v.name for k, v in users_by_id(user_ids={e.user_id for e in entries}).items()}
    return {"entries": entries, "user_names": names}


def files_part(org_id: str) -> dict:
    return {"files": org_files(org_id=org_id, limit=8).files}


def _is_upcoming(stage, well, now: datetime) -> bool:
    """PLANNED, with a start date from today on (today in the well's own zone)."""
    if stage.status != StageStatus.PLANNED or stage.start_date is None:
        return False
    today = now.astimezone(zone(well.time_zone)).date()
    return stage.start_date.astimezone(zone(well.time_zone)).date() >= today


def stages_part(org_id: str, now: datetime | None = None) -> dict:
    """The drilling wells with their current stage, and the next planned stages of the org's
    wells that are still to be drilled or being drilled (soonest first).

    Four requests, whatever the size or age of the organization, overlapping where they can:
    the stages planned from yesterday on and the drilling wells (sparse indexes), then the
    stages in progress on the drilling wells shown and one BatchGetItem for the wells of
    the planned stages and the projects of the drilling wells.
    """
    now = now or datetime.now(UTC)
    # The earliest zone is 14 hours ahead of UTC: from yesterday's UTC date on covers "today"
    # in every well's zone; _is_upcoming then decides in the well's own.
    with in_background(
        stages_planned_from, org_id=org_id, start=now - timedelta(days=1), limit=UPCOMING_READ
    ) as planned_read:
        drilling = drilling_wells(org_id=org_id, limit=DRILLING_SHOWN + 1)
        shown = drilling[:DRILLING_SHOWN]
        with in_background(stages_in_progress, org_id=org_id, well_ids=[w.well_id for w in shown]) as running_read:
            planned = planned_read.result()
            wells, projects = wells_and_projects(
                well_ids=[s.well_id for s in planned], project_ids=[w.project_id for w in shown], org_id=org_id
            )
            running = running_read.result()
    current = {}
    for stage in sorted(running, key=lambda s: s.order):
        current.setdefault(stage.well_id, stage)
    upcoming = sorted(
        (
            (wells[s.well_id], s)
            for s in planned
            if s.well_id in wells and wells[s.well_id].status in STILL_AHEAD and _is_upcoming(s, wells[s.well_id], now)
        ),
        key=lambda pair: (pair[1].start_date, pair[0].name),
    )
    return {
        "current": [(well, current.get(well.well_id)) for well in shown],
        "drilling_more": len(drilling) > DRILLING_SHOWN,
        "upcoming": upcoming[:UPCOMING_SHOWN],
        "project_names": {p.project_id: p.name for p in projects.values()},
    }


PARTS = {"activity": activity_part, "files": files_part, "stages": stages_part}
