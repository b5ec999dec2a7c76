"""DynamoDB misbehaving: throttling (retried, then 503), cancelled transactions (409), outage (503)."""

import uuid

import pytest
from django.test import Client

from accounts.models import UserEmail
from conftest import PASSWORD
from welltrack.faults import Canceller, Throttler, injected
from welltrack.testing import dynamodb_settings


def _email() -> str:
    return f"fault-{uuid.uuid4().hex[:10]}@example.com"


def _exists(email: str) -> bool:
    try:
        UserEmail.get(email, consistent_read=True)
        return True
    except UserEmail.DoesNotExist:
        return False


def _register_form(client: Client, email: str):
    return client.post("/accounts/register/", {"name": "Tess Throttle", "email": email, "password": PASSWORD, "time_zone": "UTC"})


def test_three_throttles_per_request_are_retried_and_the_registration_succeeds(client):
    email = _email()
    with injected(Throttler(per_call=3)) as throttler:
        response = _register_form(client, email)
    assert response.status_code == 302
    assert throttler.throttled >= 3
    assert _exists(email)


def test_persistent_throttling_gives_a_503_page_and_writes_nothing(client):
    email = _email()
    with injected(Throttler(per_call=4, operations={"TransactWriteItems"})):
        response = _register_form(client, email)
    assert response.status_code == 503
    assert "Nothing was saved" in response.content.decode()
    assert response["Retry-After"]
    assert not _exists(email)


def test_persistent_throttling_gives_503_json_with_retry_after_on_the_api(client):
    email = _email()
    with injected(Throttler(per_call=4, operations={"TransactWriteItems"})):
        response = client.post(
            "/api/auth/register",
            data={"email": email, "password": PASSWORD, "name": "Api Throttle"},
            content_type="application/json",
        )
    assert response.status_code == 503
    assert "detail" in response.json()
    assert int(response["Retry-After"]) > 0
    assert not _exists(email)


def test_a_transaction_cancelled_by_a_concurrent_change_is_a_409_not_a_500(client_for, user):
    c = client_for(user)
    with injected(Canceller("TransactionConflict")):
        response = c.post("/accounts/profile/", {"name": "Renamed Meanwhile", "time_zone": "UTC"})
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()


@pytest.fixture
def quick_failing_dynamodb():
    """1 s read timeout and 1 retry, so an outage is noticed quickly; the models get the
    configured values back afterwards (every later test would run on them otherwise)."""
    with dynamodb_settings(DYNAMODB_READ_TIMEOUT=1, DYNAMODB_MAX_RETRIES=1):
        yield


@pytest.mark.parametrize("path", ["/accounts/profile/", "/api/me"])
def test_an_unreachable_dynamodb_is_a_503_and_recovers_without_restart(client_for, user, dynamodb_local, quick_failing_dynamodb, path):
    c = client_for(user)
    dynamodb_local.pause()
    try:
        assert c.get(path).status_code == 503
        assert c.get("/health").status_code == 503
    finally:
        dynamodb_local.resume()
    assert c.get(path).status_code == 200
    assert c.get("/health").status_code == 200


def _model_timeouts() -> set[tuple]:
    from welltrack.dynamodb import dynamo_connection, registered_models

    clients = [model._get_connection().connection.client for model in registered_models()]
    clients.append(dynamo_connection().client)
    return {(c.meta.config.read_timeout, c.meta.config.retries["total_max_attempts"]) for c in clients}


def test_the_quick_failing_settings_are_undone_for_the_models_after_the_test(settings):
    configured = {(settings.DYNAMODB_READ_TIMEOUT, settings.DYNAMODB_MAX_RETRIES + 1)}
    with dynamodb_settings(DYNAMODB_READ_TIMEOUT=1, DYNAMODB_MAX_RETRIES=1):
        assert _model_timeouts() == {(1, 2)}
    assert _model_timeouts() == configured
