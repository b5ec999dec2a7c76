"""The one place that answers "may this user do this to this organization's objects?".

Every page and API endpoint calls :func:`authorize` (or :func:`membership_for` to show or
hide buttons) before it reads or writes; a request without a session (a private calendar
link) calls :func:`authorize_user`, and deleting an organization (or finishing a deletion
an outage cut short) :func:`authorize_org_deletion`. An organization the user is not an
ACTIVE member of answers NotFound (404), exactly like one that does not exist; a member
whose role is too low gets Forbidden (403).

Memberships are read strongly consistent (with the organization, in one BatchGetItem) and
cached on the request object only, so a removal or demotion takes effect on the member's
very next request. A request whose session is not read yet reads it in that same
BatchGetItem (accounts.middleware.session_read_ahead).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from enum import StrEnum

from django.http import HttpRequest
from pynamodb.models import Model

from accounts.middleware import session_accept, session_read_ahead
from orgs.models import Membership, Organization
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


def _cache(request: HttpRequest) -> dict:
    cache = getattr(request, "_welltrack_memberships", None)
    if cache is None:
        cache = {}
        request._welltrack_memberships = cache
    return cache


def _read(
    org_id: str, user_id: str, also: Sequence[tuple[type[Model], str]] = ()
) -> tuple[Membership | None, Organization | None, list]:
    # One BatchGetItem reads the membership and the organization (and whatever else the
    # caller needs at the same moment), all strongly consistent.
    membership, org, *extra = batch_get_consistent(
        [(Membership, membership_id(org_id, user_id)), (Organization, org_id), *also]
    )
    if membership is not None and org is not None:
        membership.organization = org
    return membership, org, extra


def _read_for(
    request: HttpRequest, org_id: str, also: Sequence[tuple[type[Model], str]] = ()
) -> tuple[Membership | None, Organization | None, list]:
    """_read() for the request's user; NotFound without one. A session not read yet goes
    in the same BatchGetItem, for the user this process last saw with it, and is checked
    before anything read with it counts."""
    ahead = session_read_ahead(request)
    if ahead is None:
        user = request.user
        if not user.is_authenticated:
            raise NotFound()
        return _read(org_id, user.user_id, also)
    session_model, session_key, guessed_user_id = ahead
    membership, org, (session, *extra) = _read(org_id, guessed_user_id, [(session_model, session_key), *also])
    session_accept(request, session)
    user = request.user  # resolved from the session just read; NotAuthenticated if it has ended
    if not user.is_authenticated:
        raise NotFound()
    if user.user_id != guessed_user_id:
        return _read(org_id, user.user_id, also)
    return membership, org, extra


def _active(membership: Membership | None, org: Organization | None) -> bool:
    # A deleted organization is as unreachable as a removed membership.
    return membership is not None and membership.status == "ACTIVE" and org is not None and org.status == "ACTIVE"


def membership_for(request: HttpRequest, org_id: str) -> Membership | None:
    """The user's ACTIVE membership of the org, or None (anonymous, not a member, removed)."""
    if not org_id:
        return None
    cache = _cache(request)
    if org_id not in cache:
        try:
            membership, org, _ = _read_for(request, org_id)
        except NotFound:
            return None
        cache[org_id] = membership if _active(membership, org) else None
    return cache[org_id]


def forget_memberships(request: HttpRequest) -> None:
    """After a service changed the user's own membership within this request."""
    _cache(request).clear()


def authorize(request: HttpRequest, org_id: str, action: Action = Action.VIEW) -> Membership:
    membership = membership_for(request, org_id)
    if membership is None:
        raise NotFound()
    if not role_allows(membership.role, action):
        raise Forbidden()
    return membership


def authorize_with(
    request: HttpRequest, org_id: str, action: Action, also: Sequence[tuple[type[Model], str]]
) -> tuple[Membership, list]:
    """authorize(), reading the org's objects ``also`` (``[(Model, hash_key), …]``) in the same
    BatchGetItem as the membership, so a request that knows an object's org spares a round trip.

    An object of ``also`` that does not exist answers NotFound, as a missing object does,
    before the role is looked at; the caller checks that the objects belong to ``org_id``.
    """
    if not org_id:
        raise NotFound()
    cache = _cache(request)
    if org_id in cache:
        extra = batch_get_consistent(list(also))
    else:
        membership, org, extra = _read_for(request, org_id, also)
        cache[org_id] = membership if _active(membership, org) else None
    if any(item is None for item in extra):
        raise NotFound()
    return authorize(request, org_id, action), extra


def can(request: HttpRequest, org_id: str, action: Action) -> bool:
    membership = membership_for(request, org_id)
    return membership is not None and role_allows(membership.role, action)


def authorize_user(
    *, org_id: str, user_id: str, action: Action = Action.VIEW, also: Sequence[tuple[type[Model], str]] = ()
) -> tuple[Membership, list]:
    """authorize() for a request that carries no session: a private calendar link names its
    user and org, and the link is the credential. Same answers (NotFound, Forbidden), read
    in one request together with ``also`` (``[(Model, hash_key), …]``, None where missing),
    which the caller checks itself. Nothing is cached: there is no request to cache it on.
    """
    membership, org, extra = _read(org_id, user_id, also)
    if not _active(membership, org):
        raise NotFound()
    if not role_allows(membership.role, action):
        raise Forbidden()
    return membership, extra


def authorize_org_deletion(request: HttpRequest, org_id: str) -> Membership:
    """May this user delete the organization, or finish deleting it?

    As authorize(…, DELETE_ORG) for an ACTIVE organization. A DELETED one is reachable here
    only by an owner whose membership is still ACTIVE: its deletion was cut short before the
    memberships were all released (an owner's own goes last), and running it again finishes.
    Everyone else gets NotFound, as for any deleted organization.
    """
    if not org_id:
        raise NotFound()
    membership, org, _ = _read_for(request, org_id)
    if membership is None or membership.status != "ACTIVE" or org is None:
        raise NotFound()
    if org.status == "DELETED":
        if membership.role != Role.OWNER.value:
            raise NotFound()
        return membership
    if org.status != "ACTIVE":
        raise NotFound()
    if not role_allows(membership.role, Action.DELETE_ORG):
        raise Forbidden()
    return membership


def authorized_org(request: HttpRequest, org_id: str, action: Action = Action.VIEW) -> tuple[Organization, Membership]:
    """authorize(), and the organization, read in the same request to DynamoDB."""
    membership = authorize(request, org_id, action)
    return membership.organization, membership
