"""Which file a request may reach, asked of ``request.reads`` (orgs.reads): a file goes with its
well, so 404 where the user may not see the file or its well, 403 where the role is too low."""

from __future__ import annotations

from typing import NamedTuple

from django.http import HttpRequest

from files import selectors
from files.models import File
from orgs.permissions import Action
from wells.api.access import well_of
from wells.models import Well


class FileOfWell(NamedTuple):
    file: File
    well: Well


def file_of(
    request: HttpRequest,
    file_id: str,
    action: Action = Action.VIEW,
    *,
    org_id: str | None = None,
    include_pending: bool = False,
) -> FileOfWell:
    """The file and its well, if the user may ``action`` it.

    NotFound for another organization's file (or not ``org_id``'s), a pending reservation unless
    ``include_pending``, and a file of a well whose deletion was interrupted: that well is hidden
    (wells.selectors.well_is_hidden) and its files with it, for every action and role. The well is
    read with the membership (the file names its organization).
    """
    file = selectors.file_get(file_id=file_id, org_id=org_id, include_pending=include_pending)
    return FileOfWell(file, well_of(request, file.well_id, action, org_id=file.org_id))
