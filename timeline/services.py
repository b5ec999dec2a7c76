"""Writes of the timeline area: calendar subscription links (and their revocation when the
user's password changes), and the count of their fetches."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime

from timeline.models import CalendarToken, CalendarTokenStatus, RevokedFor
from welltrack import ratelimit
from welltrack.actor import Actor
from welltrack.audit import CREATE, DELETE, audit_record
from welltrack.dynamodb import transact_write
from welltrack.errors import Conflict, NotFound, ValidationFailed, dynamo_errors


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A calendar app polls a link every few minutes at most; each fetch reads up to a year of events
# of up to 200 wells, so one link (leaked, or polled by a runaway client) gets this many an hour.
ICS_FETCHES_PER_HOUR = 60


def calendar_fetch_rate_check(*, token_id: str) -> None:
    """Count one fetch of a private calendar link (an existing one: unknown secrets are not
    counted, so guessing creates no counters); RateLimited (429 with Retry-After) past
    ICS_FETCHES_PER_HOUR in a rolling hour. A 304 counts too: it reads as much."""
    ratelimit.hit(
        "ics-fetch",
        token_id,
        limit=ICS_FETCHES_PER_HOUR,
        window_seconds=3600,
        message="This calendar link was fetched too often. Try again in {minutes}.",
    )


def calendar_token_create(
    *, actor: Actor, org_id: str, scope_type: str, scope_id: str, scope_name: str
) -> tuple[str, CalendarToken]:
    """A new private link; returns the secret once (only its hash is stored)."""
    if scope_type not in ("WELL", "PROJECT"):
        raise ValidationFailed({"scope": "Subscribe to a well or a project."})
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    item = CalendarToken(
        str(uuid.uuid4()),
        token_hash=token_hash(token),
        user_id=actor.user_id,
        org_id=org_id,
        scope_type=scope_type,
        scope_id=scope_id,
        scope_name=scope_name,
        status=CalendarTokenStatus.ACTIVE,
        created_at=now,
    )
    with dynamo_errors(), transact_write() as tx:
        tx.save(item, condition=CalendarToken.token_id.does_not_exist())
        audit_record(
            tx,
            actor=actor,
            org_id=org_id,
            entity_type="SUBSCRIPTION",
            entity_id=item.token_id,
            entity_name=f"{scope_type.lower()} {scope_name}",
            action=CREATE,
            changes={"scope": {"old": None, "new": f"{scope_type} {scope_name}"}},
            timestamp=now,
        )
    return token, item


def calendar_token_revoke(*, actor: Actor, item: CalendarToken) -> None:
    if item.user_id != actor.user_id or item.status != CalendarTokenStatus.ACTIVE:
        raise NotFound()
    _revoke(actor=actor, item=item)


def calendar_tokens_revoke_all(*, actor: Actor, user_id: str) -> int:
    """Revoke every ACTIVE private link of the user, in every organization; how many were.

    After a password change or reset (``on_password_changed``): a link is a lasting read
    credential, and whoever took the account may have made one. Each link is revoked with its
    audit entry in one transaction; one revoked meanwhile (by its owner, or a concurrent
    change) is left as it is.
    """
    with dynamo_errors():
        tokens = [t for t in CalendarToken.user_tokens_index.query(user_id) if t.status == CalendarTokenStatus.ACTIVE]
    revoked = 0
    for item in tokens:
        try:
            _revoke(actor=actor, item=item, revoked_for=RevokedFor.PASSWORD_CHANGE)
        except Conflict:
            continue
        revoked += 1
    return revoked


def on_password_changed(sender, *, user_id: str, actor: Actor, **kwargs) -> None:
    """Receiver of accounts.signals.password_changed (connected in TimelineConfig.ready)."""
    calendar_tokens_revoke_all(actor=actor, user_id=user_id)


def _revoke(*, actor: Actor, item: CalendarToken, revoked_for: RevokedFor | None = None) -> None:
    now = datetime.now(UTC)
    item.status = CalendarTokenStatus.REVOKED
    item.revoked_for = revoked_for
    changes = {"status": {"old": CalendarTokenStatus.ACTIVE, "new": CalendarTokenStatus.REVOKED}}
    if revoked_for:
        changes["revokedFor"] = {"old": None, "new": revoked_for.value}
    with dynamo_errors(), transact_write() as tx:
        tx.save(item)
        audit_record(
            tx,
            actor=actor,
            org_id=item.org_id,
            entity_type="SUBSCRIPTION",
            entity_id=item.token_id,
            entity_name=f"{item.scope_type.lower()} {item.scope_name}",
            action=DELETE,
            changes=changes,
            timestamp=now,
        )
