"""Pages of projects (fields): list, create, detail with its wells, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from orgs.decorators import org_member_required
from orgs.permissions import Action
from wells import forms, selectors, services
from wells.models import Project
from wells.views.common import FIELD_MAP, consequences, when
from welltrack.actor import Actor
from welltrack.errors import Conflict
from welltrack.views import Stale, form_view, htmx_redirect, posted_version


@require_GET
@org_member_required(Action.VIEW)
def project_list(request: HttpRequest, org) -> HttpResponse:
    # The same Query answers the projects whose deletion was interrupted: no extra request.
    page = selectors.project_list_with_deleting(org_id=org.org_id, cursor=request.GET.get("cursor"))
    can_manage = request.reads.can(org.org_id, Action.MANAGE_PROJECTS)
    return TemplateResponse(
        request,
        "wells/project_list.html",
        {
            "org": org,
            "projects": page.visible,
            "next_cursor": page.cursor,
            "can_manage": can_manage,
            "deleting": page.being_deleted if can_manage else [],
        },
    )


@require_http_methods(["GET", "POST"])
@org_member_required(Action.MANAGE_PROJECTS)
def project_create(request: HttpRequest, org) -> HttpResponse:
    form = forms.ProjectForm(request.POST or None)
    form.fields.pop("status")  # a new project is ACTIVE; the status is changed when editing
    return form_view(
        request,
        form,
        save=lambda data: services.project_create(
            actor=Actor.from_request(request),
            org_id=org.org_id,
            name=data["name"],
            location=data["location"],
            description=data["description"],
        ),
        field_map=FIELD_MAP,
        message=lambda project: f"Project “{project.name}” created.",
        success_url=lambda project: reverse("wells:project-detail", args=[org.org_id, project.project_id]),
        template="wells/project_form.html",
        context={"org": org, "project": None},
    )


@require_GET
@vary_on_headers("HX-Request")
@org_member_required(Action.VIEW)
def project_detail(request: HttpRequest, org, project_id: str) -> HttpResponse:
    project = selectors.project_get(project_id=project_id, org_id=org.org_id)
    page = selectors.project_wells_with_deleting(project_id=project.project_id, cursor=request.GET.get("cursor"))
    wells = page.visible
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
            "next_cursor": page.cursor,
            "sort": sort,
            "deleting": page.being_deleted,
            "dir": request.GET.get("dir", "asc"),
            "can_manage": request.reads.can(org.org_id, Action.MANAGE_PROJECTS),
            "can_edit": request.reads.can(org.org_id, Action.EDIT_RECORDS),
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
    return form_view(
        request,
        forms.ProjectForm(request.POST or None, initial=initial),
        save=lambda data: services.project_update(
            actor=Actor.from_request(request),
            project=project,
            version=data["version"] or 0,
            name=data["name"],
            location=data["location"],
            description=data["description"],
            status=data["status"],
        ),
        field_map=FIELD_MAP,
        on_conflict=lambda exc: Stale.of(selectors.project_get(project_id=project_id, org_id=org.org_id)),
        message="Project saved.",
        success_url=reverse("wells:project-detail", args=[org.org_id, project.project_id]),
        template="wells/project_form.html",
        context={"org": org, "project": project},
    )


def delete_facts(project: Project, zone_name: str) -> list[tuple[str, str]]:
    """What a stale delete confirmation shows as the project's current values."""
    return [
        ("Name", project.name),
        ("Location", project.location or "—"),
        ("Status", project.status),
        ("Last changed", when(project.updated_at, zone_name)),
    ]


@require_http_methods(["GET", "POST"])
@org_member_required(Action.MANAGE_PROJECTS)
def project_delete(request: HttpRequest, org, project_id: str) -> HttpResponse:
    # A project whose deletion was interrupted is hidden everywhere else; here it can be finished.
    project = selectors.project_get(project_id=project_id, org_id=org.org_id, include_deleting=True)
    conflict = None
    if request.method == "POST":
        finishing = selectors.project_is_hidden(project)
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
            return htmx_redirect(request, reverse("wells:project-list", args=[org.org_id]))
    unfinished = selectors.project_is_hidden(project)
    counts = selectors.project_delete_preview(project=project)
    return TemplateResponse(
        request,
        "wells/confirm_delete.html",
        {
            "org": org,
            "object_label": f"project “{project.name}”",
            "consequences": consequences(counts),
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
