"""request.user from the session, loaded on first use: a SessionUser, or an AnonymousUser.

Pages need only the user's id, name, email and time zone; these are kept in the session
(refreshed from the Users table every five minutes) so an ordinary page costs one DynamoDB
read less. Code that needs the stored User (passwords, profile) loads it explicitly.

The API and pages behind login_required do not read the session on its own first: with
defer_session_check() a session this process has seen is read together with the request's
first read for its user (the membership, in orgs.permissions), one round trip to DynamoDB
instead of two. It is still read and checked on every request: resolving request.user for a
deferred session that has ended raises NotAuthenticated (API: 401; pages: to sign in), and a
response never leaves with its session unchecked.
"""

from __future__ import annotations

import time

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty

from accounts.models import AnonymousUser, User
from accounts.selectors import user_get
from accounts.session_store import USER_SESSION_KEY
from welltrack.errors import DependencyUnavailable, NotAuthenticated

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


def _user_from_session(request):
    request._user_resolution_tried = True
    user_id = request.session.get(USER_SESSION_KEY)
    if not user_id:
        if getattr(request, "_session_check_deferred", False):
            raise NotAuthenticated()
        return AnonymousUser()
    snapshot = request.session.get(SNAPSHOT_KEY) or {}
    if snapshot.get("id") != user_id or time.time() - snapshot.get("at", 0) > SNAPSHOT_SECONDS:
        user = user_get(user_id=user_id)
        if user is None:
            if getattr(request, "_session_check_deferred", False):
                raise NotAuthenticated()
            return AnonymousUser()
        remember_user(request.session, user)
        snapshot = request.session[SNAPSHOT_KEY]
    return SessionUser(snapshot["id"], snapshot["name"], snapshot["email"], snapshot["tz"])


def _unresolved(request: HttpRequest) -> bool:
    """request.user is still the lazy object of this middleware, not yet resolved (a bearer
    token puts a User there)."""
    return getattr(request.user, "_wrapped", None) is empty


def session_read_ahead(request: HttpRequest) -> tuple | None:
    """``(Session, key, user_id)``: the session to read along with the first read for
    ``user_id`` (a guess until session_accept()), or None when request.user is to be used."""
    if not _unresolved(request) or not hasattr(request, "session"):
        return None
    return request.session.read_ahead()


def session_accept(request: HttpRequest, item) -> None:
    """Take the session read by session_read_ahead(); request.user then resolves from it."""
    request.session.accept(item)


def defer_session_check(request: HttpRequest) -> bool:
    """True when the request's session will be read with its first read for the user instead
    of now (see the module's docstring). False: check request.user now."""
    if session_read_ahead(request) is None:
        return False
    request._session_check_deferred = True
    return True


class AuthenticationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: _user_from_session(request))
        response = self.get_response(request)
        if getattr(request, "_session_check_deferred", False) and not getattr(request, "_user_resolution_tried", False):
            # The endpoint needed no read for the user: check the session now, before answering.
            # (One that tried and failed has answered 401 or 503 already.)
            try:
                request.user.is_authenticated  # noqa: B018 (resolving request.user reads and checks the session)
            except (NotAuthenticated, DependencyUnavailable) as exc:
                from welltrack.middleware import error_response

                return error_response(request, exc)
        return response
