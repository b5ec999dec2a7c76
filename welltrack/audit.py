"""The audit log every app writes: one AuditLog item per mutation, in the mutation's transaction.

Usage inside a service::

    with transact_write() as tx:
        tx.save(well, condition=...)
        audit_record(tx, actor=actor, org_id=well.org_id, entity_type="WELL",
                     entity_id=well.well_id, entity_name=well.name, action=UPDATE,
                     changes=audit_diff(before, after))

The item is put with ``attribute_not_exists(logId)``: an audit entry is never overwritten.
The reads here are the generic ones (an entity's history, an organization's activity);
turning an entry into a sentence is orgs.describe's.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

from pynamodb.attributes import MapAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from welltrack.actor import Actor
from welltrack.dynamodb import WellTrackModel
from welltrack.errors import dynamo_errors
from welltrack.pagination import filtered_page, query_page


class EntityHistoryIndex(GlobalSecondaryIndex["AuditLog"]):
    class Meta:
        index_name = "EntityHistoryIndex"
        projection = AllProjection()

    entity_id = UnicodeAttribute(hash_key=True, attr_name="entityId")
    timestamp = UTCDateTimeAttribute(range_key=True)


class UserActivityIndex(GlobalSecondaryIndex["AuditLog"]):
    class Meta:
        index_name = "UserActivityIndex"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True, attr_name="userId")
    timestamp = UTCDateTimeAttribute(range_key=True)


class OrgActivityIndex(GlobalSecondaryIndex["AuditLog"]):
    class Meta:
        index_name = "OrgActivityIndex"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True, attr_name="orgId")
    timestamp = UTCDateTimeAttribute(range_key=True)


class AuditLog(WellTrackModel):
    """AuditLog (schema table 9). Key: ``logId``. Written only, never updated or deleted.

    ``changes`` is ``{field: {"old": …, "new": …}}``. ``entityName`` keeps the label the
    entity had (a well's name) so a history reads in words without another lookup.
    GSIs: EntityHistoryIndex (entityId, timestamp), UserActivityIndex (userId, timestamp),
    and OrgActivityIndex (orgId, timestamp) for an organization's activity page.
    """

    class Meta:
        base_name = "AuditLog"

    log_id = UnicodeAttribute(hash_key=True, attr_name="logId")
    entity_type = UnicodeAttribute(attr_name="entityType")
    entity_id = UnicodeAttribute(attr_name="entityId")
    entity_name = UnicodeAttribute(attr_name="entityName", default="")
    org_id = UnicodeAttribute(attr_name="orgId", null=True)
    action = UnicodeAttribute()
    changes = MapAttribute(default=dict)
    user_id = UnicodeAttribute(attr_name="userId")
    timestamp = UTCDateTimeAttribute()
    ip_address = UnicodeAttribute(attr_name="ipAddress", default="unknown")

    entity_history_index = EntityHistoryIndex()
    user_activity_index = UserActivityIndex()
    org_activity_index = OrgActivityIndex()


class AuditAction(StrEnum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"


CREATE, UPDATE, DELETE = AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE


# --- writing --------------------------------------------------------------------------------


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
    """Add the AuditLog item to ``transaction``. ``changes`` is stored as audit_value makes it
    (a status given as a StrEnum member is kept as its text)."""
    entry = AuditLog(
        str(uuid.uuid4()),
        entity_type=entity_type,
        entity_id=entity_id,
        entity_name=entity_name,
        org_id=org_id,
        action=audit_value(action),
        changes=audit_value(changes),
        user_id=actor.user_id,
        timestamp=timestamp or datetime.now(UTC),
        ip_address=actor.ip_address,
    )
    transaction.save(entry, condition=AuditLog.log_id.does_not_exist())
    return entry


# --- reading --------------------------------------------------------------------------------


def audit_entity_history(
    *, entity_id: str, cursor: str | None = None, limit: int = 20
) -> tuple[list[AuditLog], str | None]:
    """An entity's changes, newest first (EntityHistoryIndex)."""
    with dynamo_errors():
        return query_page(
            AuditLog.entity_history_index, entity_id, limit=limit, cursor=cursor, scan_index_forward=False
        )


ACTIVITY_MAX_REQUESTS = 5


def org_activity(
    *,
    org_id: str,
    entity_type: str = "",
    user_id: str = "",
    entity_id: str = "",
    cursor: str | None = None,
    limit: int = 25,
) -> tuple[list[AuditLog], str | None]:
    """The org's audit log, newest first. By user: UserActivityIndex; by entity:
    EntityHistoryIndex; otherwise OrgActivityIndex. The entity-type filter and the org check
    are filter expressions on the chosen key.

    A filtered page is filled from up to ACTIVITY_MAX_REQUESTS Query pages, so a rare filter
    over a long history costs a bounded number of requests: the page may then hold fewer
    entries (even none) and still offer a cursor to look further back.
    """
    condition = None
    if entity_type:
        condition = AuditLog.entity_type == entity_type
    if user_id or entity_id:
        org_condition = AuditLog.org_id == org_id
        condition = org_condition if condition is None else condition & org_condition
        index = AuditLog.user_activity_index if user_id else AuditLog.entity_history_index
        key = user_id or entity_id
        if user_id and entity_id:
            condition = condition & (AuditLog.entity_id == entity_id)
    else:
        index, key = AuditLog.org_activity_index, org_id
    if condition is None:
        with dynamo_errors():
            return query_page(index, key, limit=limit, cursor=cursor, scan_index_forward=False)
    return filtered_page(
        index,
        key,
        model=AuditLog,
        condition=condition,
        limit=limit,
        cursor=cursor,
        max_requests=ACTIVITY_MAX_REQUESTS,
        scan_index_forward=False,
    )
