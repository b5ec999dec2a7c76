"""Organizations: create, rename, delete."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from orgs.audit import CREATE, audit_created, audit_record
from orgs.models import Membership, Organization
from orgs.permissions import Role, membership_id
from welltrack.actor import Actor
from welltrack.dynamodb import transact_write
from welltrack.errors import ValidationFailed, dynamo_errors

ORG_NAME_MAX = 120
ORG_DESCRIPTION_MAX = 2000


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
    """The organization, its creator's OWNER membership and the audit item, in one transaction."""
    name, description = _clean_org_fields(name, description)
    now = datetime.now(timezone.utc)
    org = Organization(
        str(uuid.uuid4()),
        name=name,
        description=description,
        owner_id=actor.user_id,
        owner_count=1,
        status="ACTIVE",
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
        status="ACTIVE",
    )
    with dynamo_errors(), transact_write() as tx:
        tx.save(org, condition=Organization.org_id.does_not_exist())
        tx.save(membership, condition=Membership.membership_id.does_not_exist())
        audit_record(
            tx, actor=actor, org_id=org.org_id, entity_type="ORGANIZATION", entity_id=org.org_id,
            entity_name=name, action=CREATE, changes=audit_created({"name": name, "description": description}),
            timestamp=now,
        )
    return org


# --- organization settings and deletion ---------------------------------------------------

def org_update(*, actor: Actor, org: Organization, name: str, description: str, version: int) -> Organization:
    from orgs.audit import UPDATE, audit_diff
    from welltrack.errors import Conflict

    if int(version) != int(org.version):
        raise Conflict()
    name, description = _clean_org_fields(name, description)
    changes = audit_diff({"name": org.name, "description": org.description}, {"name": name, "description": description})
    if not changes:
        return org
    now = datetime.now(timezone.utc)
    # An update of the edited fields only (with the version condition), never a whole-item
    # put: the owner bookkeeping (ownerCount, ownerId) changes without the version.
    with dynamo_errors(), transact_write() as tx:
        tx.update(org, actions=[Organization.name.set(name), Organization.description.set(description),
                                Organization.updated_at.set(now)],
                  condition=Organization.status == "ACTIVE")
        audit_record(tx, actor=actor, org_id=org.org_id, entity_type="ORGANIZATION", entity_id=org.org_id,
                     entity_name=name, action=UPDATE, changes=changes, timestamp=now)
    org.name, org.description, org.updated_at = name, description, now
    return org


def org_delete(*, actor: Actor, org: Organization, confirm_name: str) -> None:
    """Soft delete: the organization becomes DELETED (nobody can reach it or its data any more;
    nothing is erased), then its memberships are marked REMOVED so it leaves everyone's list."""
    from orgs.audit import DELETE
    from orgs.selectors import org_members_all

    if (confirm_name or "").strip() != org.name:
        raise ValidationFailed({"confirm_name": f"Type the organization's name, {org.name}, to confirm."})
    now = datetime.now(timezone.utc)
    with dynamo_errors(), transact_write() as tx:
        tx.update(org, actions=[Organization.status.set("DELETED"), Organization.updated_at.set(now)],
                  condition=Organization.status == "ACTIVE")
        audit_record(tx, actor=actor, org_id=org.org_id, entity_type="ORGANIZATION", entity_id=org.org_id,
                     entity_name=org.name, action=DELETE, changes={"status": {"old": "ACTIVE", "new": "DELETED"}},
                     timestamp=now)
    org.status, org.updated_at = "DELETED", now
    for membership in org_members_all(org_id=org.org_id):
        if membership.status != "REMOVED":
            with dynamo_errors():
                membership.update(actions=[Membership.status.set("REMOVED")], add_version_condition=False)
