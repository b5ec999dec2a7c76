"""Reads of the organizations area."""

from __future__ import annotations

from datetime import UTC, datetime

from accounts.selectors import users_by_id
from orgs.models import AuditLog, Invitation, Membership, Organization
from orgs.permissions import RANK, Role, membership_id
from welltrack.dynamodb import batch_get_consistent
from welltrack.errors import NotFound, dynamo_errors
from welltrack.pagination import check_cursor, filtered_page, query_page


def audit_entity_history(
    *, entity_id: str, cursor: str | None = None, limit: int = 20
) -> tuple[list[AuditLog], str | None]:
    """An entity's changes, newest first (EntityHistoryIndex)."""
    with dynamo_errors():
        return query_page(
            AuditLog.entity_history_index, entity_id, limit=limit, cursor=cursor, scan_index_forward=False
        )


def user_orgs_split(*, user_id: str) -> tuple[list[tuple[Organization, Membership]], list[Organization]]:
    """The user's active organizations with their membership, by name (UserOrgsIndex + one
    BatchGetItem); and, apart, the organizations they own whose deletion an outage cut short
    (DELETED, with this owner's membership not yet released), for them to finish."""

    with dynamo_errors():
        memberships = [m for m in Membership.user_orgs_index.query(user_id) if m.status == "ACTIVE"]
    if not memberships:
        return [], []
    orgs = batch_get_consistent([(Organization, m.org_id) for m in memberships])
    pairs = [(org, m) for org, m in zip(orgs, memberships, strict=True) if org is not None and org.status == "ACTIVE"]
    unfinished = [
        org
        for org, m in zip(orgs, memberships, strict=True)
        if org is not None and org.status == "DELETED" and m.role == "OWNER"
    ]
    return sorted(pairs, key=lambda pair: pair[0].name.lower()), sorted(unfinished, key=lambda org: org.name.lower())


def user_orgs(*, user_id: str) -> list[tuple[Organization, Membership]]:
    """The user's active organizations with their membership, by name."""
    return user_orgs_split(user_id=user_id)[0]


MEMBERS_PAGE_SIZE = 50
MEMBERS_MAX_REQUESTS = 3


def org_members(
    *, org_id: str, cursor: str | None = None, limit: int | None = None
) -> tuple[list[tuple[Membership, object]], str | None]:
    """One page of the org's ACTIVE members with their users: ``(rows, next_cursor)``.

    Pages follow OrgMembersIndex (orgId, userId); on a page, owners come first, then by
    name. Removed memberships stay in the index and are filtered out on the query, so a page
    is filled from at most MEMBERS_MAX_REQUESTS Query pages (it may hold fewer rows and still
    offer a cursor). One request more names the members (BatchGetItem). Nothing that must
    see every owner reads this: the last-owner rule is Organization.ownerCount.
    """

    limit = limit or MEMBERS_PAGE_SIZE
    check_cursor(Membership.org_members_index, org_id, cursor)
    members, next_cursor = filtered_page(
        Membership.org_members_index,
        org_id,
        model=Membership,
        condition=Membership.status == "ACTIVE",
        limit=limit,
        cursor=cursor,
        max_requests=MEMBERS_MAX_REQUESTS,
    )
    users = users_by_id(user_ids={m.user_id for m in members})
    rows = [(m, users.get(m.user_id)) for m in members]
    rows.sort(key=lambda r: (-RANK[Role(r[0].role)], (r[1].name.lower() if r[1] else "")))
    return rows, next_cursor


def member_get(*, org_id: str, user_id: str) -> Membership:

    with dynamo_errors():
        try:
            membership = Membership.get(membership_id(org_id, user_id), consistent_read=True)
        except Membership.DoesNotExist:
            raise NotFound() from None
    if membership.status != "ACTIVE":
        raise NotFound()
    return membership


def invitations_pending(*, org_id: str) -> list[Invitation]:

    now = datetime.now(UTC)
    with dynamo_errors():
        items = list(Invitation.org_invitations_index.query(org_id, scan_index_forward=False))
    return [i for i in items if i.status == "PENDING" and i.expires_at > now]


def invitation_get(*, org_id: str, invitation_id: str) -> Invitation:

    with dynamo_errors():
        try:
            invitation = Invitation.get(invitation_id, consistent_read=True)
        except Invitation.DoesNotExist:
            raise NotFound() from None
    if invitation.org_id != org_id:
        raise NotFound()
    return invitation


def invitation_by_token_hash(*, token_hash: str) -> Invitation | None:

    with dynamo_errors():
        items = list(Invitation.token_index.query(token_hash, limit=1))
    return items[0] if items else None


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
    check_cursor(index, key, cursor)
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


def org_get(*, org_id: str) -> Organization:
    """An ACTIVE organization (strongly consistent); NotFound for a missing or deleted one.
    Pages inside an org use permissions.authorize instead: this is for the invitation page,
    whose visitor is not a member yet."""

    with dynamo_errors():
        try:
            org = Organization.get(org_id, consistent_read=True)
        except Organization.DoesNotExist:
            raise NotFound() from None
    if org.status != "ACTIVE":
        raise NotFound("This organization no longer exists.")
    return org
