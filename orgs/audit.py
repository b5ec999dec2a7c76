"""The audit mechanism every app uses: one AuditLog item per mutation, in the mutation's transaction.

Usage inside a service::

    with transact_write() as tx:
        tx.save(well, condition=...)
        audit_record(tx, actor=actor, org_id=well.org_id, entity_type="WELL",
                     entity_id=well.well_id, entity_name=well.name, action="UPDATE",
                     changes=audit_diff(before, after))

The item is put with ``attribute_not_exists(logId)``: an audit entry is never overwritten.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pynamodb.transactions import TransactWrite

from orgs.models import AuditLog
from welltrack.actor import Actor

CREATE, UPDATE, DELETE = "CREATE", "UPDATE", "DELETE"


def audit_value(value: Any) -> Any:
    """A value as it is kept in ``changes``: JSON-like, times as UTC ISO 8601."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): audit_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [audit_value(v) for v in value]
    return value


def audit_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{field: {old, new}}`` for the fields whose value differs."""
    changes = {}
    for field in sorted(set(before) | set(after)):
        old, new = audit_value(before.get(field)), audit_value(after.get(field))
        if old != new:
            changes[field] = {"old": old, "new": new}
    return changes


def audit_created(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return audit_diff({}, {k: v for k, v in values.items() if v not in (None, "", [], {})})


def audit_deleted(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return audit_diff({k: v for k, v in values.items() if v not in (None, "", [], {})}, {})


def audit_record(
    transaction: TransactWrite,
    *,
    actor: Actor,
    entity_type: str,
    entity_id: str,
    action: str,
    changes: dict[str, dict[str, Any]],
    org_id: str | None = None,
    entity_name: str = "",
    timestamp: datetime | None = None,
) -> AuditLog:
    entry = AuditLog(
        str(uuid.uuid4()),
        entity_type=entity_type,
        entity_id=entity_id,
        entity_name=entity_name,
        org_id=org_id,
        action=action,
        changes=changes,
        user_id=actor.user_id,
        timestamp=timestamp or datetime.now(UTC),
        ip_address=actor.ip_address,
    )
    transaction.save(entry, condition=AuditLog.log_id.does_not_exist())
    return entry
