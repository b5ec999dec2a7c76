import random
import uuid

from django.conf import settings
from django.contrib.auth.hashers import BCryptSHA256PasswordHasher
from django.test import Client

from conftest import PASSWORD


def _json(client: Client, method: str, path: str, body=None, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(client, method)(path, data=body, content_type="application/json", **headers)


def test_register_returns_201_with_camel_case_fields(client):
    email = f"api-{uuid.uuid4().hex[:8]}@example.com"
    response = _json(client, "post", "/api/auth/register", {"email": email, "password": PASSWORD, "name": "Api User"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {"userId", "email", "name", "createdAt"}
    assert body["email"] == email and "passwordHash" not in body


def test_register_bad_input_names_the_field(client):
    response = _json(client, "post", "/api/auth/register", {"email": "bad", "password": PASSWORD, "name": "X"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]
    response = _json(
        client, "post", "/api/auth/register", {"email": "a@example.com", "password": "x", "name": "X", "role": "OWNER"}
    )
    assert response.status_code == 422
    assert "role" in str(response.json()["detail"])


def test_token_lifecycle_login_me_logout(client, user):
    response = _json(client, "post", "/api/auth/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["user"]["userId"] == user.user_id
    assert "expiresAt" in response.json()

    me = _json(Client(), "get", "/api/me", token=token)
    assert me.status_code == 200 and me.json()["email"] == user.email

    assert _json(Client(), "post", "/api/auth/logout", token=token).status_code == 204
    assert _json(Client(), "get", "/api/me", token=token).status_code == 401


def test_login_with_bad_credentials_is_401(client, user):
    response = _json(client, "post", "/api/auth/login", {"email": user.email, "password": "wrong-wrong-wrong"})
    assert response.status_code == 401


def test_me_without_credentials_is_401(client):
    assert _json(client, "get", "/api/me").status_code == 401


def test_me_accepts_the_browser_session(signed_in_client, user):
    assert _json(signed_in_client, "get", "/api/me").json()["userId"] == user.user_id


def test_session_cookie_api_post_needs_csrf(csrf_client, user):
    from welltrack.testing import sign_in

    sign_in(csrf_client, user)
    response = _json(csrf_client, "post", "/api/auth/logout")
    assert response.status_code == 403
    assert _json(csrf_client, "get", "/api/me").status_code == 200


def test_password_change_revokes_api_tokens(client_for, user):
    token = _json(Client(), "post", "/api/auth/login", {"email": user.email, "password": PASSWORD}).json()["token"]
    c = client_for(user)
    c.post("/accounts/password/", {"old_password": PASSWORD, "new_password": "entirely-new-secret-1"})
    assert _json(Client(), "get", "/api/me", token=token).status_code == 401


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/auth/login" in schema.json()["paths"]
    assert client.get("/api/docs").status_code == 200


def test_the_21st_api_registration_from_one_address_in_an_hour_is_429_with_retry_after():
    from accounts import services
    from accounts.selectors import user_by_email

    c = Client(REMOTE_ADDR=f"10.40.{random.randint(1, 254)}.{random.randint(1, 254)}")
    for n in range(services.REGISTER_LIMIT_PER_HOUR):
        body = {"email": f"api-burst-{n}-{uuid.uuid4().hex[:6]}@example.com", "password": PASSWORD, "name": "Burst"}
        assert _json(c, "post", "/api/auth/register", body).status_code == 201
    email = f"api-too-many-{uuid.uuid4().hex[:6]}@example.com"
    response = _json(c, "post", "/api/auth/register", {"email": email, "password": PASSWORD, "name": "Late"})
    assert response.status_code == 429
    assert "Too many sign-ups from your network" in response.json()["detail"]
    assert 3000 < int(response["Retry-After"]) <= 3840
    assert user_by_email(email=email) is None


def test_api_sign_in_is_429_with_retry_after_once_locked(client, user):
    for _ in range(5):
        assert (
            _json(client, "post", "/api/auth/login", {"email": user.email, "password": "wrong-wrong-wrong"}).status_code
            == 401
        )
    response = _json(client, "post", "/api/auth/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 16 * 60
    assert "token" not in response.json()


def test_api_sign_ins_to_forty_emails_from_one_address_are_429_past_the_limit_before_bcrypt(monkeypatch):
    c = Client(REMOTE_ADDR=f"10.51.{random.randint(1, 254)}.{random.randint(1, 254)}")
    limit = settings.WELLTRACK_LOGIN_FAILURES_PER_ADDRESS
    runs: list = []
    real = BCryptSHA256PasswordHasher.encode  # make_password and check_password both run it
    monkeypatch.setattr(
        BCryptSHA256PasswordHasher, "encode", lambda self, *a, **kw: runs.append(1) or real(self, *a, **kw)
    )
    responses = [
        _json(c, "post", "/api/auth/login", {"email": f"spray-{n}-{uuid.uuid4().hex[:6]}@example.com", "password": "x"})
        for n in range(40)
    ]
    assert [r.status_code for r in responses] == [401] * limit + [429] * (40 - limit)
    assert len(runs) == limit
    refused = responses[-1]
    assert "Too many failed sign-in attempts from your network" in refused.json()["detail"]
    assert 14 * 60 <= int(refused["Retry-After"]) <= 16 * 60
    assert "token" not in refused.json()
