"""Memberships: roles, removal, leaving, ownership transfer.

The last OWNER can be neither removed nor demoted: every change that takes an OWNER away
decrements Organization.ownerCount under the condition ``ownerCount > 1`` in the same
transaction. Of two racing demotions (or removals) of the last two owners at most one
succeeds and at least one owner always remains: DynamoDB refuses the second by that
condition, or cancels both as conflicting transactions (each is then told the organization
changed meanwhile, and may simply try again).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.constants import KEY

from orgs.models import Membership, MembershipStatus, Organization, OrgStatus
from orgs.permissions import RANK, Role
from welltrack.actor import Actor
from welltrack.audit import DELETE, UPDATE, audit_record
from welltrack.dynamodb import transact_write
from welltrack.errors import Conflict, Forbidden, NotFound, ValidationFailed, dynamo_errors

LAST_OWNER_MESSAGE = "An organization needs at least one owner: make someone else owner first."


def _clean_role(role: str, *, allow_owner: bool = True) -> str:
    value = str(role or "").strip().upper()
    allowed = [r.value for r in Role if allow_owner or r != Role.OWNER]
    if value not in allowed:
        raise ValidationFailed({"role": f"Choose one of: {', '.join(allowed)}."})
    return value


def _membership_label(membership: Membership, name: str) -> str:
    return name or membership.user_id


def _org_update(tx, org: Organization, actions: list, condition=None) -> None:
    """Update the organization's owner bookkeeping inside ``tx`` without its version.

    ownerCount and ownerId are not what the settings form edits: PynamoDB's ``tx.update``
    would bump the version, so an admin whose settings form was open while a member became
    owner would be told the organization "changed by someone else". Same technique as
    wells.services.counters: the kwargs ``tx.update`` builds, minus the version handling.
    The organization must still be ACTIVE (not being deleted at the same moment).
    """
    hash_key, _ = Organization._serialize_keys(org.org_id, None)
    guard = Organization.org_id.exists() & (Organization.status == OrgStatus.ACTIVE)
    kwargs = Organization._get_connection().get_operation_kwargs(
        hash_key, key=KEY, actions=actions, condition=guard if condition is None else guard & condition
    )
    tx._update_items.append(kwargs)


def _owner_decrement(tx, org: Organization) -> None:
    _org_update(tx, org, [Organization.owner_count.add(-1)], condition=Organization.owner_count > 1)


def _owner_increment(tx, org: Organization) -> None:
    _org_update(tx, org, [Organization.owner_count.add(1)])


def _refused_by_owner_count(exc: Conflict) -> bool:
    """Whether DynamoDB refused the change for ``ownerCount > 1`` rather than for a concurrent
    transaction. The organization's update is the transaction's last item (updates follow
    puts), and its cancellation reason says ConditionalCheckFailed only when its condition
    failed; a TransactionConflict means the other racer held the item, not that this was
    the last owner."""
    reasons = getattr(exc.__cause__, "cancellation_reasons", None) or []
    return bool(reasons) and reasons[-1] is not None and reasons[-1].code == "ConditionalCheckFailed"


def _guard(actor_membership: Membership, target: Membership, new_role: str | None) -> None:
    """Admins manage members up to admin; only owners touch owners."""
    actor_is_owner = actor_membership.role == Role.OWNER.value
    if not actor_is_owner and (target.role == Role.OWNER.value or new_role == Role.OWNER.value):
        raise Forbidden("Only an owner can grant, change or remove the owner role.")
    if RANK[Role(actor_membership.role)] < RANK[Role.ADMIN]:
        raise Forbidden()


def member_change_role(
    *,
    actor: Actor,
    actor_membership: Membership,
    org: Organization,
    target: Membership,
    role: str,
    target_name: str = "",
) -> Membership:
    role = _clean_role(role)
    _guard(actor_membership, target, role)
    if target.status != MembershipStatus.ACTIVE:
        raise NotFound()
    old = target.role
    if old == role:
        return target
    now = datetime.now(UTC)
    target.role = role
    try:
        with dynamo_errors(), transact_write() as tx:
            tx.save(target)
            if old == Role.OWNER.value:
                _owner_decrement(tx, org)
            if role == Role.OWNER.value:
                _owner_increment(tx, org)
            audit_record(
                tx,
                actor=actor,
                org_id=org.org_id,
                entity_type="MEMBERSHIP",
                entity_id=target.membership_id,
                entity_name=_membership_label(target, target_name),
                action=UPDATE,
                changes={"role": {"old": old, "new": role}},
                timestamp=now,
            )
    except Conflict as exc:
        target.role = old
        if old == Role.OWNER.value and _refused_by_owner_count(exc):
            raise Conflict(LAST_OWNER_MESSAGE) from None
        raise
    return target


def member_remove(
    *,
    actor: Actor,
    actor_membership: Membership | None,
    org: Organization,
    target: Membership,
    target_name: str = "",
    leaving: bool = False,
) -> None:
    """Remove a member (ADMIN+; only owners remove owners) or, with ``leaving``, yourself."""
    if not leaving:
        _guard(actor_membership, target, None)
    if target.status != MembershipStatus.ACTIVE:
        raise NotFound()
    now = datetime.now(UTC)
    old_role = target.role
    target.status = MembershipStatus.REMOVED
    try:
        with dynamo_errors(), transact_write() as tx:
            tx.save(target)
            if old_role == Role.OWNER.value:
                _owner_decrement(tx, org)
            audit_record(
                tx,
                actor=actor,
                org_id=org.org_id,
                entity_type="MEMBERSHIP",
                entity_id=target.membership_id,
                entity_name=_membership_label(target, target_name),
                action=DELETE,
                changes={
                    "status": {"old": MembershipStatus.ACTIVE, "new": MembershipStatus.REMOVED},
                    "role": {"old": old_role, "new": None},
                },
                timestamp=now,
            )
    except Conflict as exc:
        target.status = MembershipStatus.ACTIVE
        if old_role == Role.OWNER.value and _refused_by_owner_count(exc):
            raise Conflict(LAST_OWNER_MESSAGE) from None
        raise


def ownership_transfer(
    *,
    actor: Actor,
    actor_membership: Membership,
    org: Organization,
    target: Membership,
    target_name: str = "",
    actor_name: str = "",
) -> None:
    """The target becomes OWNER and the current owner ADMIN, in one transaction."""
    if actor_membership.role != Role.OWNER.value:
        raise Forbidden("Only an owner can transfer ownership.")
    if target.status != MembershipStatus.ACTIVE or target.membership_id == actor_membership.membership_id:
        raise ValidationFailed({"userId": "Choose another active member."})
    now = datetime.now(UTC)
    old_target_role = target.role
    target.role, actor_membership.role = Role.OWNER.value, Role.ADMIN.value
    with dynamo_errors(), transact_write() as tx:
        tx.save(target)
        tx.save(actor_membership)
        actions = [Organization.owner_id.set(target.user_id)]
        if old_target_role == Role.OWNER.value:
            actions.append(Organization.owner_count.add(-1))  # both were owners: one fewer now
        _org_update(tx, org, actions)
        audit_record(
            tx,
            actor=actor,
            org_id=org.org_id,
            entity_type="MEMBERSHIP",
            entity_id=target.membership_id,
            entity_name=target_name,
            action=UPDATE,
            changes={"role": {"old": old_target_role, "new": Role.OWNER}},
            timestamp=now,
        )
        audit_record(
            tx,
            actor=actor,
            org_id=org.org_id,
            entity_type="MEMBERSHIP",
            entity_id=actor_membership.membership_id,
            entity_name=actor_name,
            action=UPDATE,
            changes={"role": {"old": Role.OWNER, "new": Role.ADMIN}},
            timestamp=now,
        )
