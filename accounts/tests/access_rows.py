"""Access rows for the accounts area and the project's own URLs (see tests/access.py)."""

import uuid

from tests.access import Access, expect

PUBLIC = expect(None)
SIGNED_IN = {"anonymous": 302, "outsider": 200, "VIEWER": 200, "EDITOR": 200, "ADMIN": 200, "OWNER": 200}
API_SIGNED_IN = {**SIGNED_IN, "anonymous": 401}
# Signed-in visitors are sent on from the login and register pages.
AWAY_WHEN_SIGNED_IN = {"anonymous": 200, "outsider": 302, "VIEWER": 302, "EDITOR": 302, "ADMIN": 302, "OWNER": 302}

ROWS = [
    Access("", "GET", lambda w: "/", {"anonymous": 200, **{k: 302 for k in ("outsider", "VIEWER", "EDITOR", "ADMIN", "OWNER")}}),
    Access("health", "GET", lambda w: "/health", PUBLIC),
    Access("api/openapi.json", "GET", lambda w: "/api/openapi.json", PUBLIC),
    Access("api/docs", "GET", lambda w: "/api/docs", PUBLIC),
    Access("accounts/register/", "GET", lambda w: "/accounts/register/", AWAY_WHEN_SIGNED_IN),
    Access("accounts/login/", "GET", lambda w: "/accounts/login/", AWAY_WHEN_SIGNED_IN),
    Access("accounts/logout/", "POST", lambda w: "/accounts/logout/", expect(None, 302), note="signs the visitor out"),
    Access("accounts/password/", "GET", lambda w: "/accounts/password/", SIGNED_IN),
    Access("accounts/password/reset/", "GET", lambda w: "/accounts/password/reset/", PUBLIC),
    Access("accounts/reset/<str:uidb64>/<str:token>/", "GET", lambda w: "/accounts/reset/bm9wZQ/bad-token/", expect(None, 410)),
    Access("accounts/profile/", "GET", lambda w: "/accounts/profile/", SIGNED_IN),
    Access("api/auth/register", "POST", lambda w: "/api/auth/register", expect(None, 422), data=lambda w: {"email": "x"}, json=True),
    Access("api/auth/login", "POST", lambda w: "/api/auth/login", expect(None, 401),
           data=lambda w: {"email": f"nobody-{uuid.uuid4().hex[:8]}@example.com", "password": "wrong-password"}, json=True),
    Access("api/auth/logout", "POST", lambda w: "/api/auth/logout", {**API_SIGNED_IN, **{k: 204 for k in SIGNED_IN if k != "anonymous"}}, json=True),
    Access("api/me", "GET", lambda w: "/api/me", API_SIGNED_IN),
]
