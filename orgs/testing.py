"""Test support: an organization with one member of each role, and an outsider.

Members are added through the invitation service once it exists; until then, and for
speed, ``add_member`` writes the membership the way invitation acceptance does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from orgs.models import Membership
from orgs.permissions import Role, membership_id


def add_member(org, user, role: str, invited_by: str | None = None) -> Membership:
    now = datetime.now(UTC)
    membership = Membership(
        membership_id(org.org_id, user.user_id),
        org_id=org.org_id,
        user_id=user.user_id,
        role=role,
        invited_by=invited_by or org.owner_id,
        invited_at=now,
        joined_at=now,
        status="ACTIVE",
    )
    membership.save()
    if role == Role.OWNER.value:
        from orgs.models import Organization

        Organization.get(org.org_id).update(actions=[Organization.owner_count.add(1)], add_version_condition=False)
    return membership


@dataclass
class OrgWorld:
    """An org whose members are users["OWNER"], users["ADMIN"], users["EDITOR"], users["VIEWER"];
    ``outsider`` owns another org (``other_org``) and is not a member of this one."""

    org: object
    users: dict
    outsider: object
    other_org: object
    extra: dict = field(default_factory=dict)


def build_org_world(make_user) -> OrgWorld:
    from orgs.services import org_create
    from welltrack.actor import Actor

    owner = make_user(name="Olga Owner")
    org = org_create(actor=Actor(owner.user_id, "127.0.0.1"), name="Caspian Drilling", description="Test org")
    users = {"OWNER": owner}
    for role, name in (("ADMIN", "Adam Admin"), ("EDITOR", "Erin Editor"), ("VIEWER", "Victor Viewer")):
        users[role] = make_user(name=name)
        add_member(org, users[role], role)
    outsider = make_user(name="Oscar Outsider")
    other_org = org_create(actor=Actor(outsider.user_id, "127.0.0.1"), name="Other Oil Co")
    return OrgWorld(org=org, users=users, outsider=outsider, other_org=other_org)


class OutageAfter:
    """A fault (welltrack.faults.injected): DynamoDB carries out ``allowed`` transactions, then
    throttles every transaction for good, as an outage in the middle of a long job would."""

    def __init__(self, allowed: int) -> None:
        self.allowed = allowed

    def __call__(self, request, **_kwargs):
        from welltrack.faults import _operation, error_response

        if _operation(request) != "TransactWriteItems":
            return None
        if self.allowed > 0:
            self.allowed -= 1
            return None
        return error_response(request.url, "ProvisionedThroughputExceededException", "Injected outage")
