"""The policy: the roles, what each action needs, and the answer for a request without a session.

A request with a session asks ``request.reads`` (orgs.reads), which reads the membership and
applies this policy. An organization the user is not an ACTIVE member of answers NotFound
(404), exactly like one that does not exist; a member whose role is too low gets Forbidden (403).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

from pynamodb.models import Model

from orgs.models import Membership, MembershipStatus, Organization, OrgStatus
from welltrack.dynamodb import batch_get_consistent
from welltrack.errors import Forbidden, NotFound

_NAMESPACE = uuid.UUID("6f1c1f0e-4d3b-5a43-9a53-77656c6c7472")


class Role(StrEnum):
    OWNER = "OWNER"
    ADMIN = "ADMIN"
    EDITOR = "EDITOR"
    VIEWER = "VIEWER"


RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3, Role.OWNER: 4}
ROLE_LABELS = {
    Role.OWNER: "Owner",
    Role.ADMIN: "Admin",
    Role.EDITOR: "Editor",
    Role.VIEWER: "Viewer",
}


class Action(StrEnum):
    VIEW = "view"  # read the org's data: projects, wells, stages, events, files, timeline, activity, members
    EDIT_RECORDS = "edit_records"  # create/edit wells, stages, events; upload, tag and delete files
    DELETE_WELLS = "delete_wells"  # delete a well and what goes with it
    MANAGE_PROJECTS = "manage_projects"  # create, edit, archive, delete projects
    MANAGE_ORG = "manage_org"  # org name and description
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, remove members (owners: see services)
    VIEW_AUDIT_DETAILS = "view_audit_details"  # IP addresses in the activity log
    DELETE_ORG = "delete_org"
    TRANSFER_OWNERSHIP = "transfer_ownership"


MINIMUM_ROLE: dict[Action, Role] = {
    Action.VIEW: Role.VIEWER,
    Action.EDIT_RECORDS: Role.EDITOR,
    Action.DELETE_WELLS: Role.ADMIN,
    Action.MANAGE_PROJECTS: Role.ADMIN,
    Action.MANAGE_ORG: Role.ADMIN,
    Action.MANAGE_MEMBERS: Role.ADMIN,
    Action.VIEW_AUDIT_DETAILS: Role.ADMIN,
    Action.DELETE_ORG: Role.OWNER,
    Action.TRANSFER_OWNERSHIP: Role.OWNER,
}


def membership_id(org_id: str, user_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{org_id}#{user_id}"))


def role_allows(role: str, action: Action) -> bool:
    return RANK.get(Role(role), 0) >= RANK[MINIMUM_ROLE[action]]


def active(membership: Membership | None, org: Organization | None) -> bool:
    """An ACTIVE membership of an ACTIVE organization: a deleted organization is as unreachable
    as a removed membership."""
    return (
        membership is not None
        and membership.status == MembershipStatus.ACTIVE
        and org is not None
        and org.status == OrgStatus.ACTIVE
    )


def check_role(membership: Membership, action: Action) -> None:
    """Forbidden when the member's role is below what ``action`` needs."""
    if not role_allows(membership.role, action):
        raise Forbidden()


class UserAccess(NamedTuple):
    membership: Membership
    records: list


def authorize_user(
    *, org_id: str, user_id: str, action: Action = Action.VIEW, also: Sequence[tuple[type[Model], str]] = ()
) -> UserAccess:
    """May this user ``action`` the org, for a request that carries no session: a private calendar
    link names its user and org, and the link is the credential. NotFound / Forbidden as for a
    signed-in request (orgs.reads), read in one BatchGetItem with ``also`` (``[(Model, hash_key), …]``,
    ``records`` has None where missing), which the caller checks itself.
    """
    membership, org, *records = batch_get_consistent(
        [(Membership, membership_id(org_id, user_id)), (Organization, org_id), *also]
    )
    if not active(membership, org):
        raise NotFound()
    membership.organization = org
    check_role(membership, action)
    return UserAccess(membership, records)
