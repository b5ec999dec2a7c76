"""Pages of a well's stages: create, detail with its events, edit, move up or down, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from orgs.decorators import org_member_required
from orgs.permissions import Action
from wells import forms, selectors, services
from wells.models import Stage, Well
from wells.times import local
from wells.views.common import FIELD_MAP, when
from welltrack.actor import Actor
from welltrack.errors import Conflict, ValidationFailed
from welltrack.views import Stale, form_view, htmx_redirect, posted_version

STAGE_FIELD_MAP = {**FIELD_MAP, "type": "stage_type", "startDate": "start", "endDate": "end"}


def _stage_of_org(org, stage_id):
    stage = selectors.stage_get(stage_id=stage_id, org_id=org.org_id)
    well = selectors.well_get(well_id=stage.well_id, org_id=org.org_id)
    return stage, well


def _stage_fields(data: dict) -> dict:
    return {
        "name": data["name"],
        "stage_type": data["stage_type"],
        "status": data["status"],
        "description": data["description"],
        "start": data["start"],
        "end": data["end"],
    }


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def stage_create(request: HttpRequest, org, well_id: str) -> HttpResponse:
    well = selectors.well_get(well_id=well_id, org_id=org.org_id)
    return form_view(
        request,
        forms.StageForm(request.POST or None),
        save=lambda data: services.stage_create(actor=Actor.from_request(request), well=well, **_stage_fields(data)),
        field_map=STAGE_FIELD_MAP,
        message=lambda stage: f"Stage “{stage.name}” added.",
        success_url=reverse("wells:well-detail", args=[org.org_id, well.well_id]),
        template="wells/stage_form.html",
        context={"org": org, "well": well, "stage": None},
    )


@require_GET
@org_member_required(Action.VIEW)
def stage_detail(request: HttpRequest, org, stage_id: str) -> HttpResponse:
    stage, well = _stage_of_org(org, stage_id)
    events, cursor = selectors.stage_events(stage_id=stage.stage_id, cursor=request.GET.get("cursor"))
    return TemplateResponse(
        request,
        "wells/stage_detail.html",
        {
            "org": org,
            "well": well,
            "stage": stage,
            "events": events,
            "next_cursor": cursor,
            "can_edit": request.reads.can(org.org_id, Action.EDIT_RECORDS),
        },
    )


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def stage_edit(request: HttpRequest, org, stage_id: str) -> HttpResponse:
    stage, well = _stage_of_org(org, stage_id)
    initial = {
        "name": stage.name,
        "stage_type": stage.stage_type,
        "status": stage.status,
        "description": stage.description,
        "start": local(stage.start_date, well.time_zone),
        "end": local(stage.end_date, well.time_zone),
        "version": stage.version,
    }
    return form_view(
        request,
        forms.StageForm(request.POST or None, initial=initial),
        save=lambda data: services.stage_update(
            actor=Actor.from_request(request),
            stage=stage,
            well=well,
            version=data["version"] or 0,
            **_stage_fields(data),
        ),
        field_map=STAGE_FIELD_MAP,
        on_conflict=lambda exc: Stale.of(selectors.stage_get(stage_id=stage_id, org_id=org.org_id)),
        message="Stage saved.",
        success_url=reverse("wells:stage-detail", args=[org.org_id, stage.stage_id]),
        template="wells/stage_form.html",
        context={"org": org, "well": well, "stage": stage},
    )


@require_POST
@vary_on_headers("HX-Request")
@org_member_required(Action.EDIT_RECORDS)
def stage_move(request: HttpRequest, org, stage_id: str) -> HttpResponse:
    stage, well = _stage_of_org(org, stage_id)
    problem, status = None, 200
    try:
        services.stage_move(actor=Actor.from_request(request), stage=stage, direction=request.POST.get("direction", ""))
    except (Conflict, ValidationFailed) as exc:
        # The list as it is now, with the reason, instead of an error in place of the list.
        problem = " ".join(exc.errors.values()) if isinstance(exc, ValidationFailed) else exc.message
        status = exc.status_code
    if request.htmx:
        stages = selectors.stage_list_all(well_id=well.well_id)
        return TemplateResponse(
            request,
            "wells/well_detail.html#stages",
            {
                "org": org,
                "well": well,
                "stages": stages,
                "can_edit": True,
                "move_problem": problem,
            },
            status=status,
        )
    if problem:
        messages.error(request, problem)
    return htmx_redirect(request, reverse("wells:well-detail", args=[org.org_id, well.well_id]))


def delete_facts(stage: Stage, well: Well) -> list[tuple[str, str]]:
    """What a stale delete confirmation shows as the stage's current values (times in the well's zone)."""
    return [
        ("Name", stage.name),
        ("Type", stage.stage_type),
        ("Status", stage.status),
        ("Position", str(int(stage.order) + 1)),
        ("Last changed", when(stage.updated_at, well.time_zone)),
    ]


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def stage_delete(request: HttpRequest, org, stage_id: str) -> HttpResponse:
    stage, well = _stage_of_org(org, stage_id)
    form = forms.StageDeleteForm(request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            count = services.stage_delete(
                actor=Actor.from_request(request),
                stage=stage,
                events=form.cleaned_data["events"],
                version=posted_version(request),
            )
        except Conflict as exc:
            conflict, stage = exc.message, selectors.stage_get(stage_id=stage_id, org_id=org.org_id)
        else:
            verb = "kept on the well" if form.cleaned_data["events"] == "keep" else "deleted"
            messages.success(request, f"Stage “{stage.name}” deleted; its {count} event(s) were {verb}.")
            return htmx_redirect(request, reverse("wells:well-detail", args=[org.org_id, well.well_id]))
    events = selectors.stage_event_all(stage_id=stage.stage_id)
    status = 409 if conflict else 422 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "wells/stage_delete.html",
        {
            "org": org,
            "well": well,
            "stage": stage,
            "form": form,
            "event_count": len(events),
            "version": stage.version,
            "conflict": conflict,
            "current": delete_facts(stage, well) if conflict else None,
        },
        status=status,
    )
