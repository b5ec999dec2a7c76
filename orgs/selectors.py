"""Reads of the organizations area."""

from __future__ import annotations

from orgs.models import AuditLog
from welltrack.errors import dynamo_errors
from welltrack.pagination import query_page


def audit_entity_history(*, entity_id: str, cursor: str | None = None, limit: int = 20) -> tuple[list[AuditLog], str | None]:
    """An entity's changes, newest first (EntityHistoryIndex)."""
    with dynamo_errors():
        return query_page(AuditLog.entity_history_index, entity_id, limit=limit, cursor=cursor, scan_index_forward=False)


def user_orgs(*, user_id: str) -> list[tuple["Organization", "Membership"]]:
    """The user's active organizations with their membership, by name (UserOrgsIndex + one BatchGetItem)."""
    from orgs.models import Membership, Organization
    from welltrack.dynamodb import batch_get_consistent

    with dynamo_errors():
        memberships = [m for m in Membership.user_orgs_index.query(user_id) if m.status == "ACTIVE"]
    if not memberships:
        return []
    orgs = batch_get_consistent([(Organization, m.org_id) for m in memberships])
    pairs = [(org, m) for org, m in zip(orgs, memberships) if org is not None and org.status == "ACTIVE"]
    return sorted(pairs, key=lambda pair: pair[0].name.lower())


def org_members_all(*, org_id: str) -> list["Membership"]:
    from orgs.models import Membership

    with dynamo_errors():
        return list(Membership.org_members_index.query(org_id))


def org_members(*, org_id: str) -> list[tuple["Membership", object]]:
    """Active members with their users, owners first, then by name."""
    from accounts.selectors import users_by_id
    from orgs.permissions import RANK, Role

    members = [m for m in org_members_all(org_id=org_id) if m.status == "ACTIVE"]
    users = users_by_id(user_ids={m.user_id for m in members} | {m.invited_by for m in members if m.invited_by})
    rows = [(m, users.get(m.user_id)) for m in members]
    rows.sort(key=lambda r: (-RANK[Role(r[0].role)], (r[1].name.lower() if r[1] else "")))
    return rows


def member_get(*, org_id: str, user_id: str) -> "Membership":
    from orgs.models import Membership
    from orgs.permissions import membership_id
    from welltrack.errors import NotFound

    with dynamo_errors():
        try:
            membership = Membership.get(membership_id(org_id, user_id), consistent_read=True)
        except Membership.DoesNotExist:
            raise NotFound() from None
    if membership.status != "ACTIVE":
        raise NotFound()
    return membership


def invitations_pending(*, org_id: str) -> list["Invitation"]:
    from datetime import datetime, timezone

    from orgs.models import Invitation

    now = datetime.now(timezone.utc)
    with dynamo_errors():
        items = list(Invitation.org_invitations_index.query(org_id, scan_index_forward=False))
    return [i for i in items if i.status == "PENDING" and i.expires_at > now]


def invitation_get(*, org_id: str, invitation_id: str) -> "Invitation":
    from orgs.models import Invitation
    from welltrack.errors import NotFound

    with dynamo_errors():
        try:
            invitation = Invitation.get(invitation_id, consistent_read=True)
        except Invitation.DoesNotExist:
            raise NotFound() from None
    if invitation.org_id != org_id:
        raise NotFound()
    return invitation


def invitation_by_token_hash(*, token_hash: str) -> "Invitation | None":
    from orgs.models import Invitation

    with dynamo_errors():
        items = list(Invitation.token_index.query(token_hash, limit=1))
    return items[0] if items else None


def org_activity(*, org_id: str, entity_type: str = "", user_id: str = "", entity_id: str = "",
                 cursor: str | None = None, limit: int = 25) -> tuple[list[AuditLog], str | None]:
    """The org's audit log, newest first. By user: UserActivityIndex; by entity: EntityHistoryIndex;
    otherwise OrgActivityIndex. The entity-type filter and the org check are filter expressions
    on the chosen key."""
    condition = None
    if entity_type:
        condition = AuditLog.entity_type == entity_type
    if user_id or entity_id:
        org_condition = AuditLog.org_id == org_id
        condition = org_condition if condition is None else condition & org_condition
        index = AuditLog.user_activity_index if user_id else AuditLog.entity_history_index
        key = user_id or entity_id
        if user_id and entity_id:
            entity_condition = AuditLog.entity_id == entity_id
            condition = condition & entity_condition
    else:
        index, key = AuditLog.org_activity_index, org_id
    with dynamo_errors():
        return query_page(index, key, limit=limit, cursor=cursor, scan_index_forward=False, filter_condition=condition)
