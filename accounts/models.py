"""Users, their unique emails, and sessions (web sessions and API tokens)."""

from enum import StrEnum

from pynamodb.attributes import (
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection

from welltrack.dynamodb import WellTrackModel


class EmailIndex(GlobalSecondaryIndex["User"]):
    class Meta:
        index_name = "EmailIndex"
        projection = AllProjection()

    email = UnicodeAttribute(hash_key=True)


class User(WellTrackModel):
    """Users (schema table 1). Key: ``userId``; GSI EmailIndex on ``email``.

    Invariant: ``email`` is normalised (trimmed, lower-case) and unique; uniqueness is held
    by the UserEmails guard item written in the same transaction.
    """

    class Meta:
        base_name = "Users"

    user_id = UnicodeAttribute(hash_key=True, attr_name="userId")
    email = UnicodeAttribute()
    password_hash = UnicodeAttribute(attr_name="passwordHash")
    name = UnicodeAttribute()
    time_zone = UnicodeAttribute(attr_name="timeZone", default="UTC")
    created_at = UTCDateTimeAttribute(attr_name="createdAt")
    updated_at = UTCDateTimeAttribute(attr_name="updatedAt")
    last_login_at = UTCDateTimeAttribute(attr_name="lastLoginAt", null=True)
    version = VersionAttribute()

    email_index = EmailIndex()

    is_authenticated = True
    is_anonymous = False

    @property
    def pk(self) -> str:
        return self.user_id

    def __str__(self) -> str:
        return self.name


class AnonymousUser:
    user_id = None
    email = ""
    name = ""
    time_zone = "UTC"
    is_authenticated = False
    is_anonymous = True

    def __str__(self) -> str:
        return "anonymous"


class UserEmail(WellTrackModel):
    """UserEmails: the guard that makes an email unique. Key: ``email`` (normalised) -> ``userId``.

    Also the strongly consistent way from an email to a user (login, reset).
    """

    class Meta:
        base_name = "UserEmails"

    email = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(attr_name="userId")


class SessionKind(StrEnum):
    WEB = "WEB"  # a browser session (cookie)
    API = "API"  # a bearer token


class UserSessionsIndex(GlobalSecondaryIndex["Session"]):
    class Meta:
        index_name = "UserSessionsIndex"
        projection = KeysOnlyProjection()

    user_id = UnicodeAttribute(hash_key=True, attr_name="userId")


class Session(WellTrackModel):
    """Sessions: browser sessions and API tokens. Key: ``sessionId`` = SHA-256 of the secret.

    The secret itself (cookie value or bearer token) is never stored. ``kind`` is WEB or API.
    Expired by TTL on ``expiresAt`` (and checked on every read: TTL deletion is lazy).
    GSI UserSessionsIndex on ``userId`` ends a user's other sessions.
    """

    class Meta:
        base_name = "Sessions"

    session_id = UnicodeAttribute(hash_key=True, attr_name="sessionId")
    kind = UnicodeAttribute(default=SessionKind.WEB)
    user_id = UnicodeAttribute(attr_name="userId", null=True)
    data = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute(attr_name="createdAt")
    expires_at = TTLAttribute(attr_name="expiresAt")

    user_sessions_index = UserSessionsIndex()
