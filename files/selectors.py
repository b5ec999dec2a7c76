"""Reads of the files area. Every list is a Query on a GSI, newest first, paginated.

Pending reservations have no ``uploadedAt`` and so are in no index: lists show finished
uploads only.

What a page costs, whatever the number of files:
* a plain page is one Query of ``limit`` files;
* a page filtered by type is filled from at most FILTER_MAX_REQUESTS Query pages of
  FILTER_PAGE_SIZE files (the type is a filter expression, evaluated after DynamoDB read the
  files). When the budget runs out first, the page holds fewer files (even none) and still
  offers a cursor to look further back;
* a list sorted by name or size reads the newest SORT_MAX_FILES files of the filter (at most
  SORT_MAX_REQUESTS requests), sorts them and shows one page of them; beyond that cap the
  answer says so (``capped``) and a date range narrows it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.core import signing

from files.models import READY, File
from wells.models import Well
from wells.selectors import wells_by_ids
from wells.times import local_day_window
from welltrack.errors import NotFound, ValidationFailed, dynamo_errors
from welltrack.pagination import NOT_VALID, filtered_page, query_all, query_page

PAGE = 50
FILTER_PAGE_SIZE = 100
FILTER_MAX_REQUESTS = 5
SORT_MAX_FILES = 1000
SORT_MAX_REQUESTS = 5
SORTS = {"name": lambda f: (f.file_name.lower(), f.file_name), "size": lambda f: int(f.file_size)}
_OFFSET_SALT = "welltrack.files.sorted-offset"

SPREADSHEETS = (
    "text/csv",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
)
DOCUMENTS = (
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "application/rtf",
)
ARCHIVES = (
    "application/zip",
    "application/x-zip-compressed",
    "application/x-7z-compressed",
    "application/gzip",
    "application/x-tar",
)

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
    file = File.get_or_404(file_id)
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


def _page(
    index,
    hash_key: str,
    *,
    start=None,
    end=None,
    file_type: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE,
    oldest_first: bool = False,
) -> tuple[list[File], str | None]:
    type_filter = TYPE_FILTERS.get(file_type or "")
    if type_filter is None:
        with dynamo_errors():
            return query_page(
                index,
                hash_key,
                range_key_condition=_range(start, end),
                limit=limit,
                cursor=cursor,
                scan_index_forward=oldest_first,
            )
    return filtered_page(
        index,
        hash_key,
        model=File,
        range_key_condition=_range(start, end),
        condition=type_filter[1](),
        limit=limit,
        cursor=cursor,
        max_requests=FILTER_MAX_REQUESTS,
        scan_index_forward=oldest_first,
        page_size=max(limit, FILTER_PAGE_SIZE),
    )


class SortedPage(NamedTuple):
    files: list[File]
    cursor: str | None
    capped: bool  # more than SORT_MAX_FILES files match: the sort covers the newest of them


def _newest_matching(index, hash_key: str, *, range_condition, condition) -> tuple[list[File], bool]:
    """The newest SORT_MAX_FILES files of a filter, in at most SORT_MAX_REQUESTS requests;
    and whether there were more (or the budget ran out before the end)."""
    results = index.query(
        hash_key,
        range_key_condition=range_condition,
        filter_condition=condition,
        scan_index_forward=False,
        page_size=SORT_MAX_FILES + 1,
    )
    pages = results.page_iter
    raw: list[dict] = []
    with dynamo_errors():
        for _ in range(SORT_MAX_REQUESTS):
            try:
                page = next(pages)
            except StopIteration:
                return [File.from_raw_data(i) for i in raw], False
            raw.extend(page.get("Items", []))
            if len(raw) > SORT_MAX_FILES:
                return [File.from_raw_data(i) for i in raw[:SORT_MAX_FILES]], True
            if pages.last_evaluated_key is None:
                return [File.from_raw_data(i) for i in raw], False
    return [File.from_raw_data(i) for i in raw], True


def _sorted_page(
    index,
    hash_key: str,
    *,
    sort: str,
    descending: bool,
    start=None,
    end=None,
    file_type: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE,
) -> SortedPage:
    if cursor:
        try:
            offset = int(signing.loads(cursor, salt=_OFFSET_SALT)["o"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise ValidationFailed({"cursor": NOT_VALID}) from None
    else:
        offset = 0
    type_filter = TYPE_FILTERS.get(file_type or "")
    files, capped = _newest_matching(
        index, hash_key, range_condition=_range(start, end), condition=type_filter[1]() if type_filter else None
    )
    # The upload time breaks ties, so equal names keep one order from page to page.
    files.sort(key=lambda f: f.uploaded_at, reverse=descending)
    files.sort(key=SORTS[sort], reverse=descending)
    shown = files[offset : offset + limit]
    more = offset + limit < len(files)
    return SortedPage(shown, signing.dumps({"o": offset + limit}, salt=_OFFSET_SALT) if more else None, capped)


def well_files(
    *,
    well_id: str,
    start: datetime | None = None,
    end: datetime | None = None,
    file_type: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE,
    oldest_first: bool = False,
) -> tuple[list[File], str | None]:
    """A well's files (WellFilesIndex), optionally uploaded within [start, end] and of one type."""
    return _page(
        File.well_files_index,
        well_id,
        start=start,
        end=end,
        file_type=file_type,
        cursor=cursor,
        limit=limit,
        oldest_first=oldest_first,
    )


def well_files_sorted(
    *,
    well_id: str,
    sort: str,
    descending: bool,
    start: datetime | None = None,
    end: datetime | None = None,
    file_type: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE,
) -> SortedPage:
    """A well's files sorted by ``sort`` (name or size) across the whole well, not one page:
    the newest SORT_MAX_FILES files of the filter are read and sorted."""
    return _sorted_page(
        File.well_files_index,
        well_id,
        sort=sort,
        descending=descending,
        start=start,
        end=end,
        file_type=file_type,
        cursor=cursor,
        limit=limit,
    )


def stage_files_sorted(
    *,
    stage_id: str,
    sort: str,
    descending: bool,
    start: datetime | None = None,
    end: datetime | None = None,
    file_type: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE,
) -> SortedPage:
    return _sorted_page(
        File.stage_files_index,
        stage_id,
        sort=sort,
        descending=descending,
        start=start,
        end=end,
        file_type=file_type,
        cursor=cursor,
        limit=limit,
    )


def stage_files(
    *,
    stage_id: str,
    start: datetime | None = None,
    end: datetime | None = None,
    file_type: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE,
    oldest_first: bool = False,
) -> tuple[list[File], str | None]:
    return _page(
        File.stage_files_index,
        stage_id,
        start=start,
        end=end,
        file_type=file_type,
        cursor=cursor,
        limit=limit,
        oldest_first=oldest_first,
    )


def event_files(*, event_id: str, cursor: str | None = None, limit: int = PAGE) -> tuple[list[File], str | None]:
    return _page(File.event_files_index, event_id, cursor=cursor, limit=limit)


class OrgFilesPage(NamedTuple):
    files: list[File]
    cursor: str | None
    wells: dict[str, Well]  # the wells of these files, by id


def org_files(
    *, org_id: str, file_type: str | None = None, cursor: str | None = None, limit: int = PAGE
) -> OrgFilesPage:
    """The org's most recent files (OrgFilesIndex) with their wells (one BatchGetItem).

    A file of a well whose deletion was interrupted (hidden) is left out with its well, so a
    page may hold fewer files than ``limit`` and still offer a cursor."""
    files, next_cursor = _page(File.org_files_index, org_id, file_type=file_type, cursor=cursor, limit=limit)
    wells = {w.well_id: w for w in wells_by_ids(well_ids={f.well_id for f in files}, org_id=org_id)} if files else {}
    return OrgFilesPage([f for f in files if f.well_id in wells], next_cursor, wells)


def well_files_on_date(
    *,
    well_id: str,
    day: date,
    zone_name: str,
    file_type: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE,
) -> tuple[list[File], str | None]:
    """Files uploaded on ``day`` in the well's time zone, optionally of one type."""
    start, end = local_day_window(day, zone_name)
    return well_files(
        well_id=well_id,
        start=start,
        end=end - timedelta(microseconds=1),
        file_type=file_type,
        cursor=cursor,
        limit=limit,
    )


def well_files_all(*, well_id: str) -> list[File]:
    """Every finished file of a well (for its deletion)."""
    with dynamo_errors():
        return query_all(File.well_files_index, well_id)
