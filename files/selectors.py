"""Reads of the files area. Every list is one Query on a GSI, newest first, paginated.

Pending reservations have no ``uploadedAt`` and so are in no index: lists show finished
uploads only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from files.models import READY, File
from welltrack.errors import NotFound, dynamo_errors
from welltrack.pagination import query_all, query_page
from wells.times import local_day_window

PAGE = 50

SPREADSHEETS = (
    "text/csv", "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
)
DOCUMENTS = (
    "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text", "application/rtf",
)
ARCHIVES = ("application/zip", "application/x-zip-compressed", "application/x-7z-compressed", "application/gzip",
            "application/x-tar")

# Type filter of the file manager: a label and a filter condition on fileType.
TYPE_FILTERS = {
    "pdf": ("PDF", lambda: File.file_type == "application/pdf"),
    "image": ("Images", lambda: File.file_type.startswith("image/")),
    "spreadsheet": ("Spreadsheets", lambda: File.file_type.is_in(*SPREADSHEETS)),
    "document": ("Documents", lambda: File.file_type.is_in(*DOCUMENTS)),
    "text": ("Text and logs", lambda: File.file_type.startswith("text/")),
    "archive": ("Archives", lambda: File.file_type.is_in(*ARCHIVES)),
}


def type_label(file_type: str) -> str:
    """A short name of a MIME type for lists: PDF, Image, Spreadsheet, …"""
    if file_type == "application/pdf":
        return "PDF"
    if file_type.startswith("image/"):
        return "Image"
    if file_type in SPREADSHEETS:
        return "Spreadsheet"
    if file_type in DOCUMENTS:
        return "Document"
    if file_type in ARCHIVES:
        return "Archive"
    if file_type.startswith("text/"):
        return "Text"
    return "File"


def file_get(*, file_id: str, org_id: str | None = None, include_pending: bool = False) -> File:
    """A file; a pending reservation (unless asked for) or another org's file answers NotFound."""
    with dynamo_errors():
        try:
            file = File.get(file_id, consistent_read=True)
        except File.DoesNotExist:
            raise NotFound() from None
    if org_id is not None and file.org_id != org_id:
        raise NotFound()
    if file.status != READY and not include_pending:
        raise NotFound()
    return file


def _range(start: datetime | None, end: datetime | None):
    if start and end:
        return File.uploaded_at.between(start, end)
    if start:
        return File.uploaded_at >= start
    if end:
        return File.uploaded_at <= end
    return None


def _page(index, hash_key: str, *, start=None, end=None, file_type: str | None = None, cursor: str | None = None,
          limit: int = PAGE, oldest_first: bool = False) -> tuple[list[File], str | None]:
    type_filter = TYPE_FILTERS.get(file_type or "")
    with dynamo_errors():
        return query_page(index, hash_key, range_key_condition=_range(start, end),
                          filter_condition=type_filter[1]() if type_filter else None,
                          limit=limit, cursor=cursor, scan_index_forward=oldest_first)


def well_files(*, well_id: str, start: datetime | None = None, end: datetime | None = None, file_type: str | None = None,
               cursor: str | None = None, limit: int = PAGE, oldest_first: bool = False) -> tuple[list[File], str | None]:
    """A well's files (WellFilesIndex), optionally uploaded within [start, end] and of one type."""
    return _page(File.well_files_index, well_id, start=start, end=end, file_type=file_type, cursor=cursor,
                 limit=limit, oldest_first=oldest_first)


def stage_files(*, stage_id: str, start: datetime | None = None, end: datetime | None = None,
                file_type: str | None = None, cursor: str | None = None, limit: int = PAGE,
                oldest_first: bool = False) -> tuple[list[File], str | None]:
    return _page(File.stage_files_index, stage_id, start=start, end=end, file_type=file_type, cursor=cursor,
                 limit=limit, oldest_first=oldest_first)


def event_files(*, event_id: str, cursor: str | None = None, limit: int = PAGE) -> tuple[list[File], str | None]:
    return _page(File.event_files_index, event_id, cursor=cursor, limit=limit)


def org_files(*, org_id: str, file_type: str | None = None, cursor: str | None = None,
              limit: int = PAGE) -> tuple[list[File], str | None]:
    """The org's most recent files (OrgFilesIndex)."""
    return _page(File.org_files_index, org_id, file_type=file_type, cursor=cursor, limit=limit)


def well_files_on_date(*, well_id: str, day: date, zone_name: str, cursor: str | None = None,
                       limit: int = PAGE) -> tuple[list[File], str | None]:
    """Files uploaded on ``day`` in the well's time zone."""
    start, end = local_day_window(day, zone_name)
    return well_files(well_id=well_id, start=start, end=end - timedelta(microseconds=1), cursor=cursor, limit=limit)


def well_files_all(*, well_id: str) -> list[File]:
    """Every finished file of a well (for its deletion)."""
    with dynamo_errors():
        return query_all(File.well_files_index, well_id)
