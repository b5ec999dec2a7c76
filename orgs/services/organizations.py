"""Organizations: create, rename, delete."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from django.conf import settings

from accounts.selectors import users_by_id
from orgs.models import Membership, MembershipStatus, Organization, OrgStatus
from orgs.permissions import Role, membership_id
from welltrack import ratelimit
from welltrack.actor import Actor
from welltrack.audit import CREATE, DELETE, UPDATE, audit_created, audit_diff, audit_record
from welltrack.dynamodb import transact_write
from welltrack.errors import Conflict, DependencyUnavailable, ValidationFailed, dynamo_errors

ORG_NAME_MAX = 120
ORG_DESCRIPTION_MAX = 2000
ORGS_WINDOW_SECONDS = 24 * 60 * 60
ORGS_REFUSED_MESSAGE = "You have created many organizations in the last day. Please try again in {minutes}."


def _clean_org_fields(name: str, description: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    description = (description or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Enter the organization's name."
    elif len(name) > ORG_NAME_MAX:
        errors["name"] = f"Use at most {ORG_NAME_MAX} characters."
    if len(description) > ORG_DESCRIPTION_MAX:
        errors["description"] = f"Use at most {ORG_DESCRIPTION_MAX} characters."
    if errors:
        raise ValidationFailed(errors)
    return name, description


def org_create(*, actor: Actor, name: str, description: str = "") -> Organization:
    """The organization, its creator's OWNER membership and the audit item, in one transaction.

    At most ``WELLTRACK_ORGS_PER_USER_PER_DAY`` per user in a rolling day, counted before the write."""
    name, description = _clean_org_fields(name, description)
    ratelimit.hit(
        "org-create",
        actor.user_id,
        limit=settings.WELLTRACK_ORGS_PER_USER_PER_DAY,
        window_seconds=ORGS_WINDOW_SECONDS,
        message=ORGS_REFUSED_MESSAGE,
    )
    now = datetime.now(UTC)
    org = Organization(
        str(uuid.uuid4()),
        name=name,
        description=description,
        owner_id=actor.user_id,
        owner_count=1,
        status=OrgStatus.ACTIVE,
        created_at=now,
        updated_at=now,
        created_by=actor.user_id,
    )
    membership = Membership(
        membership_id(org.org_id, actor.user_id),
        org_id=org.org_id,
        user_id=actor.user_id,
        role=Role.OWNER.value,
        invited_by=None,
        invited_at=None,
        joined_at=now,
        status=MembershipStatus.ACTIVE,
    )
    with dynamo_errors(), transact_write() as tx:
        tx.save(org, condition=Organization.org_id.does_not_exist())
        tx.save(membership, condition=Membership.membership_id.does_not_exist())
        audit_record(
            tx,
            actor=actor,
            org_id=org.org_id,
            entity_type="ORGANIZATION",
            entity_id=org.org_id,
            entity_name=name,
            action=CREATE,
            changes=audit_created({"name": name, "description": description}),
            timestamp=now,
        )
    return org


# --- organization settings and deletion ---------------------------------------------------


def org_update(*, actor: Actor, org: Organization, name: str, description: str, version: int) -> Organization:
    if int(version) != int(org.version):
        raise Conflict()
    name, description = _clean_org_fields(name, description)
    changes = audit_diff({"name": org.name, "description": org.description}, {"name": name, "description": description})
    if not changes:
        return org
    now = datetime.now(UTC)
    # An update of the edited fields only (with the version condition), never a whole-item
    # put: the owner bookkeeping (ownerCount, ownerId) changes without the version.
    with dynamo_errors(), transact_write() as tx:
        tx.update(
            org,
            actions=[
                Organization.name.set(name),
                Organization.description.set(description),
                Organization.updated_at.set(now),
            ],
            condition=Organization.status == OrgStatus.ACTIVE,
        )
        audit_record(
            tx,
            actor=actor,
            org_id=org.org_id,
            entity_type="ORGANIZATION",
            entity_id=org.org_id,
            entity_name=name,
            action=UPDATE,
            changes=changes,
            timestamp=now,
        )
    org.name, org.description, org.updated_at = name, description, now
    return org


def org_delete(*, actor: Actor, org: Organization, confirm_name: str) -> int:
    """Soft delete, then release every membership. Returns how many memberships were released.

    First the organization becomes DELETED with its audit item, in one transaction: from then
    on nobody can reach it or its data (nothing is erased). Then each ACTIVE membership becomes
    REMOVED in a transaction of its own with its own audit item, so an organization of any
    size is released (a TransactWrite holds at most 100 items). An outage part-way leaves
    an unreachable organization with some memberships still ACTIVE; calling this again (its
    owner can: see permissions.authorize_org_deletion) skips the first step and finishes.
    """
    if (confirm_name or "").strip() != org.name:
        raise ValidationFailed({"confirm_name": f"Type the organization's name, {org.name}, to confirm."})
    if org.status == OrgStatus.ACTIVE:
        now = datetime.now(UTC)
        with dynamo_errors(), transact_write() as tx:
            tx.update(
                org,
                actions=[Organization.status.set(OrgStatus.DELETED), Organization.updated_at.set(now)],
                condition=Organization.status == OrgStatus.ACTIVE,
            )
            audit_record(
                tx,
                actor=actor,
                org_id=org.org_id,
                entity_type="ORGANIZATION",
                entity_id=org.org_id,
                entity_name=org.name,
                action=DELETE,
                changes={"status": {"old": OrgStatus.ACTIVE, "new": OrgStatus.DELETED}},
                timestamp=now,
            )
        org.status, org.updated_at = OrgStatus.DELETED, now
    try:
        return _memberships_release(actor=actor, org=org)
    except DependencyUnavailable as exc:
        # Not "nothing was saved": the organization is deleted; only the release is unfinished.
        raise DependencyUnavailable(
            f"{org.name} is deleted, but the database stopped answering while its memberships were being "
            "released. In a minute, use “Finish deleting” on Your organizations (or delete it again) to "
            "complete it."
        ) from exc


RELEASE_PAGE = 100


def _memberships_release(*, actor: Actor, org: Organization) -> int:
    """Each ACTIVE membership of a DELETED organization becomes REMOVED, one transaction each.

    Idempotent: a membership already REMOVED (by an earlier, interrupted run or a concurrent
    one) is skipped. The acting user's own membership goes last, so that until the very end
    they can still come back and finish. ownerCount is left as it was at deletion: the
    organization is gone, and the last-owner rule guards only ACTIVE organizations.
    """
    released = 0
    own: tuple[Membership, str] | None = None
    start = None
    while True:
        with dynamo_errors():
            results = Membership.org_members_index.query(
                org.org_id,
                filter_condition=Membership.status == MembershipStatus.ACTIVE,
                limit=RELEASE_PAGE,
                last_evaluated_key=start,
            )
            page = list(results)
        names = {k: v.name for k, v in users_by_id(user_ids={m.user_id for m in page}).items()}
        for membership in page:
            if membership.user_id == actor.user_id:
                own = (membership, names.get(membership.user_id, ""))
                continue
            released += _membership_release(
                actor=actor, org=org, membership=membership, name=names.get(membership.user_id, "")
            )
        start = results.last_evaluated_key
        if start is None:
            break
    if own is not None:
        released += _membership_release(actor=actor, org=org, membership=own[0], name=own[1])
    return released


def _membership_release(*, actor: Actor, org: Organization, membership: Membership, name: str) -> int:
    now = datetime.now(UTC)
    try:
        with dynamo_errors(), transact_write() as tx:
            # Only memberships of a DELETED organization are released this way.
            tx.condition_check(Organization, org.org_id, condition=Organization.status == OrgStatus.DELETED)
            tx.update(
                membership,
                actions=[Membership.status.set(MembershipStatus.REMOVED)],
                condition=Membership.status == MembershipStatus.ACTIVE,
                add_version_condition=False,
            )
            audit_record(
                tx,
                actor=actor,
                org_id=org.org_id,
                entity_type="MEMBERSHIP",
                entity_id=membership.membership_id,
                entity_name=name or membership.user_id,
                action=DELETE,
                changes={
                    "status": {"old": MembershipStatus.ACTIVE, "new": MembershipStatus.REMOVED},
                    "role": {"old": membership.role, "new": None},
                },
                timestamp=now,
            )
    except Conflict:
        return 0  # released meanwhile by another run: nothing left to do for it
    return 1
