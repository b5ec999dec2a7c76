"""Django sessions stored in the DynamoDB Sessions table (SESSION_ENGINE).

The cookie holds the session key; the table holds only its SHA-256, so a leaked table
does not leak sessions. An update of a session that was deleted (logout elsewhere, a
password change) fails instead of bringing it back.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from django.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError
from pynamodb.exceptions import PutError

from accounts.models import Session
from welltrack.errors import DependencyUnavailable, condition_failed, dynamo_errors, is_dependency_failure

USER_SESSION_KEY = "_user_id"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class SessionStore(SessionBase):
    def _read(self, session_key: str) -> Session | None:
        with dynamo_errors():
            try:
                item = Session.get(hash_secret(session_key), consistent_read=True)
            except Session.DoesNotExist:
                return None
        if item.kind != "WEB" or item.expires_at <= datetime.now(timezone.utc):
            return None
        return item

    def load(self) -> dict:
        item = self._read(self.session_key) if self.session_key else None
        if item is None:
            self._session_key = None
            return {}
        return self.decode(item.data)

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
            kind="WEB",
            user_id=data.get(USER_SESSION_KEY),
            data=self.encode(data),
            created_at=datetime.now(timezone.utc),
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

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is None:
            return
        with dynamo_errors():
            Session(hash_secret(key)).delete()

    @classmethod
    def clear_expired(cls) -> None:
        """DynamoDB's TTL removes expired sessions; reads ignore them until then."""
