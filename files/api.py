"""JSON API of files: upload tickets, completion, lists, tags, deletion, downloads (camelCase)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from ninja import Query, Router, Status
from pydantic import Field

from files import selectors, services, storage
from files.access import file_of
from files.models import File
from orgs.permissions import Action
from wells import selectors as well_selectors
from wells.api.access import stage_of, well_of
from wells.models import Event, Stage, Well
from wells.times import parse_date
from welltrack.actor import Actor
from welltrack.dynamodb import plain_map
from welltrack.errors import NotFound, ValidationFailed
from welltrack.schemas import VERSION_TO_DELETE, CamelSchema, OutSchema, deleted_or_stale

router = Router(tags=["files"])


class UploadIn(CamelSchema):
    well_id: str = Field(max_length=64)
    stage_id: str | None = Field(default=None, max_length=64)
    event_id: str | None = Field(default=None, max_length=64)
    file_name: str = Field(max_length=1000)
    file_type: str = Field(default="", max_length=255)
    file_size: int = Field(description="Bytes; at most WELLTRACK_MAX_UPLOAD_MB.")


class TicketOut(OutSchema):
    file_id: str
    url: str = Field(description="POST the fields, then the file as the last field `file` (multipart/form-data).")
    fields: dict[str, str]
    expires_at: datetime


class FileOut(OutSchema):
    file_id: str
    org_id: str
    well_id: str
    stage_id: str | None
    event_id: str | None = Field(description="The FILE_UPLOAD event recorded on completion.")
    attached_event_id: str | None
    file_name: str
    file_type: str
    file_size: int
    s3_key: str
    s3_bucket: str
    uploaded_at: datetime | None
    uploaded_by: str
    tags: list[str]
    metadata: dict[str, Any]
    status: str
    version: int

    sources = {
        "file_size": lambda f: int(f.file_size),
        "tags": lambda f: list(f.tags or []),
        "metadata": lambda f: plain_map(f.metadata),
        "version": lambda f: int(f.version or 0),
    }


class FilePatch(CamelSchema):
    version: int = Field(description="The version you edited; a newer one answers 409.")
    tags: list[str] = Field(max_length=100)


class FileStale(OutSchema):
    detail: str
    current: FileOut


class FilePage(OutSchema):
    items: list[FileOut]
    next_cursor: str | None = None


class UrlOut(OutSchema):
    url: str
    expires_in: int


def _file(request: HttpRequest, file_id: str, action: Action, include_pending: bool = False) -> File:
    return file_of(request, file_id, action, include_pending=include_pending).file


def _part_of_well(well: Well, stage_id: str | None, event_id: str | None) -> tuple[Stage | None, Event | None]:
    stage = event = None
    if stage_id:
        try:
            stage = well_selectors.stage_get(stage_id=stage_id, org_id=well.org_id)
        except NotFound:
            raise ValidationFailed({"stageId": "Choose a stage of this well."}) from None
    if event_id:
        try:
            event = well_selectors.event_get(event_id=event_id, org_id=well.org_id)
        except NotFound:
            raise ValidationFailed({"eventId": "Choose an event of this well."}) from None
    return stage, event


@router.post("/files/upload", response={201: TicketOut}, by_alias=True)
def file_upload(request: HttpRequest, payload: UploadIn):
    """Step 1 of 3: a ticket for a direct upload (S3 presigned POST, or our own upload URL locally).

    Step 2: POST `fields` and then `file` to `url` as multipart/form-data.
    Step 3: `POST /api/files/{fileId}/complete`.
    """
    well = well_of(request, payload.well_id, Action.EDIT_RECORDS)
    stage, event = _part_of_well(well, payload.stage_id, payload.event_id)
    file, ticket = services.file_ticket_create(
        actor=Actor.from_request(request),
        well=well,
        stage=stage,
        event=event,
        file_name=payload.file_name,
        file_type=payload.file_type,
        file_size=payload.file_size,
    )
    return Status(
        201,
        {
            "file_id": file.file_id,
            "url": request.build_absolute_uri(ticket["url"]),
            "fields": ticket["fields"],
            "expires_at": ticket["expiresAt"],
        },
    )


@router.post("/files/{file_id}/complete", response={200: FileOut, 201: FileOut}, by_alias=True)
def file_complete(request: HttpRequest, file_id: str):
    """Step 3: record the uploaded file and its "File uploaded" event. 201 the first time, 200 when repeated."""
    file = _file(request, file_id, Action.EDIT_RECORDS, include_pending=True)
    file, created = services.file_complete(actor=Actor.from_request(request), file=file)
    return Status(201 if created else 200, FileOut.values_of(file))


@router.get("/files", response=FilePage, by_alias=True)
def file_list(
    request: HttpRequest,
    well_id: str | None = Query(None, alias="wellId", max_length=64),
    stage_id: str | None = Query(None, alias="stageId", max_length=64),
    org_id: str | None = Query(None, alias="orgId", max_length=64),
    date: str | None = Query(None, description="YYYY-MM-DD in the well's time zone (with wellId)", max_length=20),
    type: str | None = Query(None, description="pdf, image, spreadsheet, document, text or archive", max_length=20),
    cursor: str | None = Query(None, max_length=4000),
):
    """Newest first. Exactly one of `wellId` (optionally with `date`), `stageId` or `orgId`; `type` with any of them.
    Files of a well whose deletion was interrupted are not listed (that well and its stages answer 404).

    A page filtered by `type` reads a bounded number of files: it may hold fewer items than
    usual (even none) and still carry a `nextCursor` to look further back."""
    if sum(bool(v) for v in (well_id, stage_id, org_id)) != 1:
        raise ValidationFailed({"wellId": "Give exactly one of wellId, stageId or orgId."})
    if date and not well_id:
        raise ValidationFailed({"date": "A date goes with a wellId."})
    if type and type not in selectors.TYPE_FILTERS:
        raise ValidationFailed({"type": f"Choose one of {', '.join(selectors.TYPE_FILTERS)}."})
    if well_id:
        well = well_of(request, well_id)
        if date:
            day = parse_date(date, field="date")
            items, next_cursor = selectors.well_files_on_date(
                well_id=well.well_id, day=day, zone_name=well.time_zone, file_type=type, cursor=cursor
            )
        else:
            items, next_cursor = selectors.well_files(well_id=well.well_id, file_type=type, cursor=cursor)
    elif stage_id:
        stage = stage_of(request, stage_id).stage
        items, next_cursor = selectors.stage_files(stage_id=stage.stage_id, file_type=type, cursor=cursor)
    else:
        request.reads.authorize(org_id, Action.VIEW)
        items, next_cursor, _ = selectors.org_files(org_id=org_id, file_type=type, cursor=cursor)
    return {"items": [FileOut.values_of(f) for f in items], "next_cursor": next_cursor}


@router.get("/files/{file_id}", response=FileOut, by_alias=True)
def file_get(request: HttpRequest, file_id: str):
    return FileOut.values_of(_file(request, file_id, Action.VIEW))


@router.patch("/files/{file_id}", response=FileOut, by_alias=True)
def file_patch(request: HttpRequest, file_id: str, payload: FilePatch):
    """Replace the tags."""
    file = _file(request, file_id, Action.EDIT_RECORDS)
    file = services.file_update_tags(
        actor=Actor.from_request(request), file=file, tags=payload.tags, version=payload.version
    )
    return FileOut.values_of(file)


@router.delete("/files/{file_id}", response={204: None, 409: FileStale}, by_alias=True)
def file_delete(request: HttpRequest, file_id: str, version: int | None = VERSION_TO_DELETE):
    """The object goes first, then the item: a 503 from the file store means nothing was deleted
    (the file is still listed and downloadable); send the same DELETE again."""
    file = _file(request, file_id, Action.EDIT_RECORDS)
    return deleted_or_stale(
        lambda: services.file_delete(actor=Actor.from_request(request), file=file, version=version),
        lambda: FileOut.values_of(selectors.file_get(file_id=file_id)),
    )


@router.get("/files/{file_id}/download", response={200: UrlOut, 302: None}, by_alias=True)
def file_download(request: HttpRequest, file_id: str, redirect: bool = True, inline: bool = False):
    """302 to a URL valid for 5 minutes (`?redirect=false`: the URL as JSON). `inline=true` previews PDFs and images."""
    file = _file(request, file_id, Action.VIEW)
    url = request.build_absolute_uri(
        storage.download_url(key=file.s3_key, file_name=file.file_name, content_type=file.file_type, inline=inline)
    )
    if not redirect:
        return {"url": url, "expires_in": int(storage.DOWNLOAD_TTL.total_seconds())}
    return HttpResponseRedirect(url)
