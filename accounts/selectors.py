"""Reads of the accounts area."""

from __future__ import annotations

from datetime import UTC, datetime

from accounts.models import Session, SessionKind, User, UserEmail
from accounts.session_store import hash_secret
from welltrack.dynamodb import batch_get_consistent


def user_get(*, user_id: str) -> User | None:
    return User.get_or_none(user_id)


def user_by_email(*, email: str) -> User | None:
    """Through the UserEmails guard item: strongly consistent, unlike the EmailIndex GSI."""
    guard = UserEmail.get_or_none(email.strip().lower())
    return user_get(user_id=guard.user_id) if guard is not None else None


def users_by_id(*, user_ids: set[str] | list[str]) -> dict[str, User]:
    """Several users in one BatchGetItem (for lists that name people)."""
    ids = sorted({u for u in user_ids if u and u != "system"})
    users: dict[str, User] = {}
    for start in range(0, len(ids), 100):
        chunk = ids[start : start + 100]
        for user in batch_get_consistent([(User, user_id) for user_id in chunk]):
            if user is not None:
                users[user.user_id] = user
    return users


def user_for_api_token(*, token: str) -> User | None:
    item = Session.get_or_none(hash_secret(token))
    if item is None or item.kind != SessionKind.API or item.expires_at <= datetime.now(UTC) or not item.user_id:
        return None
    return user_get(user_id=item.user_id)
