"""Django sessions stored in the DynamoDB Sessions table (SESSION_ENGINE).

The cookie holds the session key; the table holds only its SHA-256, so a leaked table
does not leak sessions. An update of a session that was deleted (logout elsewhere, a
password change) fails instead of bringing it back.

A request that knows whose session it carries can read the session in the same
BatchGetItem as the first thing it needs for that user (orgs.reads reads it with the
membership): :meth:`SessionStore.read_ahead` says what to read, :meth:`SessionStore.accept`
takes the item read, and the session is checked exactly as :meth:`SessionStore.load` would.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import NamedTuple

from django.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError
from pynamodb.exceptions import PutError

from accounts.models import Session, SessionKind
from welltrack.caches import bounded_cache
from welltrack.errors import DependencyUnavailable, condition_failed, dynamo_errors, is_dependency_failure

USER_SESSION_KEY = "_user_id"

# Whose each session is, as this process last read or wrote it (session hash -> user id). A
# session key never passes to another user (signing in always makes a new one), so this is a
# guess that is right unless the session has ended; accept() then finds the session gone and
# nothing is trusted. A missing entry costs one round trip (the session is read on its own).
_session_owners = bounded_cache("accounts.session_owners", maxsize=50_000)


class SessionReadAhead(NamedTuple):
    """What to read along with the first read for ``guessed_user_id``: the Sessions item ``key``."""

    model: type[Session]
    key: str
    guessed_user_id: str


def _remember_user_of(session_id: str, user_id: str | None) -> None:
    if user_id:
        _session_owners.set(session_id, user_id)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _usable(item: Session | None) -> bool:
    return item is not None and item.kind == SessionKind.WEB and item.expires_at > datetime.now(UTC)


class SessionStore(SessionBase):
    def _read(self, session_key: str) -> Session | None:
        item = Session.get_or_none(hash_secret(session_key))
        if not _usable(item):
            return None
        _remember_user_of(item.session_id, item.user_id)
        return item

    def load(self) -> dict:
        item = self._read(self.session_key) if self.session_key else None
        if item is None:
            self._session_key = None
            return {}
        return self.decode(item.data)

    def read_ahead(self) -> SessionReadAhead | None:
        """What to read when the session is not loaded yet and this process knows whose it is:
        the Sessions item, along with that user's first read, then accept() it. The user id is a
        guess until accept() has checked the session. None otherwise."""
        if hasattr(self, "_session_cache") or not self.session_key:
            return None
        session_id = hash_secret(self.session_key)
        user_id = _session_owners.get(session_id)
        return SessionReadAhead(Session, session_id, user_id) if user_id else None

    def accept(self, item: Session | None) -> None:
        """The session item read by read_ahead(), checked and taken as load() would have read it."""
        if hasattr(self, "_session_cache"):
            return
        if not _usable(item):
            self._session_key = None
            self._session_cache = {}
            return
        _remember_user_of(item.session_id, item.user_id)
        self._session_cache = self.decode(item.data)

    def exists(self, session_key: str) -> bool:
        return self._read(session_key) is not None

    def create(self) -> None:
        while True:
            self._session_key = self._get_new_session_key()
            try:
                self.save(must_create=True)
            except CreateError:
                continue
            self.modified = True
            return

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)
        item = Session(
            hash_secret(self._get_or_create_session_key()),
            kind=SessionKind.WEB,
            user_id=data.get(USER_SESSION_KEY),
            data=self.encode(data),
            created_at=datetime.now(UTC),
            expires_at=self.get_expiry_date(),
        )
        condition = Session.session_id.does_not_exist() if must_create else Session.session_id.exists()
        try:
            item.save(condition=condition)
        except PutError as exc:
            if condition_failed(exc):
                raise (CreateError if must_create else UpdateError) from exc
            if is_dependency_failure(exc):
                raise DependencyUnavailable() from exc
            raise
        _remember_user_of(item.session_id, item.user_id)

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is None:
            return
        with dynamo_errors():
            Session(hash_secret(key)).delete()
        _session_owners.discard(hash_secret(key))

    @classmethod
    def clear_expired(cls) -> None:
        """DynamoDB's TTL removes expired sessions; reads ignore them until then."""
