"""Pages of wells: search, create, detail (stages, latest events, change history), edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.selectors import users_by_id
from orgs.decorators import org_member_required
from orgs.permissions import Action
from wells import forms, selectors, services
from wells.models import Well
from wells.services.validation import metadata_lines, parse_metadata_lines
from wells.services.wells import well_values
from wells.views.common import FIELD_MAP, consequences, when
from welltrack.actor import Actor
from welltrack.audit import audit_entity_history
from welltrack.errors import Conflict
from welltrack.views import Stale, form_view, htmx_redirect, posted_version


@require_GET
@vary_on_headers("HX-Request")
@org_member_required(Action.VIEW)
def well_search(request: HttpRequest, org) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    wells, cursor = selectors.well_search(org_id=org.org_id, prefix=query, cursor=request.GET.get("cursor"))
    template = "wells/well_search.html#results" if request.htmx else "wells/well_search.html"
    return TemplateResponse(request, template, {"org": org, "wells": wells, "q": query, "next_cursor": cursor})


def _well_fields(data: dict) -> dict:
    return {
        "name": data["name"],
        "well_number": data["well_number"],
        "status": data["status"],
        "latitude": data["latitude"],
        "longitude": data["longitude"],
        "depth": data["depth"],
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "time_zone": data["time_zone"],
        "metadata": parse_metadata_lines(data["metadata"]),
    }


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def well_create(request: HttpRequest, org, project_id: str) -> HttpResponse:
    project = selectors.project_get(project_id=project_id, org_id=org.org_id)
    initial = {"time_zone": request.user.time_zone, "status": "PLANNING"}
    return form_view(
        request,
        forms.WellForm(request.POST or None, initial=initial),
        save=lambda data: services.well_create(
            actor=Actor.from_request(request), project=project, **_well_fields(data)
        ),
        field_map=FIELD_MAP,
        message=lambda well: f"Well {well.name} created.",
        success_url=lambda well: reverse("wells:well-detail", args=[org.org_id, well.well_id]),
        template="wells/well_form.html",
        context={"org": org, "project": project, "well": None},
    )


@require_GET
@vary_on_headers("HX-Request")
@org_member_required(Action.VIEW)
def well_detail(request: HttpRequest, org, well_id: str) -> HttpResponse:
    well = selectors.well_get(well_id=well_id, org_id=org.org_id)
    part = request.GET.get("part") if request.htmx else None
    context = {
        "org": org,
        "well": well,
        "can_edit": request.reads.can(org.org_id, Action.EDIT_RECORDS),
        "can_delete": request.reads.can(org.org_id, Action.DELETE_WELLS),
    }
    # The change history is read after the page has shown (htmx, "load"): it costs two
    # more DynamoDB requests that the first paint does not need. Without JavaScript the
    # "Show the change history" link (?history=) asks for it with the page.
    if part == "history" or "history" in request.GET:
        history, history_cursor = audit_entity_history(
            entity_id=well.well_id, cursor=request.GET.get("history") or None, limit=10
        )
        context.update(
            history=history,
            history_cursor=history_cursor,
            history_loaded=True,
            user_names={u.user_id: u.name for u in users_by_id(user_ids={h.user_id for h in history}).values()},
        )
    if part == "history":
        return TemplateResponse(request, "wells/well_detail.html#history", context)
    stages = selectors.stage_list_all(well_id=well.well_id)
    context.update(
        project=selectors.project_get(project_id=well.project_id, org_id=org.org_id),
        stages=stages,
        events=selectors.latest_events(well_id=well.well_id, limit=15),
        stage_names={s.stage_id: s.name for s in stages},
    )
    template = "wells/well_detail.html"
    if part in {"stages", "events"}:
        template += "#" + part
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def well_edit(request: HttpRequest, org, well_id: str) -> HttpResponse:
    well = selectors.well_get(well_id=well_id, org_id=org.org_id)
    project = selectors.project_get(project_id=well.project_id)
    values = well_values(well)
    initial = {
        "name": well.name,
        "well_number": well.well_number,
        "status": well.status,
        "latitude": values["latitude"] if values["latitude"] is not None else "",
        "longitude": values["longitude"] if values["longitude"] is not None else "",
        "depth": well.depth if well.depth is not None else "",
        "start_date": well.start_date,
        "end_date": well.end_date,
        "time_zone": well.time_zone,
        "metadata": metadata_lines(values["metadata"]),
        "version": well.version,
    }
    return form_view(
        request,
        forms.WellForm(request.POST or None, initial=initial),
        save=lambda data: services.well_update(
            actor=Actor.from_request(request),
            well=well,
            project=project,
            version=data["version"] or 0,
            **_well_fields(data),
        ),
        field_map=FIELD_MAP,
        on_conflict=lambda exc: Stale.of(selectors.well_get(well_id=well_id, org_id=org.org_id)),
        message="Well saved.",
        success_url=reverse("wells:well-detail", args=[org.org_id, well.well_id]),
        template="wells/well_form.html",
        context={"org": org, "well": well, "project": project},
    )


def delete_facts(well: Well) -> list[tuple[str, str]]:
    """What a stale delete confirmation shows as the well's current values (times in its zone)."""
    return [
        ("Name", well.name),
        ("Well number", well.well_number or "—"),
        ("Status", well.status),
        ("Time zone", well.time_zone),
        ("Last changed", when(well.updated_at, well.time_zone)),
    ]


@require_http_methods(["GET", "POST"])
@org_member_required(Action.DELETE_WELLS)
def well_delete(request: HttpRequest, org, well_id: str) -> HttpResponse:
    # A well whose deletion was interrupted is hidden everywhere else; here it can be finished.
    well = selectors.well_get(well_id=well_id, org_id=org.org_id, include_deleting=True)
    conflict = None
    if request.method == "POST":
        try:
            result = services.well_delete(actor=Actor.from_request(request), well=well, version=posted_version(request))
        except Conflict as exc:
            conflict, well = exc.message, selectors.well_get(well_id=well_id, org_id=org.org_id, include_deleting=True)
        else:
            messages.success(
                request,
                f"Well {well.name} was deleted with {result['stages']} stage(s), "
                f"{result['events']} event(s) and {result['files']} file(s).",
            )
            return htmx_redirect(request, reverse("wells:project-detail", args=[org.org_id, well.project_id]))
    unfinished = selectors.well_is_hidden(well)
    return TemplateResponse(
        request,
        "wells/confirm_delete.html",
        {
            "org": org,
            "object_label": f"well {well.name}",
            "unfinished": unfinished,
            "consequences": consequences(selectors.well_delete_preview(well=well)),
            # A half-deleted well has no page of its own to go back to.
            "cancel_url": reverse("wells:project-detail", args=[org.org_id, well.project_id])
            if unfinished
            else reverse("wells:well-detail", args=[org.org_id, well.well_id]),
            "version": well.version,
            "conflict": conflict,
            "current": delete_facts(well) if conflict else None,
        },
        status=409 if conflict else 200,
    )
