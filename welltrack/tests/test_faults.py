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
    return client.post(
        "/accounts/register/", {"name": "Tess Throttle", "email": email, "password": PASSWORD, "time_zone": "UTC"}
    )


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
    assert "may not have been saved" in response.content.decode()
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
def test_an_unreachable_dynamodb_is_a_503_and_recovers_without_restart(
    client_for, user, dynamodb_local, quick_failing_dynamodb, path
):
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


# --- a domain write throttled or cancelled: the tables are exactly as before ----------------
from welltrack.tests.org_state import added, org_state  # noqa: E402


def _well_form(project) -> tuple[str, dict]:
    return (
        f"/orgs/{project.org_id}/projects/{project.project_id}/wells/new/",
        {"name": "Throttled-1", "status": "DRILLING", "latitude": "46.1", "longitude": "53.2", "time_zone": "UTC"},
    )


def _editor(org_world, client_for):
    return client_for(org_world.users["EDITOR"])


def test_a_persistently_throttled_well_creation_is_a_503_page_and_writes_no_well_audit_or_count(
    org_world, project, client_for
):
    before = org_state(org_world.org.org_id)
    url, data = _well_form(project)
    with injected(Throttler(per_call=4, operations={"TransactWriteItems"})) as throttler:
        response = _editor(org_world, client_for).post(url, data)
    assert throttler.throttled == 4  # botocore tried four times, then gave up
    assert response.status_code == 503
    assert "may not have been saved" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert org_state(org_world.org.org_id) == before


def test_a_persistently_throttled_well_creation_on_the_api_is_503_json_and_writes_nothing(
    org_world, project, client_for
):
    before = org_state(org_world.org.org_id)
    with injected(Throttler(per_call=4, operations={"TransactWriteItems"})):
        response = _editor(org_world, client_for).post(
            "/api/wells",
            {"projectId": project.project_id, "name": "Throttled-API", "status": "DRILLING"},
            content_type="application/json",
        )
    assert response.status_code == 503
    assert "may not have been saved" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert org_state(org_world.org.org_id) == before


def test_a_persistently_throttled_event_on_the_api_is_503_json_and_writes_nothing(org_world, well, client_for):
    before = org_state(org_world.org.org_id)
    with injected(Throttler(per_call=4, operations={"TransactWriteItems"})):
        response = _editor(org_world, client_for).post(
            "/api/events",
            {
                "wellId": well.well_id,
                "type": "NOTE",
                "title": "Kick taken",
                "startTime": "2026-03-04T10:00:00Z",
                "endTime": "2026-03-09T10:00:00Z",
            },
            content_type="application/json",
        )
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    after = org_state(org_world.org.org_id)
    # No event and no audit item. The well's longestEventSeconds is raised on purpose before the
    # transaction (wells/services/counters.py: a larger bound only makes the window query reach
    # further back, so it is safe when the event then fails); nothing else of the well changes.
    raised = after["Wells"][well.well_id].pop("longestEventSeconds")
    before["Wells"][well.well_id].pop("longestEventSeconds")
    assert int(raised["N"]) == 5 * 86400
    assert after == before


def test_a_persistently_throttled_event_form_is_a_503_page_and_writes_nothing(org_world, well, client_for):
    before = org_state(org_world.org.org_id)
    with injected(Throttler(per_call=4, operations={"TransactWriteItems"})):
        response = _editor(org_world, client_for).post(
            f"/orgs/{well.org_id}/wells/{well.well_id}/events/new/",
            {"event_type": "NOTE", "title": "Kick taken", "start": "2026-03-03T10:00"},
        )
    assert response.status_code == 503
    assert "may not have been saved" in response.content.decode()
    assert org_state(org_world.org.org_id) == before


def test_three_throttles_on_the_transaction_still_create_exactly_one_well_and_one_audit_item(
    org_world, project, client_for
):
    before = org_state(org_world.org.org_id)
    url, data = _well_form(project)
    with injected(Throttler(per_call=3, operations={"TransactWriteItems"})) as throttler:
        response = _editor(org_world, client_for).post(url, data)
    assert throttler.throttled == 3
    assert response.status_code == 302
    after = org_state(org_world.org.org_id)
    new = added(before, after)
    assert set(new) == {"Wells", "AuditLog"} and len(new["Wells"]) == 1 and len(new["AuditLog"]) == 1
    audit = after["AuditLog"][new["AuditLog"][0]]
    assert (audit["entityId"]["S"], audit["action"]["S"]) == (new["Wells"][0], "CREATE")
    assert _well_counts(after, project) == {
        **_well_counts(before, project),
        "DRILLING": _well_counts(before, project).get("DRILLING", 0) + 1,
    }


def _well_counts(state: dict, project) -> dict[str, int]:
    counts = state["Projects"][project.project_id].get("wellCounts", {}).get("M", {})
    return {status: int(value["N"]) for status, value in counts.items()}


def test_a_transaction_cancelled_by_a_concurrent_change_is_a_409_on_the_api_and_changes_nothing(
    org_world, well, client_for
):
    before = org_state(org_world.org.org_id)
    with injected(Canceller("TransactionConflict")):
        response = _editor(org_world, client_for).patch(
            f"/api/wells/{well.well_id}",
            {"version": well.version, "name": "Renamed Meanwhile"},
            content_type="application/json",
        )
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    assert org_state(org_world.org.org_id) == before


def test_an_event_whose_transaction_is_cancelled_is_a_409_on_the_api_and_writes_nothing(org_world, well, client_for):
    before = org_state(org_world.org.org_id)
    with injected(Canceller("TransactionConflict")):
        response = _editor(org_world, client_for).post(
            "/api/events",
            {"wellId": well.well_id, "type": "NOTE", "title": "Raced", "startTime": "2026-03-04T10:00:00Z"},
            content_type="application/json",
        )
    assert response.status_code == 409
    assert response.json()["detail"]
    assert org_state(org_world.org.org_id) == before
