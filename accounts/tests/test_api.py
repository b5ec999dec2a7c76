import uuid

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
    response = _json(client, "post", "/api/auth/register", {"email": "a@example.com", "password": "x", "name": "X", "role": "OWNER"})
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
