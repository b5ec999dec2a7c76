"""Which wells a project or organization calendar shows."""

from __future__ import annotations

from wells.models import Well
from wells.selectors import drilling_wells, project_wells, well_search
from timeline.feeds import MAX_WELLS


def org_calendar_wells(*, org_id: str, status: str = "DRILLING") -> list[Well]:
    """By default the org's drilling wells (sparse index); with status "ALL" the first wells by name."""
    if status == "DRILLING":
        return drilling_wells(org_id=org_id, limit=MAX_WELLS)
    wells, _ = well_search(org_id=org_id, limit=MAX_WELLS * 4)
    if status and status != "ALL":
        wells = [w for w in wells if w.status == status]
    return wells[:MAX_WELLS]


def project_calendar_wells(*, project_id: str) -> list[Well]:
    wells, _ = project_wells(project_id=project_id, limit=MAX_WELLS)
    return wells
