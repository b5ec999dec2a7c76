"""Which wells a project or organization calendar shows.

The filter comes first and the cap second: the wells a user ticked are read by id (a
BatchGetItem, whatever the size of the project), and only then are at most ``MAX_WELLS`` of
them kept, the first by name. Without a filter the calendar shows the first ``MAX_WELLS``
wells by name, and says so when there are more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wells.models import Well
from wells.selectors import drilling_wells, project_wells, well_search, wells_by_ids

MAX_WELLS = 60  # per feed request: each well shown costs its own Queries (see timeline.feeds)
LISTED_WELLS = 200  # wells listed as filters on a project or org calendar page (one Query)
WELL_CHOICES = 100  # wells a user may tick at once (the feed's ``well`` parameter)


@dataclass
class CalendarWells:
    """The wells a calendar reads (at most MAX_WELLS, by name) and how many matched the filters;
    ``more`` is True when the listing itself stopped at LISTED_WELLS, so ``matched`` is a lower bound."""

    wells: list[Well]
    matched: int
    more: bool = False
    listed: list[Well] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.more or self.matched > len(self.wells)


def _by_name(wells: list[Well]) -> list[Well]:
    return sorted(wells, key=lambda w: (w.name.lower(), w.well_id))


def _cap(candidates: list[Well], *, more: bool = False, listed: list[Well] | None = None) -> CalendarWells:
    ordered = _by_name(candidates)
    return CalendarWells(wells=ordered[:MAX_WELLS], matched=len(ordered), more=more, listed=listed or ordered)


def project_calendar_wells(
    *, project_id: str, org_id: str, well_ids: set[str] | frozenset = frozenset()
) -> CalendarWells:
    """The project's wells, or the ticked ones among them (filter first, then the cap)."""
    if well_ids:
        chosen = [w for w in wells_by_ids(well_ids=well_ids, org_id=org_id) if w.project_id == project_id]
        return _cap(chosen)
    wells, cursor = project_wells(project_id=project_id, limit=LISTED_WELLS)
    return _cap(wells, more=cursor is not None)


def org_calendar_wells(
    *, org_id: str, status: str = "DRILLING", well_ids: set[str] | frozenset = frozenset()
) -> CalendarWells:
    """By default the org's drilling wells (sparse index); ``status`` ALL or another status reads the
    org's wells by name (OrgWellsIndex, up to LISTED_WELLS) and keeps those with that status."""
    if well_ids:
        chosen = [w for w in wells_by_ids(well_ids=well_ids, org_id=org_id) if status == "ALL" or w.status == status]
        return _cap(chosen)
    if status == "DRILLING":
        wells = drilling_wells(org_id=org_id, limit=LISTED_WELLS + 1)
        return _cap(wells[:LISTED_WELLS], more=len(wells) > LISTED_WELLS)
    wells, cursor = well_search(org_id=org_id, limit=LISTED_WELLS)
    return _cap([w for w in wells if status == "ALL" or w.status == status], more=cursor is not None)
