"""Pages of a well's events: record, detail, edit, delete, and the calendar's drag and resize."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from orgs.decorators import org_member_required
from orgs.permissions import Action
from wells import forms, selectors, services
from wells.models import Event, Well
from wells.services.validation import clean_time_zone, metadata_lines, parse_metadata_lines
from wells.times import local
from wells.views.common import FIELD_MAP, when
from welltrack.actor import Actor
from welltrack.audit import audit_entity_history
from welltrack.errors import Conflict, ValidationFailed
from welltrack.views import Stale, form_view, htmx_redirect, posted_version


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
    return form_view(
        request,
        forms.EventForm(request.POST or None, stages=stages, initial={"stage": request.GET.get("stage", "")}),
        save=lambda data: services.event_create(
            actor=Actor.from_request(request),
            well=well,
            stage=_stage_choice(well, stages, data["stage"]),
            event_type=data["event_type"],
            title=data["title"],
            start=data["start"],
            end=data["end"],
            description=data["description"],
            metadata=parse_metadata_lines(data["metadata"]),
        ),
        field_map=FIELD_MAP,
        message=lambda event: f"Event “{event.title}” recorded.",
        success_url=reverse("wells:well-detail", args=[org.org_id, well.well_id]),
        template="wells/event_form.html",
        context={"org": org, "well": well, "event": None},
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
            "can_edit": request.reads.can(org.org_id, Action.EDIT_RECORDS),
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
    return form_view(
        request,
        form,
        save=lambda data: services.event_update(
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
        ),
        field_map=FIELD_MAP,
        on_conflict=lambda exc: Stale.of(selectors.event_get(event_id=event_id, org_id=org.org_id)),
        message="Event saved.",
        success_url=reverse("wells:event-detail", args=[org.org_id, event.event_id]),
        template="wells/event_form.html",
        context={"org": org, "well": well, "event": event},
    )


def delete_facts(event: Event, well: Well) -> list[tuple[str, str]]:
    """What a stale delete confirmation shows as the event's current values (times in the well's zone)."""
    return [
        ("Title", event.title),
        ("Type", event.event_type),
        ("Start", when(event.start_time, well.time_zone)),
        ("End", when(event.end_time, well.time_zone)),
        ("Last changed", when(event.updated_at, well.time_zone)),
    ]


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def event_delete(request: HttpRequest, org, event_id: str) -> HttpResponse:
    event, well = _event_of_org(org, event_id)
    conflict = None
    if request.method == "POST":
        try:
            services.event_delete(
                actor=Actor.from_request(request), event=event, well=well, version=posted_version(request)
            )
        except Conflict as exc:
            conflict, event = exc.message, selectors.event_get(event_id=event_id, org_id=org.org_id)
        else:
            messages.success(request, f"Event “{event.title}” deleted.")
            return htmx_redirect(request, reverse("wells:well-detail", args=[org.org_id, well.well_id]))
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
            "current": delete_facts(event, well) if conflict else None,
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
