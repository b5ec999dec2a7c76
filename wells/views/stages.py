"""Pages of stages and events (a well's record)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from orgs.decorators import org_member_required
from orgs.permissions import Action, can
from orgs.selectors import audit_entity_history
from wells import forms, selectors, services
from wells.services.validation import metadata_lines, parse_metadata_lines
from wells.times import local
from wells.views import FIELD_MAP, _redirect, delete_facts, posted_version
from welltrack.actor import Actor
from welltrack.errors import Conflict, ValidationFailed
from welltrack.forms import apply_errors


def _stage_of_org(org, stage_id):
    stage = selectors.stage_get(stage_id=stage_id, org_id=org.org_id)
    well = selectors.well_get(well_id=stage.well_id, org_id=org.org_id)
    return stage, well


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def stage_create(request: HttpRequest, org, well_id: str) -> HttpResponse:
    well = selectors.well_get(well_id=well_id, org_id=org.org_id)
    form = forms.StageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        with dj_timezone.override(well.time_zone):
            valid = form.is_valid()
        if valid:
            try:
                stage = services.stage_create(
                    actor=Actor.from_request(request), well=well, **_stage_fields(form.cleaned_data)
                )
            except ValidationFailed as exc:
                apply_errors(form, exc, {**FIELD_MAP, "type": "stage_type", "startDate": "start", "endDate": "end"})
            else:
                messages.success(request, f"Stage “{stage.name}” added.")
                return _redirect(request, reverse("wells:well-detail", args=[org.org_id, well.well_id]))
    return TemplateResponse(
        request, "wells/stage_form.html", {"org": org, "well": well, "form": form, "stage": None}, status=status
    )


def _stage_fields(data: dict) -> dict:
    return {
        "name": data["name"],
        "stage_type": data["stage_type"],
        "status": data["status"],
        "description": data["description"],
        "start": data["start"],
        "end": data["end"],
    }


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
            "can_edit": can(request, org.org_id, Action.EDIT_RECORDS),
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
    form = forms.StageForm(request.POST or None, initial=initial)
    status, current = 200, None
    if request.method == "POST":
        status = 422
        with dj_timezone.override(well.time_zone):
            valid = form.is_valid()
        if valid:
            try:
                services.stage_update(
                    actor=Actor.from_request(request),
                    stage=stage,
                    well=well,
                    version=form.cleaned_data["version"] or 0,
                    **_stage_fields(form.cleaned_data),
                )
            except ValidationFailed as exc:
                apply_errors(form, exc, {**FIELD_MAP, "type": "stage_type", "startDate": "start", "endDate": "end"})
            except Conflict as exc:
                current = selectors.stage_get(stage_id=stage_id, org_id=org.org_id)
                data = form.data.copy()
                data["version"] = str(current.version)
                form = forms.StageForm(data)
                with dj_timezone.override(well.time_zone):
                    form.is_valid()
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, "Stage saved.")
                return _redirect(request, reverse("wells:stage-detail", args=[org.org_id, stage.stage_id]))
    return TemplateResponse(
        request,
        "wells/stage_form.html",
        {"org": org, "well": well, "form": form, "stage": stage, "current": current},
        status=status,
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
    return _redirect(request, reverse("wells:well-detail", args=[org.org_id, well.well_id]))


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
            return _redirect(request, reverse("wells:well-detail", args=[org.org_id, well.well_id]))
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
            "current": delete_facts(stage, well.time_zone) if conflict else None,
        },
        status=status,
    )


# --- events -----------------------------------------------------------------------------


def _event_of_org(org, event_id):
    event = selectors.event_get(event_id=event_id, org_id=org.org_id)
    well = selectors.well_get(well_id=event.well_id, org_id=org.org_id)
    return event, well


def _stage_choice(well, stages, stage_id: str):
    if not stage_id:
        return None
    for stage in stages:
        if stage.stage_id == stage_id:
            return stage
    raise ValidationFailed({"stageId": "Choose a stage of this well."})


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def event_create(request: HttpRequest, org, well_id: str) -> HttpResponse:
    well = selectors.well_get(well_id=well_id, org_id=org.org_id)
    stages = selectors.stage_list_all(well_id=well.well_id)
    form = forms.EventForm(request.POST or None, stages=stages, initial={"stage": request.GET.get("stage", "")})
    status = 200
    if request.method == "POST":
        status = 422
        with dj_timezone.override(well.time_zone):
            valid = form.is_valid()
        if valid:
            data = form.cleaned_data
            try:
                event = services.event_create(
                    actor=Actor.from_request(request),
                    well=well,
                    stage=_stage_choice(well, stages, data["stage"]),
                    event_type=data["event_type"],
                    title=data["title"],
                    start=data["start"],
                    end=data["end"],
                    description=data["description"],
                    metadata=parse_metadata_lines(data["metadata"]),
                )
            except ValidationFailed as exc:
                apply_errors(form, exc, FIELD_MAP)
            else:
                messages.success(request, f"Event “{event.title}” recorded.")
                return _redirect(request, reverse("wells:well-detail", args=[org.org_id, well.well_id]))
    return TemplateResponse(
        request, "wells/event_form.html", {"org": org, "well": well, "form": form, "event": None}, status=status
    )


@require_GET
@vary_on_headers("HX-Request")
@org_member_required(Action.VIEW)
def event_detail(request: HttpRequest, org, event_id: str) -> HttpResponse:
    event, well = _event_of_org(org, event_id)
    stage = selectors.stage_get(stage_id=event.stage_id) if event.stage_id else None
    history, _ = audit_entity_history(entity_id=event.event_id, limit=10)
    template = "wells/event_detail.html#panel" if request.htmx else "wells/event_detail.html"
    return TemplateResponse(
        request,
        template,
        {
            "org": org,
            "well": well,
            "event": event,
            "stage": stage,
            "history": history,
            "can_edit": can(request, org.org_id, Action.EDIT_RECORDS),
        },
    )


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def event_edit(request: HttpRequest, org, event_id: str) -> HttpResponse:
    event, well = _event_of_org(org, event_id)
    stages = selectors.stage_list_all(well_id=well.well_id)
    initial = {
        "event_type": event.event_type,
        "title": event.title,
        "stage": event.stage_id or "",
        "start": local(event.start_time, well.time_zone),
        "end": local(event.end_time, well.time_zone),
        "description": event.description,
        "metadata": metadata_lines(event.metadata.as_dict() if event.metadata else {}),
        "version": event.version,
    }
    form = forms.EventForm(request.POST or None, stages=stages, initial=initial)
    if event.event_type == "FILE_UPLOAD":
        form.fields["event_type"].choices = [("FILE_UPLOAD", "File upload")]
    status, current = 200, None
    if request.method == "POST":
        status = 422
        with dj_timezone.override(well.time_zone):
            valid = form.is_valid()
        if valid:
            data = form.cleaned_data
            try:
                services.event_update(
                    actor=Actor.from_request(request),
                    event=event,
                    well=well,
                    version=data["version"] or 0,
                    stage=_stage_choice(well, stages, data["stage"]),
                    event_type=data["event_type"],
                    title=data["title"],
                    start=data["start"],
                    end=data["end"] or "",
                    description=data["description"],
                    metadata=parse_metadata_lines(data["metadata"]),
                )
            except ValidationFailed as exc:
                apply_errors(form, exc, FIELD_MAP)
            except Conflict as exc:
                current = selectors.event_get(event_id=event_id, org_id=org.org_id)
                data = form.data.copy()
                data["version"] = str(current.version)
                form = forms.EventForm(data, stages=stages)
                with dj_timezone.override(well.time_zone):
                    form.is_valid()
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, "Event saved.")
                return _redirect(request, reverse("wells:event-detail", args=[org.org_id, event.event_id]))
    return TemplateResponse(
        request,
        "wells/event_form.html",
        {"org": org, "well": well, "form": form, "event": event, "current": current},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def event_delete(request: HttpRequest, org, event_id: str) -> HttpResponse:
    event, well = _event_of_org(org, event_id)
    conflict = None
    if request.method == "POST":
        try:
            services.event_delete(actor=Actor.from_request(request), event=event, version=posted_version(request))
        except Conflict as exc:
            conflict, event = exc.message, selectors.event_get(event_id=event_id, org_id=org.org_id)
        else:
            messages.success(request, f"Event “{event.title}” deleted.")
            return _redirect(request, reverse("wells:well-detail", args=[org.org_id, well.well_id]))
    return TemplateResponse(
        request,
        "wells/confirm_delete.html",
        {
            "org": org,
            "object_label": f"event “{event.title}”",
            "consequences": [],
            "cancel_url": reverse("wells:event-detail", args=[org.org_id, event.event_id]),
            "version": event.version,
            "conflict": conflict,
            "current": delete_facts(event, well.time_zone) if conflict else None,
        },
        status=409 if conflict else 200,
    )


@require_POST
@org_member_required(Action.EDIT_RECORDS)
def event_reschedule(request: HttpRequest, org, event_id: str) -> HttpResponse:
    """The calendar's drag and resize: JSON in, JSON out; refusals explain themselves."""
    event, well = _event_of_org(org, event_id)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return JsonResponse({"detail": "The event's version is missing; reload the calendar."}, status=422)
    zone_name = request.POST.get("time_zone") or well.time_zone
    from wells.services.validation import clean_time_zone

    try:
        zone_name = clean_time_zone(zone_name)
        event = services.event_reschedule(
            actor=Actor.from_request(request),
            event=event,
            well=well,
            version=version,
            start=request.POST.get("start"),
            end=request.POST.get("end") or None,
            zone_name=zone_name,
        )
    except ValidationFailed as exc:
        return JsonResponse({"detail": exc.message, "errors": exc.errors}, status=422)
    except Conflict as exc:
        return JsonResponse({"detail": exc.message}, status=409)
    return JsonResponse(
        {"eventId": event.event_id, "version": event.version, "startTime": event.start_time, "endTime": event.end_time}
    )
