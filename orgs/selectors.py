"""Reads of the organizations area."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from accounts.models import User
from accounts.selectors import users_by_id
from orgs.models import Invitation, InvitationStatus, Membership, MembershipStatus, Organization, OrgStatus
from orgs.permissions import RANK, Role, membership_id
from welltrack.dynamodb import batch_get_consistent
from welltrack.errors import NotFound, dynamo_errors
from welltrack.pagination import filtered_page


class OrgMembership(NamedTuple):
    organization: Organization
    membership: Membership


class UserOrgs(NamedTuple):
    active: list[OrgMembership]  # by name
    unfinished: list[Organization]  # owned, their deletion cut short: for the owner to finish


def user_orgs_with_unfinished(*, user_id: str) -> UserOrgs:
    """The user's active organizations with their membership, by name (UserOrgsIndex + one
    BatchGetItem); and, apart, the organizations they own whose deletion an outage cut short
    (DELETED, with this owner's membership not yet released), for them to finish."""
    with dynamo_errors():
        memberships = [m for m in Membership.user_orgs_index.query(user_id) if m.status == MembershipStatus.ACTIVE]
    if not memberships:
        return UserOrgs([], [])
    orgs = batch_get_consistent([(Organization, m.org_id) for m in memberships])
    pairs = [
        OrgMembership(org, m)
        for org, m in zip(orgs, memberships, strict=True)
        if org is not None and org.status == OrgStatus.ACTIVE
    ]
    unfinished = [
        org
        for org, m in zip(orgs, memberships, strict=True)
        if org is not None and org.status == OrgStatus.DELETED and m.role == Role.OWNER
    ]
    return UserOrgs(
        sorted(pairs, key=lambda pair: pair.organization.name.lower()),
        sorted(unfinished, key=lambda org: org.name.lower()),
    )


def user_orgs(*, user_id: str) -> list[OrgMembership]:
    """The user's active organizations with their membership, by name."""
    return user_orgs_with_unfinished(user_id=user_id).active


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
    members, next_cursor = filtered_page(
        Membership.org_members_index,
        org_id,
        model=Membership,
        condition=Membership.status == MembershipStatus.ACTIVE,
        limit=limit,
        cursor=cursor,
        max_requests=MEMBERS_MAX_REQUESTS,
    )
    users = users_by_id(user_ids={m.user_id for m in members})
    rows = [(m, users.get(m.user_id)) for m in members]
    rows.sort(key=lambda r: (-RANK[Role(r[0].role)], (r[1].name.lower() if r[1] else "")))
    return rows, next_cursor


def member_get(*, org_id: str, user_id: str) -> Membership:
    membership = Membership.get_or_404(membership_id(org_id, user_id))
    if membership.status != MembershipStatus.ACTIVE:
        raise NotFound()
    return membership


class OrgPerson(NamedTuple):
    """A member or former member of an organization, and their user (None once the account is gone)."""

    membership: Membership
    user: User | None


def org_person(*, org_id: str, user_id: str) -> OrgPerson | None:
    """Someone who is or was a member of the organization (a membership of any status: a removed
    one stays), or None for anyone else: nothing of them, not even their name, is told.

    One strongly consistent BatchGetItem reads the membership (by its key, never the lagging
    index) and the user together; the user is answered only when the membership exists."""
    if not user_id:
        return None
    membership, user = batch_get_consistent([(Membership, membership_id(org_id, user_id)), (User, user_id)])
    if membership is None or membership.org_id != org_id or membership.user_id != user_id:
        return None
    return OrgPerson(membership, user)


def invitations_pending(*, org_id: str) -> list[Invitation]:
    now = datetime.now(UTC)
    with dynamo_errors():
        items = list(Invitation.org_invitations_index.query(org_id, scan_index_forward=False))
    return [i for i in items if i.status == InvitationStatus.PENDING and i.expires_at > now]


def invitation_get(*, org_id: str, invitation_id: str) -> Invitation:
    invitation = Invitation.get_or_404(invitation_id)
    if invitation.org_id != org_id:
        raise NotFound()
    return invitation


def invitation_by_token_hash(*, token_hash: str) -> Invitation | None:
    with dynamo_errors():
        items = list(Invitation.token_index.query(token_hash, limit=1))
    return items[0] if items else None


def org_get(*, org_id: str) -> Organization:
    """An ACTIVE organization (strongly consistent); NotFound for a missing or deleted one.
    Pages inside an org use permissions.authorize instead: this is for the invitation page,
    whose visitor is not a member yet."""
    org = Organization.get_or_404(org_id)
    if org.status != OrgStatus.ACTIVE:
        raise NotFound("This organization no longer exists.")
    return org
