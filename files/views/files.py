"""Pages of files: the well's file manager, the org's recent files, one file (tags, delete), downloads.

Uploading happens in the browser (files/static/files/upload.js) through the JSON API.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import users_by_id
from files import selectors, services, storage
from files.access import file_of
from files.forms import TagsForm
from files.models import File
from orgs.decorators import org_member_required
from orgs.permissions import Action
from wells import selectors as well_selectors
from wells.times import local, parse_date, zone
from welltrack.actor import Actor
from welltrack.errors import Conflict, DependencyUnavailable, NotFound, ValidationFailed
from welltrack.forms import apply_errors
from welltrack.views import htmx_redirect, posted_version

EMBED_LIMIT = 20


def _names(files: list[File]) -> dict[str, str]:
    users = users_by_id(user_ids={f.uploaded_by for f in files}) if files else {}
    return {user_id: user.name for user_id, user in users.items()}


def _day_bound(value: str, field: str, zone_name: str, end: bool) -> tuple[datetime | None, str]:
    try:
        day = parse_date(value, field=field)
    except ValidationFailed as exc:
        return None, exc.errors[field]
    if day is None:
        return None, ""
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min, tzinfo=zone(zone_name))
    return (moment - timedelta(microseconds=1) if end else moment), ""


@require_GET
@org_member_required(Action.VIEW)
def well_files(request: HttpRequest, org, well_id: str) -> HttpResponse:
    """The file manager of a well: filter by stage, date range and type; sort by date or name.

    With ``embed=1`` (and optionally ``stage`` or ``event``) it answers only the list, for the
    panels of the well, stage and event pages, which load and refresh it through htmx.
    """
    well = well_selectors.well_get(well_id=well_id, org_id=org.org_id)
    params = request.GET
    stage_id, event_id = params.get("stage", "")[:64], params.get("event", "")[:64]
    file_type = params.get("type", "") if params.get("type", "") in selectors.TYPE_FILTERS else ""
    sort = params.get("sort", "date") if params.get("sort") in {"date", "name", "size"} else "date"
    direction = "asc" if params.get("dir") == "asc" else "desc"
    start, start_error = _day_bound(params.get("from", ""), "from", well.time_zone, end=False)
    end, end_error = _day_bound(params.get("to", ""), "to", well.time_zone, end=True)
    errors = [e for e in (start_error, end_error) if e]
    if start and end and end < start:
        errors.append("The end of the date range is before its start.")
        start = end = None
    embed = params.get("embed") == "1"
    limit = EMBED_LIMIT if embed else selectors.PAGE
    cursor = params.get("cursor")
    capped = False
    if event_id:
        event = well_selectors.event_get(event_id=event_id, org_id=org.org_id)
        if event.well_id != well.well_id:
            raise NotFound()
        files, next_cursor = selectors.event_files(event_id=event.event_id, cursor=cursor, limit=limit)
    else:
        if stage_id:
            stage = well_selectors.stage_get(stage_id=stage_id, org_id=org.org_id)
            if stage.well_id != well.well_id:
                raise NotFound()
            scope = {"stage_id": stage_id}
            by_date, by_other = selectors.stage_files, selectors.stage_files_sorted
        else:
            scope = {"well_id": well.well_id}
            by_date, by_other = selectors.well_files, selectors.well_files_sorted
        if sort == "date":
            files, next_cursor = by_date(
                **scope,
                start=start,
                end=end,
                file_type=file_type,
                cursor=cursor,
                limit=limit,
                oldest_first=direction == "asc",
            )
        else:
            # Name and size order the whole well (up to a cap), not just one page of the newest.
            files, next_cursor, capped = by_other(
                **scope,
                sort=sort,
                descending=direction == "desc",
                start=start,
                end=end,
                file_type=file_type,
                cursor=cursor,
                limit=limit,
            )
    stages = well_selectors.stage_list_all(well_id=well.well_id)
    context = {
        "org": org,
        "well": well,
        "files": files,
        "next_cursor": next_cursor,
        "user_names": _names(files),
        "stage_names": {s.stage_id: s.name for s in stages},
        "stages": stages,
        "can_edit": request.reads.can(org.org_id, Action.EDIT_RECORDS),
        "filters": {
            "stage": stage_id,
            "type": file_type,
            "from": params.get("from", "")[:10],
            "to": params.get("to", "")[:10],
            "sort": sort,
            "dir": direction,
        },
        "type_filters": [(key, label) for key, (label, _) in selectors.TYPE_FILTERS.items()],
        "errors": errors,
        "embed": embed,
        "zone_name": well.time_zone,
        "capped": capped,
        "sort_max": selectors.SORT_MAX_FILES,
        "filtered_by_type": bool(file_type),
        "manager_url": reverse("files:well-files", args=[org.org_id, well.well_id])
        + (f"?stage={stage_id}" if stage_id else ""),
    }
    if embed:
        response = TemplateResponse(request, "files/includes/file_list.html", context)
    else:
        # htmx requests take #results out of the whole page (hx-select), so the URL stays shareable.
        query = params.copy()
        for name in ("cursor", "embed"):
            query.pop(name, None)
        context["query"] = query.urlencode()
        response = TemplateResponse(request, "files/well_files.html", context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
@org_member_required(Action.VIEW)
def org_files(request: HttpRequest, org) -> HttpResponse:
    """The organization's most recent files (OrgFilesIndex), newest first."""
    file_type = request.GET.get("type", "") if request.GET.get("type", "") in selectors.TYPE_FILTERS else ""
    # The wells of the page come with it (one BatchGetItem): their names, and files of a well
    # whose deletion was interrupted left out.
    files, next_cursor, wells = selectors.org_files(
        org_id=org.org_id, file_type=file_type, cursor=request.GET.get("cursor")
    )
    return TemplateResponse(
        request,
        "files/org_files.html",
        {
            "org": org,
            "files": files,
            "next_cursor": next_cursor,
            "user_names": _names(files),
            "wells": wells,
            "type": file_type,
            "type_filters": [(key, label) for key, (label, _) in selectors.TYPE_FILTERS.items()],
            "zone_name": request.user.time_zone or "UTC",
            "can_edit": request.reads.can(org.org_id, Action.EDIT_RECORDS),
        },
    )


def _stage_of(org, file: File):
    if not file.stage_id:
        return None
    try:
        return well_selectors.stage_get(stage_id=file.stage_id, org_id=org.org_id)
    except NotFound:
        return None


def _detail_context(request: HttpRequest, org, file: File, well, form: TagsForm | None = None) -> dict:
    stage = _stage_of(org, file)
    return {
        "org": org,
        "file": file,
        "well": well,
        "stage": stage,
        "user_names": _names([file]),
        "form": form or TagsForm(initial={"tags": ", ".join(file.tags or []), "version": file.version}),
        "can_edit": request.reads.can(org.org_id, Action.EDIT_RECORDS),
        "type_label": selectors.type_label(file.file_type),
        "previewable": file.file_type in storage.INLINE_TYPES,
    }


@require_GET
@org_member_required(Action.VIEW)
def file_detail(request: HttpRequest, org, file_id: str) -> HttpResponse:
    file, well = file_of(request, file_id, org_id=org.org_id)
    return TemplateResponse(request, "files/file_detail.html", _detail_context(request, org, file, well))


@require_POST
@org_member_required(Action.EDIT_RECORDS)
def file_tags(request: HttpRequest, org, file_id: str) -> HttpResponse:
    file, well = file_of(request, file_id, Action.EDIT_RECORDS, org_id=org.org_id)
    form = TagsForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            services.file_update_tags(
                actor=Actor.from_request(request),
                file=file,
                tags=form.cleaned_data["tags"],
                version=form.cleaned_data["version"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            current = selectors.file_get(file_id=file_id, org_id=org.org_id)
            data = form.data.copy()
            data["version"] = str(current.version)
            form = TagsForm(data)
            form.is_valid()
            form.add_error(None, f"{exc.message} Current tags: {', '.join(current.tags or []) or 'none'}.")
            file, status = current, 409
        else:
            if request.htmx:
                # Stay in place: the fragment shows the saved tags and a confirmation.
                context = _detail_context(request, org, file, well)
                context["saved"] = True
                return TemplateResponse(request, "files/file_detail.html#tags", context)
            messages.success(request, "Tags saved.")
            return HttpResponseRedirect(reverse("files:file-detail", args=[org.org_id, file.file_id]))
    template = "files/file_detail.html#tags" if request.htmx else "files/file_detail.html"
    return TemplateResponse(request, template, _detail_context(request, org, file, well, form), status=status)


def _delete_facts(org, file: File, well) -> list[tuple[str, str]]:
    """What a stale delete confirmation shows as the file's current values (times in the well's zone)."""
    stage = _stage_of(org, file)
    zone_name = well.time_zone
    return [
        ("Name", file.file_name),
        ("Type", selectors.type_label(file.file_type)),
        ("Size", filesizeformat(int(file.file_size))),
        ("Stage", stage.name if stage else "—"),
        ("Tags", ", ".join(file.tags or []) or "none"),
        (
            "Uploaded",
            f"{date_format(local(file.uploaded_at, zone_name), 'D j M Y, H:i')} ({zone_name})"
            if file.uploaded_at
            else "—",
        ),
    ]


@require_http_methods(["GET", "POST"])
@org_member_required(Action.EDIT_RECORDS)
def file_delete(request: HttpRequest, org, file_id: str) -> HttpResponse:
    """The confirmation posts the version it showed: a file changed since is not deleted (409,
    its current values shown); a file store that fails leaves it in place (503, said here)."""
    file, well = file_of(request, file_id, Action.EDIT_RECORDS, org_id=org.org_id)
    conflict = unavailable = None
    status = 200
    if request.method == "POST":
        try:
            services.file_delete(actor=Actor.from_request(request), file=file, version=posted_version(request))
        except Conflict as exc:
            conflict, status = exc.message, 409
            file = selectors.file_get(file_id=file_id, org_id=org.org_id)
        except DependencyUnavailable as exc:
            if exc.dependency == "dynamodb":
                raise  # the standalone 503 page: this one would need DynamoDB to render
            unavailable, status = exc.message, 503
        else:
            messages.success(request, f"“{file.file_name}” was deleted.")
            return htmx_redirect(request, reverse("files:well-files", args=[org.org_id, file.well_id]))
    response = TemplateResponse(
        request,
        "files/file_delete.html",
        {
            "org": org,
            "file": file,
            "version": file.version,
            "conflict": conflict,
            "current": _delete_facts(org, file, well) if conflict else None,
            "unavailable": unavailable,
        },
        status=status,
    )
    if unavailable:
        response["Retry-After"] = "30"
    return response


@require_GET
@org_member_required(Action.VIEW)
def file_download(request: HttpRequest, org, file_id: str) -> HttpResponse:
    """A 302 to a URL valid for 5 minutes; ``?inline=1`` previews a PDF or image instead of saving it."""
    file = file_of(request, file_id, org_id=org.org_id).file
    url = storage.download_url(
        key=file.s3_key, file_name=file.file_name, content_type=file.file_type, inline=request.GET.get("inline") == "1"
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store"
    return response
