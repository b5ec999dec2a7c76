"""A bearer token that is sent and not valid answers 401 in the API's JSON, on every method:
never the session's CSRF refusal, which means nothing to a client of tokens."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from accounts.models import Session
from accounts.services import api_token_create, api_token_revoke
from accounts.session_store import hash_secret
from orgs.services import org_create
from welltrack.actor import Actor
from welltrack.testing import sign_in


def _expired(user) -> str:
    token, _ = api_token_create(user=user)
    Session.get(hash_secret(token)).update(actions=[Session.expires_at.set(datetime.now(UTC) - timedelta(minutes=1))])
    return token


def _revoked(user) -> str:
    token, _ = api_token_create(user=user)
    api_token_revoke(token=token)
    return token


BAD_TOKENS = {"expired": _expired, "revoked": _revoked, "garbage": lambda user: "not-a-token-at-all"}


def _call(client: Client, method: str, path: str, token: str, body=None):
    return getattr(client, method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _requests(org_id: str):
    return {
        "post": ("/api/orgs", {"name": "Token Org"}),
        "patch": (f"/api/orgs/{org_id}", {"version": 1, "name": "Renamed"}),
        "delete": (f"/api/orgs/{org_id}", None),
    }


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
def test_a_bad_bearer_token_is_401_json_not_a_csrf_refusal(user, csrf_client, method, kind):
    org = org_create(actor=Actor(user.user_id, "127.0.0.1"), name="Mine")
    path, body = _requests(org.org_id)[method]
    response = _call(csrf_client, method, path, BAD_TOKENS[kind](user), body)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "CSRF" not in response.json()["detail"] and "token" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_bearer_token_is_401_even_beside_a_signed_in_session(user, csrf_client):
    sign_in(csrf_client, user)
    response = _call(csrf_client, "post", "/api/orgs", _revoked(user), {"name": "Token Org"})
    assert response.status_code == 401 and "CSRF" not in response.json()["detail"]


def test_a_bad_bearer_token_is_401_on_a_read_too(user, csrf_client):
    assert _call(csrf_client, "get", "/api/me", _expired(user)).status_code == 401


def test_a_valid_bearer_token_posts_without_csrf(user, csrf_client):
    token, _ = api_token_create(user=user)
    response = _call(csrf_client, "post", "/api/orgs", token, {"name": "Token Org"})
    assert response.status_code == 201, response.content


def test_a_session_without_csrf_is_still_refused(user, csrf_client):
    sign_in(csrf_client, user)
    response = csrf_client.post("/api/orgs", data=json.dumps({"name": "X"}), content_type="application/json")
    assert response.status_code == 403
