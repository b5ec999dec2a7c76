"""JSON API of organizations, members, invitations and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import Field

from accounts.selectors import users_by_id
from orgs import selectors, services
from orgs.permissions import Action, role_allows
from welltrack.actor import Actor
from welltrack.audit import org_activity
from welltrack.dynamodb import plain_map
from welltrack.schemas import CamelSchema, OutSchema

router = Router(tags=["organizations"])


class OrgIn(CamelSchema):
    name: str = Field(max_length=500)
    description: str = Field(default="", max_length=5000)


class OrgPatch(CamelSchema):
    version: int
    name: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=5000)


class OrgOut(OutSchema):
    org_id: str
    name: str
    description: str
    owner_id: str
    created_at: datetime
    updated_at: datetime
    created_by: str
    version: int
    role: str | None = None


class MemberOut(OutSchema):
    membership_id: str
    org_id: str
    user_id: str
    name: str | None
    email: str | None
    role: str
    status: str
    invited_by: str | None
    invited_at: datetime | None
    joined_at: datetime | None
    version: int


class MemberPage(OutSchema):
    items: list[MemberOut]
    next_cursor: str | None


class RoleIn(CamelSchema):
    role: str = Field(max_length=20)


class InviteIn(CamelSchema):
    email: str = Field(max_length=254)
    role: str = Field(default="VIEWER", max_length=20)


class InvitationOut(OutSchema):
    invitation_id: str
    email: str
    role: str
    status: str
    invited_by: str
    created_at: datetime
    expires_at: datetime


class AuditOut(OutSchema):
    log_id: str
    entity_type: str
    entity_id: str
    entity_name: str
    org_id: str | None
    action: str
    changes: dict[str, Any]
    user_id: str
    timestamp: datetime
    ip_address: str | None = None

    sources = {"changes": lambda e: plain_map(e.changes)}


class AuditPage(OutSchema):
    items: list[AuditOut]
    next_cursor: str | None


def _member(membership, user=None) -> dict:
    """A member's answer: the membership, with the user's name and email."""
    return MemberOut.values_of(membership, name=user.name if user else None, email=user.email if user else None)


@router.post("/orgs", response={201: OrgOut}, by_alias=True)
def org_create(request: HttpRequest, payload: OrgIn):
    org = services.org_create(actor=Actor.from_request(request), name=payload.name, description=payload.description)
    return Status(201, OrgOut.values_of(org, role="OWNER"))


@router.get("/orgs", response=list[OrgOut], by_alias=True)
def org_list(request: HttpRequest):
    return [
        OrgOut.values_of(org, role=membership.role)
        for org, membership in selectors.user_orgs(user_id=request.user.user_id)
    ]


@router.get("/orgs/{org_id}", response=OrgOut, by_alias=True)
def org_get(request: HttpRequest, org_id: str):
    membership = request.reads.authorize(org_id, Action.VIEW)
    return OrgOut.values_of(membership.organization, role=membership.role)


@router.patch("/orgs/{org_id}", response=OrgOut, by_alias=True)
def org_patch(request: HttpRequest, org_id: str, payload: OrgPatch):
    membership = request.reads.authorize(org_id, Action.MANAGE_ORG)
    org = membership.organization
    org = services.org_update(
        actor=Actor.from_request(request),
        org=org,
        version=payload.version,
        name=payload.name if payload.name is not None else org.name,
        description=payload.description if payload.description is not None else org.description,
    )
    return OrgOut.values_of(org, role=membership.role)


@router.delete("/orgs/{org_id}", response={204: None})
def org_delete(request: HttpRequest, org_id: str):
    # DELETE again finishes a deletion that an outage cut short (see authorize_org_deletion).
    membership = request.reads.org_deletion(org_id)
    services.org_delete(
        actor=Actor.from_request(request), org=membership.organization, confirm_name=membership.organization.name
    )
    return Status(204, None)


@router.get("/orgs/{org_id}/members", response=MemberPage, by_alias=True)
def member_list(request: HttpRequest, org_id: str, cursor: str | None = Query(None, max_length=2000)):
    request.reads.authorize(org_id, Action.VIEW)
    rows, next_cursor = selectors.org_members(org_id=org_id, cursor=cursor)
    return {"items": [_member(m, u) for m, u in rows], "next_cursor": next_cursor}


@router.patch("/orgs/{org_id}/members/{user_id}", response=MemberOut, by_alias=True)
def member_patch(request: HttpRequest, org_id: str, user_id: str, payload: RoleIn):
    membership = request.reads.authorize(org_id, Action.MANAGE_MEMBERS)
    target = selectors.member_get(org_id=org_id, user_id=user_id)
    user = users_by_id(user_ids=[user_id]).get(user_id)
    target = services.member_change_role(
        actor=Actor.from_request(request),
        actor_membership=membership,
        org=membership.organization,
        target=target,
        role=payload.role,
        target_name=user.name if user else "",
    )
    request.reads.forget_memberships()
    return _member(target, user)


@router.delete("/orgs/{org_id}/members/{user_id}", response={204: None})
def member_delete(request: HttpRequest, org_id: str, user_id: str):
    """Remove a member (ADMIN+), or leave the organization (your own user id)."""
    if user_id == request.user.user_id:
        membership = request.reads.authorize(org_id, Action.VIEW)
        services.member_remove(
            actor=Actor.from_request(request),
            actor_membership=None,
            org=membership.organization,
            target=membership,
            target_name=request.user.name,
            leaving=True,
        )
    else:
        membership = request.reads.authorize(org_id, Action.MANAGE_MEMBERS)
        target = selectors.member_get(org_id=org_id, user_id=user_id)
        user = users_by_id(user_ids=[user_id]).get(user_id)
        services.member_remove(
            actor=Actor.from_request(request),
            actor_membership=membership,
            org=membership.organization,
            target=target,
            target_name=user.name if user else "",
        )
    return Status(204, None)


@router.post("/orgs/{org_id}/invite", response={201: InvitationOut}, by_alias=True)
def invite(request: HttpRequest, org_id: str, payload: InviteIn):
    membership = request.reads.authorize(org_id, Action.MANAGE_MEMBERS)
    invitation = services.invitation_create(
        actor=Actor.from_request(request),
        actor_role=membership.role,
        org=membership.organization,
        email=payload.email,
        role=payload.role,
        inviter_name=request.user.name,
    )
    return Status(201, InvitationOut.values_of(invitation))


@router.get("/orgs/{org_id}/invitations", response=list[InvitationOut], by_alias=True)
def invitation_list(request: HttpRequest, org_id: str):
    request.reads.authorize(org_id, Action.MANAGE_MEMBERS)
    return [InvitationOut.values_of(i) for i in selectors.invitations_pending(org_id=org_id)]


@router.delete("/orgs/{org_id}/invitations/{invitation_id}", response={204: None})
def invitation_delete(request: HttpRequest, org_id: str, invitation_id: str):
    membership = request.reads.authorize(org_id, Action.MANAGE_MEMBERS)
    invitation = selectors.invitation_get(org_id=org_id, invitation_id=invitation_id)
    services.invitation_revoke(actor=Actor.from_request(request), org=membership.organization, invitation=invitation)
    return Status(204, None)


@router.post("/invitations/{token}/accept", response=MemberOut, by_alias=True)
def invitation_accept(request: HttpRequest, token: str):
    membership = services.invitation_accept(actor=Actor.from_request(request), user=request.user, token=token)
    return _member(membership, request.user)


@router.get("/orgs/{org_id}/audit", response=AuditPage, by_alias=True)
def audit(
    request: HttpRequest,
    org_id: str,
    entity_id: str = Query("", alias="entityId", max_length=64),
    user_id: str = Query("", alias="userId", max_length=64),
    entity_type: str = Query("", alias="entityType", max_length=30),
    cursor: str | None = None,
):
    membership = request.reads.authorize(org_id, Action.VIEW)
    show_ip = role_allows(membership.role, Action.VIEW_AUDIT_DETAILS)
    items, next_cursor = org_activity(
        org_id=org_id, entity_type=entity_type.upper(), user_id=user_id, entity_id=entity_id, cursor=cursor
    )
    return {
        "items": [AuditOut.values_of(e, ip_address=e.ip_address if show_ip else None) for e in items],
        "next_cursor": next_cursor,
    }
