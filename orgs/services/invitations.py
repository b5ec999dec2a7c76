"""Invitations by email: a 256-bit token, stored only as its SHA-256, valid 7 days, used once."""

from __future__ import annotations

import hashlib
import secrets
import smtplib
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.template.loader import render_to_string

from accounts.selectors import user_by_email
from accounts.services import normalize_email
from orgs.models import Invitation, InvitationStatus, Membership, MembershipStatus, Organization, OrgStatus
from orgs.permissions import Role, membership_id
from orgs.selectors import invitation_by_token_hash
from welltrack import ratelimit
from welltrack.actor import Actor
from welltrack.audit import CREATE, DELETE, UPDATE, audit_record
from welltrack.dynamodb import transact_write
from welltrack.errors import (
    Conflict,
    DependencyUnavailable,
    Forbidden,
    Gone,
    NotFound,
    RateLimited,
    ValidationFailed,
    dynamo_errors,
)

INVITATION_DAYS = 7
INVITES_PER_HOUR = 30  # per inviter and organization
INVITES_WINDOW_SECONDS = 60 * 60
INVITED_SIGN_UPS_PER_HOUR = 10  # per invitation, whatever the client address
INVITES_REFUSED_MESSAGE = "You have sent many invitations in the last hour. Please try again in {minutes}."
_NAMESPACE = uuid.UUID("8a0c5a7e-51b4-5f0e-9d2f-696e76697465")


def invitation_id(org_id: str, email: str) -> str:
    """One invitation per address and organization: its key is derived from both."""
    return str(uuid.uuid5(_NAMESPACE, f"{org_id}#{email}"))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _invitation_or_none(key: str) -> Invitation | None:
    return Invitation.get_or_none(key)


def invitation_link(token: str) -> str:
    return f"{settings.WELLTRACK_BASE_URL.rstrip('/')}/invitations/{token}/"


def _count_invitation_email(*, actor: Actor, org: Organization) -> None:
    """Count one invitation email (new or resent) before it is sent: at most ``INVITES_PER_HOUR``
    an hour per inviter and organization, and ``WELLTRACK_INVITES_PER_USER_PER_HOUR`` an hour per
    inviter across all their organizations (anyone can create organizations, and the email
    carries text they chose). One refused by either counts against neither."""
    per_org = ratelimit.attempt(
        "invite",
        f"{org.org_id}:{actor.user_id}",
        limit=INVITES_PER_HOUR,
        window_seconds=INVITES_WINDOW_SECONDS,
        message=INVITES_REFUSED_MESSAGE,
    )
    try:
        ratelimit.hit(
            "invite-user",
            actor.user_id,
            limit=settings.WELLTRACK_INVITES_PER_USER_PER_HOUR,
            window_seconds=INVITES_WINDOW_SECONDS,
            message=INVITES_REFUSED_MESSAGE,
        )
    except RateLimited:
        per_org.refund()
        raise


def _send(*, invitation: Invitation, org: Organization, inviter_name: str, token: str) -> None:
    context = {
        "org": org,
        "inviter_name": inviter_name,
        "role": invitation.role,
        "link": invitation_link(token),
        "days": INVITATION_DAYS,
    }
    try:
        send_mail(
            f"{inviter_name} invited you to {org.name} on WellTrack",
            render_to_string("orgs/email/invitation.txt", context),
            None,
            [invitation.email],
        )
    except (smtplib.SMTPException, OSError) as exc:
        # The invitation is stored (and audited); only the email is missing. Resend makes a new link.
        raise DependencyUnavailable(
            f"The invitation of {invitation.email} was saved, but the email could not be sent. "
            "Use Resend on the members page in a minute.",
            dependency="email",
        ) from exc


def invitation_create(
    *,
    actor: Actor,
    actor_role: str,
    org: Organization,
    email: str,
    role: str,
    inviter_name: str,
    now: datetime | None = None,
) -> Invitation:
    """Invite ``email`` as ADMIN, EDITOR or VIEWER and email the link.

    Refused for an address that is already a member or has a pending invitation. A used,
    revoked or expired invitation of the same address is replaced.
    """
    email = normalize_email(email)
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed({"email": "Enter a valid email address."}) from None
    role = str(role or "").strip().upper()
    if role not in (Role.ADMIN.value, Role.EDITOR.value, Role.VIEWER.value):
        raise ValidationFailed({"role": "Choose ADMIN, EDITOR or VIEWER."})
    if role == Role.ADMIN.value and actor_role not in (Role.ADMIN.value, Role.OWNER.value):
        raise Forbidden()
    existing_user = user_by_email(email=email)
    if existing_user is not None:
        membership = Membership.get_or_none(membership_id(org.org_id, existing_user.user_id))
        if membership is not None and membership.status == MembershipStatus.ACTIVE:
            raise ValidationFailed({"email": f"{email} is already a member of {org.name}."})
    _count_invitation_email(actor=actor, org=org)
    now = now or _now()
    token = secrets.token_urlsafe(32)
    key = invitation_id(org.org_id, email)
    # A pending, unexpired invitation of this address blocks a new one; anything else (used,
    # revoked, expired) is replaced. The put carries the replaced item's version (PynamoDB adds
    # ``version = N``, or ``attribute_not_exists(version)`` for a first invitation), so of two
    # racing invitations of one address exactly one is written.
    replaceable = (
        Invitation.invitation_id.does_not_exist()
        | (Invitation.status != InvitationStatus.PENDING)
        | (Invitation.expires_at < now)
    )
    for _attempt in range(3):
        previous = _invitation_or_none(key)
        if previous is not None and previous.status == InvitationStatus.PENDING and previous.expires_at > now:
            break
        invitation = Invitation(
            key,
            org_id=org.org_id,
            email=email,
            role=role,
            token_hash=token_hash(token),
            status=InvitationStatus.PENDING,
            invited_by=actor.user_id,
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        if previous is not None:
            invitation.version = previous.version
        try:
            with dynamo_errors(), transact_write() as tx:
                tx.save(invitation, condition=replaceable)
                audit_record(
                    tx,
                    actor=actor,
                    org_id=org.org_id,
                    entity_type="INVITATION",
                    entity_id=key,
                    entity_name=email,
                    action=CREATE,
                    changes={"email": {"old": None, "new": email}, "role": {"old": None, "new": role}},
                    timestamp=now,
                )
        except Conflict:
            # Either another invitation of this address won the race, or the replaced one
            # changed under us: DynamoDB's TTL sweep deletes expired invitations at any moment,
            # which voids the version we carried. Read again and decide afresh.
            continue
        _send(invitation=invitation, org=org, inviter_name=inviter_name, token=token)
        return invitation
    raise ValidationFailed({"email": f"{email} already has a pending invitation: resend or revoke it."})


def invitation_resend(
    *, actor: Actor, org: Organization, invitation: Invitation, inviter_name: str, now: datetime | None = None
) -> Invitation:
    """A new token (the old link dies) and a new 7 days."""
    if invitation.org_id != org.org_id or invitation.status != InvitationStatus.PENDING:
        raise NotFound()
    _count_invitation_email(actor=actor, org=org)
    now = now or _now()
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
    invitation.created_at = now
    with dynamo_errors(), transact_write() as tx:
        tx.save(invitation)
        audit_record(
            tx,
            actor=actor,
            org_id=org.org_id,
            entity_type="INVITATION",
            entity_id=invitation.invitation_id,
            entity_name=invitation.email,
            action=UPDATE,
            changes={"token": {"old": "(old link)", "new": "(new link)"}},
            timestamp=now,
        )
    _send(invitation=invitation, org=org, inviter_name=inviter_name, token=token)
    return invitation


def invitation_revoke(*, actor: Actor, org: Organization, invitation: Invitation) -> None:
    if invitation.org_id != org.org_id or invitation.status != InvitationStatus.PENDING:
        raise NotFound()
    now = _now()
    invitation.status = InvitationStatus.REVOKED
    with dynamo_errors(), transact_write() as tx:
        tx.save(invitation)
        audit_record(
            tx,
            actor=actor,
            org_id=org.org_id,
            entity_type="INVITATION",
            entity_id=invitation.invitation_id,
            entity_name=invitation.email,
            action=DELETE,
            changes={"status": {"old": InvitationStatus.PENDING, "new": InvitationStatus.REVOKED}},
            timestamp=now,
        )


def invitation_for_token(*, token: str, now: datetime | None = None) -> Invitation:
    """The invitation of a link: NotFound (unknown), Conflict (used or revoked), Gone (expired)."""
    invitation = invitation_by_token_hash(token_hash=token_hash(token or ""))
    if invitation is None:
        raise NotFound("This invitation link is not valid. Ask for a new one.")
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict("This invitation has already been used or was withdrawn.")
    if invitation.expires_at <= (now or _now()):
        raise Gone("This invitation has expired (links work for 7 days). Ask for a new one.")
    return invitation


def invitation_register_rate_check(*, invitation: Invitation) -> None:
    """Sign-ups through an invitation link are counted per invitation, not per client address:
    the link is a secret emailed to the invited address, and the account it creates is for that
    address only, so the people one company invites from behind one office address are never
    refused for each other. ``INVITED_SIGN_UPS_PER_HOUR`` tries an hour per invitation leave room
    for a refused password and bound the bcrypt runs one link can cause (an address that already
    has an account is refused after hashing)."""
    ratelimit.hit(
        "register-invitation",
        invitation.invitation_id,
        limit=INVITED_SIGN_UPS_PER_HOUR,
        window_seconds=INVITES_WINDOW_SECONDS,
        message="Too many sign-up attempts with this invitation. Please try again in {minutes}.",
    )


def invitation_accept(*, actor: Actor, user, token: str, now: datetime | None = None) -> Membership:
    """Exactly one membership, also when the link is used twice at once: the invitation moves
    PENDING -> ACCEPTED under a condition in the same transaction as the membership put."""
    now = now or _now()
    invitation = invitation_for_token(token=token, now=now)
    if user.email != invitation.email:
        raise Forbidden(f"This invitation is for {invitation.email}; you are signed in as {user.email}.")
    org = Organization.get_or_404(invitation.org_id)
    if org.status != OrgStatus.ACTIVE:
        raise NotFound()
    membership = Membership(
        membership_id(org.org_id, user.user_id),
        org_id=org.org_id,
        user_id=user.user_id,
        role=invitation.role,
        invited_by=invitation.invited_by,
        invited_at=invitation.created_at,
        joined_at=now,
        status=MembershipStatus.ACTIVE,
    )
    # A former member (REMOVED) rejoins on the same key: the put carries that item's version,
    # besides the condition that it is absent or REMOVED (never overwriting an ACTIVE membership).
    former = Membership.get_or_none(membership.membership_id)
    if former is not None:
        membership.version = former.version
    hash_now = invitation.token_hash
    invitation.status = InvitationStatus.ACCEPTED
    try:
        with dynamo_errors(), transact_write() as tx:
            # Not into an organization deleted since it was read: its memberships are being released.
            tx.condition_check(Organization, org.org_id, condition=Organization.status == OrgStatus.ACTIVE)
            tx.update(
                invitation,
                actions=[Invitation.status.set(InvitationStatus.ACCEPTED)],
                condition=(Invitation.status == InvitationStatus.PENDING)
                & (Invitation.token_hash == hash_now)
                & (Invitation.expires_at > now),
                add_version_condition=False,
            )
            tx.save(
                membership,
                condition=Membership.membership_id.does_not_exist() | (Membership.status == MembershipStatus.REMOVED),
            )
            audit_record(
                tx,
                actor=actor,
                org_id=org.org_id,
                entity_type="MEMBERSHIP",
                entity_id=membership.membership_id,
                entity_name=user.name,
                action=CREATE,
                changes={
                    "role": {"old": None, "new": invitation.role},
                    "status": {"old": None, "new": MembershipStatus.ACTIVE},
                },
                timestamp=now,
            )
    except Conflict:
        raise Conflict("This invitation has already been used, or you are already a member.") from None
    return membership
