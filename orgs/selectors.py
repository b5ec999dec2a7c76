"""Reads of the organizations area."""

from __future__ import annotations

from orgs.models import AuditLog
from welltrack.errors import dynamo_errors
from welltrack.pagination import query_page


def audit_entity_history(*, entity_id: str, cursor: str | None = None, limit: int = 20) -> tuple[list[AuditLog], str | None]:
    """An entity's changes, newest first (EntityHistoryIndex)."""
    with dynamo_errors():
        return query_page(AuditLog.entity_history_index, entity_id, limit=limit, cursor=cursor, scan_index_forward=False)
