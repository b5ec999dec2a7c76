"""request.user from the session, loaded on first use: a SessionUser, or an AnonymousUser.

Pages need only the user's id, name, email and time zone; these are kept in the session
(refreshed from the Users table every five minutes) so an ordinary page costs one DynamoDB
read less. Code that needs the stored User (passwords, profile) loads it explicitly.

When to read the session is decided by orgs.reads (the one module that decides how a request
reads its session, membership and records): for GET and HEAD it may read the session in the
same BatchGetItem as the membership (defer_session_check / accept_session below). It is still
read and checked on every request.
"""

from __future__ import annotations

import time

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty

from accounts.models import AnonymousUser, User
from accounts.selectors import user_get
from accounts.session_store import USER_SESSION_KEY, SessionReadAhead
from welltrack.errors import NotAuthenticated

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
    session[SNAPSHOT_KEY] = {
        "id": user.user_id,
        "name": user.name,
        "email": user.email,
        "tz": user.time_zone,
        "at": int(time.time()),
    }


def _user_from_session(request: HttpRequest):
    user_id = request.session.get(USER_SESSION_KEY)
    user = None
    if user_id:
        snapshot = request.session.get(SNAPSHOT_KEY) or {}
        if snapshot.get("id") != user_id or time.time() - snapshot.get("at", 0) > SNAPSHOT_SECONDS:
            stored = user_get(user_id=user_id)
            if stored is not None:
                remember_user(request.session, stored)
                snapshot = request.session[SNAPSHOT_KEY]
            else:
                snapshot = None
        if snapshot is not None:
            user = SessionUser(snapshot["id"], snapshot["name"], snapshot["email"], snapshot["tz"])
    if user is None and getattr(request, _DEFERRED, False):
        # The request went ahead on the promise that its session would be checked with its first
        # read; the session has ended, so nothing it read may be used.
        raise NotAuthenticated()
    return user or AnonymousUser()


_DEFERRED = "_welltrack_session_deferred"


def user_resolved(request: HttpRequest) -> bool:
    """request.user is known: read from the session already, or set by a bearer token."""
    return getattr(request.user, "_wrapped", None) is not empty


def defer_session_check(request: HttpRequest) -> SessionReadAhead | None:
    """Let the request go on before its session is read, to read it with the first read for its
    user (orgs.reads does, for GET and HEAD only). Returns what to read, or None when the
    session must be checked now (no session, already read, or an owner this process does not
    know). From here on, a request.user resolved from an ended session raises NotAuthenticated
    instead of answering anonymous: the request already went ahead as if signed in."""
    if user_resolved(request) or not hasattr(request, "session"):
        return None
    ahead = request.session.read_ahead()
    if ahead is not None:
        setattr(request, _DEFERRED, True)
    return ahead


def accept_session(request: HttpRequest, item) -> None:
    """Take the Sessions item read as defer_session_check() said; request.user resolves from it."""
    request.session.accept(item)


class AuthenticationMiddleware:
    """request.user, resolved from the session on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.user = SimpleLazyObject(lambda: _user_from_session(request))
        return self.get_response(request)
