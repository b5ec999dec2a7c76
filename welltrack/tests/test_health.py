from django.conf import settings

from welltrack.dynamodb import configure_models


def test_health_reports_ok_when_dynamodb_and_storage_answer(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"dynamodb": "ok", "storage": "ok"}}


def test_health_is_503_naming_dynamodb_when_it_is_unreachable(client):
    original = settings.DYNAMODB_ENDPOINT
    settings.DYNAMODB_ENDPOINT = "http://127.0.0.1:9"  # nothing listens on the discard port
    configure_models()
    try:
        response = client.get("/health")
    finally:
        settings.DYNAMODB_ENDPOINT = original
        configure_models()
    assert response.status_code == 503
    assert response.json()["checks"]["dynamodb"].startswith("error")
    assert response.json()["checks"]["storage"] == "ok"


def test_health_recovers_without_restart_when_dynamodb_comes_back(client, dynamodb_local):
    dynamodb_local.pause()
    try:
        settings.DYNAMODB_READ_TIMEOUT, saved = 1, settings.DYNAMODB_READ_TIMEOUT
        configure_models()
        assert client.get("/health").status_code == 503
    finally:
        dynamodb_local.resume()
        settings.DYNAMODB_READ_TIMEOUT = saved
        configure_models()
    assert client.get("/health").status_code == 200


def test_pages_answer_503_when_dynamodb_is_down(user, client_for):
    c = client_for(user)
    original = settings.DYNAMODB_ENDPOINT
    settings.DYNAMODB_ENDPOINT = "http://127.0.0.1:9"
    configure_models()
    try:
        response = c.get("/accounts/profile/")
        api = c.get("/api/me")
    finally:
        settings.DYNAMODB_ENDPOINT = original
        configure_models()
    assert response.status_code == 503
    assert "Nothing was saved" in response.content.decode()
    assert api.status_code == 503
    assert response["Retry-After"]
