"""request.user from the session, loaded on first use: a SessionUser, or an AnonymousUser.

Pages need only the user's id, name, email and time zone; these are kept in the session
(refreshed from the Users table every five minutes) so an ordinary page costs one DynamoDB
read less. Code that needs the stored User (passwords, profile) loads it explicitly.
"""

from __future__ import annotations

import time

from django.utils.functional import SimpleLazyObject

from accounts.models import AnonymousUser, User
from accounts.selectors import user_get
from accounts.session_store import USER_SESSION_KEY

SNAPSHOT_KEY = "_user"
SNAPSHOT_SECONDS = 300


class SessionUser:
    is_authenticated = True
    is_anonymous = False

    def __init__(self, user_id: str, name: str, email: str, time_zone: str) -> None:
        self.user_id, self.name, self.email, self.time_zone = user_id, name, email, time_zone

    @property
    def pk(self) -> str:
        return self.user_id

    def __str__(self) -> str:
        return self.name


def remember_user(session, user: User) -> None:
    session[SNAPSHOT_KEY] = {"id": user.user_id, "name": user.name, "email": user.email, "tz": user.time_zone,
                             "at": int(time.time())}


def _user_from_session(request):
    user_id = request.session.get(USER_SESSION_KEY)
    if not user_id:
        return AnonymousUser()
    snapshot = request.session.get(SNAPSHOT_KEY) or {}
    if snapshot.get("id") != user_id or time.time() - snapshot.get("at", 0) > SNAPSHOT_SECONDS:
        user = user_get(user_id=user_id)
        if user is None:
            return AnonymousUser()
        remember_user(request.session, user)
        snapshot = request.session[SNAPSHOT_KEY]
    return SessionUser(snapshot["id"], snapshot["name"], snapshot["email"], snapshot["tz"])


class AuthenticationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: _user_from_session(request))
        return self.get_response(request)
