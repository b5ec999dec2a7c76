"""Access rows for the accounts area and the project's own URLs (see tests/access.py)."""

import uuid

from tests.access import Access, expect

PUBLIC = expect(None)
SIGNED_IN = {"anonymous": 302, "outsider": 200, "VIEWER": 200, "EDITOR": 200, "ADMIN": 200, "OWNER": 200}
API_SIGNED_IN = {**SIGNED_IN, "anonymous": 401}
# Signed-in visitors are sent on from the login and register pages.
AWAY_WHEN_SIGNED_IN = {"anonymous": 200, "outsider": 302, "VIEWER": 302, "EDITOR": 302, "ADMIN": 302, "OWNER": 302}

EVERYONE = ("anonymous", "outsider", "VIEWER", "EDITOR", "ADMIN", "OWNER")
PASSWORD = "correct-horse-battery-staple"


def _new_address() -> str:
    return f"acc-{uuid.uuid4().hex[:10]}@example.com"


def live_reset_link(w) -> str:
    """A valid password-reset link of a fresh account (links work once)."""
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts.services import reset_tokens, user_register

    user = user_register(email=_new_address(), password=PASSWORD, name="Rhea Reset")
    return f"/accounts/reset/{urlsafe_base64_encode(force_bytes(user.user_id))}/{reset_tokens.make_token(user)}/"


ROWS = [
    Access(
        "",
        "GET",
        lambda w: "/",
        {"anonymous": 200, **{k: 302 for k in ("outsider", "VIEWER", "EDITOR", "ADMIN", "OWNER")}},
    ),
    Access("health", "GET", lambda w: "/health", PUBLIC),
    Access("api/openapi.json", "GET", lambda w: "/api/openapi.json", PUBLIC),
    Access("api/docs", "GET", lambda w: "/api/docs", PUBLIC),
    Access("accounts/register/", "GET", lambda w: "/accounts/register/", AWAY_WHEN_SIGNED_IN),
    Access("accounts/login/", "GET", lambda w: "/accounts/login/", AWAY_WHEN_SIGNED_IN),
    Access("accounts/logout/", "POST", lambda w: "/accounts/logout/", expect(None, 302), note="signs the visitor out"),
    Access("accounts/password/", "GET", lambda w: "/accounts/password/", SIGNED_IN),
    Access("accounts/password/reset/", "GET", lambda w: "/accounts/password/reset/", PUBLIC),
    Access(
        "accounts/reset/<str:uidb64>/<str:token>/",
        "GET",
        lambda w: "/accounts/reset/bm9wZQ/bad-token/",
        expect(None, 410),
    ),
    Access("accounts/profile/", "GET", lambda w: "/accounts/profile/", SIGNED_IN),
    # Every POST of the account pages (tests/test_access_matrix.py asks for a row per method).
    Access(
        "accounts/register/",
        "POST",
        lambda w: "/accounts/register/",
        {**AWAY_WHEN_SIGNED_IN, "anonymous": 302},
        data=lambda w: {"name": "Nina New", "email": _new_address(), "password": PASSWORD, "time_zone": "UTC"},
        writes=("anonymous",),
        note="a new account; signed-in visitors are sent on and nothing is written",
    ),
    Access(
        "accounts/login/",
        "POST",
        lambda w: "/accounts/login/",
        expect(None, 401),
        data=lambda w: {"email": _new_address(), "password": "wrong-password"},
        writes=(),
        note="wrong password",
    ),
    Access(
        "accounts/password/",
        "POST",
        lambda w: "/accounts/password/",
        {**SIGNED_IN, **{k: 422 for k in EVERYONE[1:]}},
        data=lambda w: {"old_password": "not-my-password", "new_password": "another-long-passphrase-42"},
        writes=(),
        note="wrong current password",
    ),
    Access(
        "accounts/password/reset/",
        "POST",
        lambda w: "/accounts/password/reset/",
        expect(None, 200),
        data=lambda w: {"email": _new_address()},
        writes=(),
        note="an address without an account: the same answer",
    ),
    Access(
        "accounts/reset/<str:uidb64>/<str:token>/",
        "POST",
        live_reset_link,
        expect(None, 302),
        data=lambda w: {"new_password": "a-brand-new-passphrase-42"},
        writes=EVERYONE,
        note="a live link",
    ),
    Access(
        "accounts/profile/",
        "POST",
        lambda w: "/accounts/profile/",
        {**SIGNED_IN, **{k: 422 for k in EVERYONE[1:]}},
        data=lambda w: {"name": "", "time_zone": "UTC"},
        writes=(),
        note="empty name",
    ),
    Access(
        "api/auth/register",
        "POST",
        lambda w: "/api/auth/register",
        expect(None, 422),
        data=lambda w: {"email": "x"},
        json=True,
    ),
    Access(
        "api/auth/login",
        "POST",
        lambda w: "/api/auth/login",
        expect(None, 401),
        data=lambda w: {"email": f"nobody-{uuid.uuid4().hex[:8]}@example.com", "password": "wrong-password"},
        json=True,
    ),
    Access(
        "api/auth/logout",
        "POST",
        lambda w: "/api/auth/logout",
        {**API_SIGNED_IN, **{k: 204 for k in SIGNED_IN if k != "anonymous"}},
        json=True,
    ),
    Access("api/me", "GET", lambda w: "/api/me", API_SIGNED_IN),
]
