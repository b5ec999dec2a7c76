"""Pages of projects, wells, stages and events. Parse, check permission, call a service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts.selectors import users_by_id
from orgs.decorators import org_member_required
from orgs.permissions import Action, can
from orgs.selectors import audit_entity_history
from wells import forms, selectors, services
from wells.services.validation import metadata_lines, parse_metadata_lines
from wells.services.wells import well_values
from wells.times import local
from welltrack.actor import Actor
from welltrack.errors import Conflict, ValidationFailed
from welltrack.forms import apply_errors

FIELD_MAP = {
    "wellNumber": "well_number",
    "startDate": "start_date",
    "endDate": "end_date",
    "timeZone": "time_zone",
    "type": "event_type",
    "stageId": "stage",
    "startTime": "start",
    "endTime": "end",
}


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def _conflict(form, exc: Conflict) -> None:
    form.add_error(None, exc.message)


def posted_version(request: HttpRequest) -> int | None:
    """The version a delete confirmation showed (its hidden input); None when not sent."""
    raw = request.POST.get("version", "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationFailed({"version": "This page is out of date: reload it and try again."}) from None


def _when(moment, zone_name: str) -> str:
    return f"{date_format(local(moment, zone_name), 'D j M Y, H:i')} ({zone_name})" if moment else "—"


def delete_facts(item, zone_name: str = "UTC") -> list[tuple[str, str]]:
    """What a stale delete confirmation shows as the current values of a project, well, stage or event."""
    kind = type(item).__name__
    if kind == "Project":
        facts = [("Name", item.name), ("Location", item.location or "—"), ("Status", item.status)]
    elif kind == "Well":
        facts = [
            ("Name", item.name),
            ("Well number", item.well_number or "—"),
            ("Status", item.status),
            ("Time zone", item.time_zone),
        ]
    elif kind == "Stage":
        facts = [
            ("Name", item.name),
            ("Type", item.stage_type),
            ("Status", item.status),
            ("Position", str(int(item.order) + 1)),
        ]
    else:
        facts = [
            ("Title", item.title),
            ("Type", item.event_type),
            ("Start", _when(item.start_time, zone_name)),
            ("End", _when(item.end_time, zone_name)),
        ]
    return facts + [("Last changed", _when(item.updated_at, zone_name))]


# --- projects ---------------------------------------------------------------------------


@require_GET
@org_member_required(Action.VIEW)
def project_list(request: HttpRequest, org) -> HttpResponse:
    # The same Query answers the projects whose deletion was interrupted: no extra request.
    projects, deleting, cursor = selectors.project_list_split(org_id=org.org_id, cursor=request.GET.get("cursor"))
    can_manage = can(request, org.org_id, Action.MANAGE_PROJECTS)
    return TemplateResponse(
        request,
        "wells/project_list.html",
        {
            "org": org,
            "projects": projects,
            "next_cursor": cursor,
            "can_manage": can_manage,
            "deleting": deleting if can_manage else [],
        },
    )


@require_http_methods(["GET", "POST"])
@org_member_required(Action.MANAGE_PROJECTS)
def project_create(request: HttpRequest, org) -> HttpResponse:
    form = forms.ProjectForm(request.POST or None)
    form.fields.pop("status")  # a new project is ACTIVE; the status is changed when editing
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = services.project_create(
                    actor=Actor.from_request(request),
                    org_id=org.org_id,
                    name=data["name"],
                    location=data["location"],
                    description=data["description"],
                )
            except ValidationFailed as exc:
                apply_errors(form, exc, FIELD_MAP)
            else:
                messages.success(request, f"Project “{project.name}” created.")
                return _redirect(request, reverse("wells:project-detail", args=[org.org_id, project.project_id]))
    return TemplateResponse(
        request, "wells/project_form.html", {"org": org, "form": form, "project": None}, status=status
    )


@require_GET
@vary_on_headers("HX-Request")
@org_member_required(Action.VIEW)
def project_detail(request: HttpRequest, org, project_id: str) -> HttpResponse:
    project = selectors.project_get(project_id=project_id, org_id=org.org_id)
    wells, deleting, cursor = selectors.project_wells_split(
        project_id=project.project_id, cursor=request.GET.get("cursor")
    )
    sort = request.GET.get("sort", "name")
    keys = {
        "name": lambda w: w.name.lower(),
        "status": lambda w: (w.status, w.name.lower()),
        "number": lambda w: w.well_number or "",
        "created": lambda w: w.created_at,
    }
    wells.sort(key=keys.get(sort, keys["name"]), reverse=request.GET.get("dir") == "desc")
    template = (
        "wells/project_detail.html#well-table"
        if request.htmx and request.GET.get("sort")
        else "wells/project_detail.html"
    )
    return TemplateResponse(
        request,
        template,
        {
            "org": org,
            "project": project,
            "wells": wells,
            "next_cursor": cursor,
            "sort": sort,
            "deleting": deleting,
            "dir": request.GET.get("dir", "asc"),
            "can_manage": can(request, org.org_id, Action.MANAGE_PROJECTS),
            "can_edit": can(request, org.org_id, Action.EDIT_RECORDS),
        },
    )


@require_http_methods(["GET", "POST"])
@org_member_required(Action.MANAGE_PROJECTS)
def project_edit(request: HttpRequest, org, project_id: str) -> HttpResponse:
    project = selectors.project_get(project_id=project_id, org_id=org.org_id)
    initial = {
        "name": project.name,
        "location": project.location,
        "description": project.description,
        "status": project.status,
        "version": project.version,
    }
    form = forms.ProjectForm(request.POST or None, initial=initial)
    status, current = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.project_update(
                    actor=Actor.from_request(request),
                    project=project,
                    version=data["version"] or 0,
                    name=data["name"],
                    location=data["location"],
                    description=data["description"],
                    status=data["status"],
                )
            except ValidationFailed as exc:
                apply_errors(form, exc, FIELD_MAP)
            except Conflict as exc:
                current = selectors.project_get(project_id=project_id, org_id=org.org_id)
                form = _rebound(form, current.version)
                _conflict(form, exc)
                status = 409
            else:
                messages.success(request, "Project saved.")
                return _redirect(request, reverse("wells:project-detail", args=[org.org_id, project.project_id]))
    return TemplateResponse(
        request,
        "wells/project_form.html",
        {"org": org, "form": form, "project": project, "current": current},
        status=status,
    )


def _rebound(form, version: int):
    """The same input, with the current version, so a deliberate second save goes through."""
    data = form.data.copy()
    data["version"] = str(version)
    rebound = form.__class__(data, **getattr(form, "_extra_kwargs", {}))
    rebound.is_valid()
    return rebound


@require_http_methods(["GET", "POST"])
@org_member_required(Action.MANAGE_PROJECTS)
def project_delete(request: HttpRequest, org, project_id: str) -> HttpResponse:
    # A project whose deletion was interrupted is hidden everywhere else; here it can be finished.
    project = selectors.project_get(project_id=project_id, org_id=org.org_id, include_deleting=True)
    conflict = None
    if request.method == "POST":
        finishing = project.status == "DELETED"
        try:
            count = services.project_delete(
                actor=Actor.from_request(request), project=project, version=posted_version(request)
            )
        except Conflict as exc:
            # Changed since the confirmation was opened: show it as it is now, delete nothing.
            conflict = exc.message
            project = selectors.project_get(project_id=project_id, org_id=org.org_id, include_deleting=True)
        else:
            messages.success(
                request,
                f"The deletion of project “{project.name}” was finished: the {count} well(s) left went with it."
                if finishing
                else f"Project “{project.name}” and its {count} well(s) were deleted.",
            )
            return _redirect(request, reverse("wells:project-list", args=[org.org_id]))
    unfinished = project.status == "DELETED"
    counts = selectors.project_delete_preview(project=project)
    return TemplateResponse(
        request,
        "wells/confirm_delete.html",
        {
            "org": org,
            "object_label": f"project “{project.name}”",
            "consequences": _consequences(counts),
            "unfinished": unfinished,
            # A half-deleted project has no page of its own to go back to.
            "cancel_url": reverse("wells:project-list", args=[org.org_id])
            if unfinished
            else reverse("wells:project-detail", args=[org.org_id, project.project_id]),
            "version": project.version,
            "conflict": conflict,
            "current": delete_facts(project, request.user.time_zone) if conflict else None,
        },
        status=409 if conflict else 200,
    )


def _consequences(counts: dict[str, int]) -> list[str]:
    """``{"wells": 2, "stages": 1}`` -> ["2 wells", "1 stage", ...] for the confirmation page."""
    lines = []
    for label, number in counts.items():
        singular = label[:-1] if label.endswith("s") else label
        lines.append(f"{number} {singular if number == 1 else label}")
    return lines


# --- wells ------------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
@org_member_required(Action.VIEW)
def well_search(request: HttpRequest, org) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    wells, cursor = selectors.well_search(org_id=org.org_id, prefix=query, cursor=request.GET.get("cursor"))
    template = "wells/well_search.html#results" if request.htmx else "wells/well_search.html"
    return TemplateResponse(request, template, {"org": org, "wells": wells, "q": query, "next_cursor": cursor})


def _well_form_fields(data: dict) -> dict:
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
    form = forms.WellForm(request.POST or None, initial={"time_zone": request.user.time_zone, "status": "PLANNING"})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                well = services.well_create(
                    actor=Actor.from_request(request), project=project, **_well_form_fields(form.cleaned_data)
                )
            except ValidationFailed as exc:
                apply_errors(form, exc, FIELD_MAP)
            else:
                messages.success(request, f"Well {well.name} created.")
                return _redirect(request, reverse("wells:well-detail", args=[org.org_id, well.well_id]))
    return TemplateResponse(
        request, "wells/well_form.html", {"org": org, "project": project, "form": form, "well": None}, status=status
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
        "can_edit": can(request, org.org_id, Action.EDIT_RECORDS),
        "can_delete": can(request, org.org_id, Action.DELETE_WELLS),
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
    form = forms.WellForm(request.POST or None, initial=initial)
    status, current = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                project = selectors.project_get(project_id=well.project_id)
                services.well_update(
                    actor=Actor.from_request(request),
                    well=well,
                    project=project,
                    version=form.cleaned_data["version"] or 0,
                    **_well_form_fields(form.cleaned_data),
                )
            except ValidationFailed as exc:
                apply_errors(form, exc, FIELD_MAP)
            except Conflict as exc:
                current = selectors.well_get(well_id=well_id, org_id=org.org_id)
                form = _rebound(form, current.version)
                _conflict(form, exc)
                status = 409
            else:
                messages.success(request, "Well saved.")
                return _redirect(request, reverse("wells:well-detail", args=[org.org_id, well.well_id]))
    return TemplateResponse(
        request,
        "wells/well_form.html",
        {
            "org": org,
            "form": form,
            "well": well,
            "current": current and well_values(current),
            "project": selectors.project_get(project_id=well.project_id),
        },
        status=status,
    )


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
            return _redirect(request, reverse("wells:project-detail", args=[org.org_id, well.project_id]))
    unfinished = well.lifecycle == "DELETED"
    return TemplateResponse(
        request,
        "wells/confirm_delete.html",
        {
            "org": org,
            "object_label": f"well {well.name}",
            "unfinished": unfinished,
            "consequences": _consequences(selectors.well_delete_preview(well=well)),
            # A half-deleted well has no page of its own to go back to.
            "cancel_url": reverse("wells:project-detail", args=[org.org_id, well.project_id])
            if unfinished
            else reverse("wells:well-detail", args=[org.org_id, well.well_id]),
            "version": well.version,
            "conflict": conflict,
            "current": delete_facts(well, well.time_zone) if conflict else None,
        },
        status=409 if conflict else 200,
    )
