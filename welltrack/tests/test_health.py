from welltrack.testing import dynamodb_settings

NOTHING_LISTENS = "http://127.0.0.1:9"  # the discard port


def test_health_reports_ok_when_dynamodb_and_storage_answer(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"dynamodb": "ok", "storage": "ok"}}


def test_health_is_503_naming_dynamodb_when_it_is_unreachable(client):
    with dynamodb_settings(DYNAMODB_ENDPOINT=NOTHING_LISTENS):
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["checks"]["dynamodb"].startswith("error")
    assert response.json()["checks"]["storage"] == "ok"


def test_health_recovers_without_restart_when_dynamodb_comes_back(client, dynamodb_local):
    with dynamodb_settings(DYNAMODB_READ_TIMEOUT=1):
        dynamodb_local.pause()
        try:
            assert client.get("/health").status_code == 503
        finally:
            dynamodb_local.resume()
    assert client.get("/health").status_code == 200


def test_pages_answer_503_when_dynamodb_is_down(user, client_for):
    c = client_for(user)
    with dynamodb_settings(DYNAMODB_ENDPOINT=NOTHING_LISTENS):
        response = c.get("/accounts/profile/")
        api = c.get("/api/me")
    assert response.status_code == 503
    assert "may not have been saved" in response.content.decode()
    assert api.status_code == 503
    assert response["Retry-After"]
