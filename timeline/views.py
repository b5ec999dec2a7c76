"""The organization's dashboard (its home page) and its sections, calendar pages (well, project,
organization) and the project map."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from orgs.decorators import org_member_required
from orgs.permissions import Action
from timeline import calendars
from timeline.dashboard import PARTS, dashboard_context
from timeline.feeds import EVENT_COLOURS, STAGE_COLOURS
from wells import selectors as wells_selectors
from wells.services.validation import EVENT_TYPES, STAGE_TYPES, WELL_STATUSES
from welltrack.errors import NotFound

LEGEND = {"events": EVENT_COLOURS, "stages": STAGE_COLOURS}


def _context(request, org, *, feed_url: str, title: str, zone: str, zone_choices, **extra) -> dict:
    return {
        "org": org,
        "feed_url": feed_url,
        "title": title,
        "zone": zone,
        "zone_choices": zone_choices,
        "editable": request.reads.can(org.org_id, Action.EDIT_RECORDS),
        "event_types": EVENT_TYPES,
        "legend": LEGEND,
        **extra,
    }


def _zone_choices(request, *, well_zone: str | None = None):
    choices = [("well", f"Well time ({well_zone})" if well_zone else "Each well's own time")]
    if request.user.time_zone and request.user.time_zone != well_zone:
        choices.append((request.user.time_zone, f"My time ({request.user.time_zone})"))
    choices.append(("UTC", "UTC"))
    return choices


@require_GET
@org_member_required(Action.VIEW)
def well_calendar(request: HttpRequest, org, well_id: str) -> HttpResponse:
    well = wells_selectors.well_get(well_id=well_id, org_id=org.org_id)
    stages = wells_selectors.stage_list_all(well_id=well.well_id)
    return TemplateResponse(
        request,
        "timeline/calendar.html",
        _context(
            request,
            org,
            feed_url=reverse("api:well_calendar", args=[well.well_id]),
            title=f"{well.name} calendar",
            zone="well",
            zone_choices=_zone_choices(request, well_zone=well.time_zone),
            well=well,
            stages=stages,
            back_url=reverse("wells:well-detail", args=[org.org_id, well.well_id]),
            scope="well",
        ),
    )


@require_GET
@org_member_required(Action.VIEW)
def project_calendar(request: HttpRequest, org, project_id: str) -> HttpResponse:
    project = wells_selectors.project_get(project_id=project_id, org_id=org.org_id)
    chosen = calendars.project_calendar_wells(project_id=project.project_id, org_id=org.org_id)
    return TemplateResponse(
        request,
        "timeline/calendar.html",
        _context(
            request,
            org,
            feed_url=reverse("api:project_calendar", args=[project.project_id]),
            title=f"{project.name} calendar",
            zone="well",
            zone_choices=_zone_choices(request),
            project=project,
            wells=chosen.listed,
            chosen=chosen,
            max_wells=calendars.MAX_WELLS,
            stage_types=STAGE_TYPES,
            back_url=reverse("wells:project-detail", args=[org.org_id, project.project_id]),
            scope="project",
        ),
    )


@require_GET
@org_member_required(Action.VIEW)
def org_calendar(request: HttpRequest, org) -> HttpResponse:
    status = request.GET.get("status", "DRILLING").upper()
    if status != "ALL" and status not in WELL_STATUSES:
        status = "DRILLING"  # a hand-edited link falls back to the default rather than failing
    chosen = calendars.org_calendar_wells(org_id=org.org_id, status=status)
    return TemplateResponse(
        request,
        "timeline/calendar.html",
        _context(
            request,
            org,
            feed_url=reverse("api:org_calendar", args=[org.org_id]),
            title=f"{org.name} calendar",
            zone="well",
            zone_choices=_zone_choices(request),
            wells=chosen.listed,
            chosen=chosen,
            max_wells=calendars.MAX_WELLS,
            stage_types=STAGE_TYPES,
            back_url=reverse("org-detail", args=[org.org_id]),
            scope="org",
            statuses=[("ALL", "All wells"), *[(s, s.replace("_", " ").capitalize()) for s in WELL_STATUSES]],
            status=status,
        ),
    )


@require_GET
@org_member_required(Action.VIEW)
def project_map(request: HttpRequest, org, project_id: str) -> HttpResponse:
    """The project's wells on a map (Leaflet) beside a sortable list."""
    project = wells_selectors.project_get(project_id=project_id, org_id=org.org_id)
    wells, _ = wells_selectors.project_wells(project_id=project.project_id)
    sort = request.GET.get("sort", "name")
    keys = {
        "name": lambda w: w.name.lower(),
        "status": lambda w: (w.status, w.name.lower()),
        "depth": lambda w: -(w.depth or 0),
    }
    wells.sort(key=keys.get(sort, keys["name"]))
    markers = [
        {
            "name": w.name,
            "wellNumber": w.well_number,
            "status": w.status,
            "latitude": float(w.location.latitude) if w.location and w.location.latitude is not None else None,
            "longitude": float(w.location.longitude) if w.location and w.location.longitude is not None else None,
            "url": reverse("wells:well-detail", args=[org.org_id, w.well_id]),
        }
        for w in wells
    ]
    return TemplateResponse(
        request,
        "timeline/project_map.html",
        {
            "org": org,
            "project": project,
            "wells": wells,
            "markers": markers,
            "sort": sort,
            "tile_url": settings.WELLTRACK_TILE_URL,
            "tile_attribution": settings.WELLTRACK_TILE_ATTRIBUTION,
            "located": sum(1 for m in markers if m["latitude"] is not None),
        },
    )


@require_GET
@org_member_required(Action.VIEW)
def org_dashboard(request: HttpRequest, org) -> HttpResponse:
    """The organization's home: counts, then its sections (dashboard_part) load after the page."""
    return TemplateResponse(
        request,
        "timeline/dashboard.html",
        {
            "org": org,
            "can_manage_org": request.reads.can(org.org_id, Action.MANAGE_ORG),
            **dashboard_context(request, org),
        },
    )


@require_GET
@org_member_required(Action.VIEW)
def dashboard_part(request: HttpRequest, org, part: str) -> HttpResponse:
    """A dashboard section, loaded by htmx after the page (or opened on its own)."""
    if part not in PARTS:
        raise NotFound()
    response = TemplateResponse(
        request, f"timeline/dashboard_parts.html#{part}", {"org": org, **PARTS[part](org.org_id)}
    )
    response["Vary"] = "HX-Request"
    return response
