"""The API reads a session this process has seen together with the membership, in one
BatchGetItem, and still refuses a session that has ended the moment it has ended."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client

from accounts import session_store
from accounts.models import Session
from accounts.services import sessions_end_all
from accounts.session_store import hash_secret
from welltrack.testing import sign_in

AUTH_REQUIRED = "Authentication required: send a bearer token or sign in."


@pytest.fixture
def viewer(org_world, settings):
    settings.WELLTRACK_DB_METRICS_HEADERS = True
    client = Client()
    sign_in(client, org_world.users["VIEWER"])
    return client


def _session_id(client: Client) -> str:
    return hash_secret(client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_a_known_session_and_well_cost_one_dynamodb_request(viewer, well):
    viewer.get(f"/api/wells/{well.well_id}")  # this process now knows the well's organization
    response = viewer.get(f"/api/wells/{well.well_id}")
    assert response.status_code == 200 and response.json()["name"] == well.name
    assert response["X-DynamoDB-Requests"] == "1"  # session, membership, organization and well together


@pytest.mark.parametrize("ended_by", ["sign-out everywhere", "expiry"])
def test_a_session_ended_elsewhere_is_refused_on_its_next_request(viewer, org_world, well, ended_by):
    assert viewer.get(f"/api/wells/{well.well_id}").status_code == 200
    if ended_by == "expiry":
        item = Session.get(_session_id(viewer))
        item.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        item.save()
    else:
        assert sessions_end_all(user_id=org_world.users["VIEWER"].user_id) >= 1
    assert _session_id(viewer) in session_store._session_users  # the process still remembers whose it was

    cookie = viewer.cookies[settings.SESSION_COOKIE_NAME].value
    for path in (
        f"/api/wells/{well.well_id}",  # read with the membership
        f"/api/events?wellId={well.well_id}&date=2026-03-02",  # read with the membership, events read ahead
        "/api/wells/00000000-0000-0000-0000-000000000000",  # refused before any read for the user
        f"/api/events?wellId={well.well_id}",  # bad input: refused before any read for the user
        "/api/me",
    ):
        viewer.cookies[settings.SESSION_COOKIE_NAME] = cookie  # a refusal deletes it; the next path sends it again
        response = viewer.get(path)
        assert response.status_code == 401, path
        assert response.json() == {"detail": AUTH_REQUIRED}, path


def test_a_wrong_guess_of_the_sessions_user_is_not_trusted(org_world, well, settings):
    settings.WELLTRACK_DB_METRICS_HEADERS = True
    outsider = Client()
    sign_in(outsider, org_world.users["VIEWER"])
    sign_in(outsider, org_world.outsider)  # a new session key, the outsider's
    # Make the process believe the outsider's session is the viewer's: the membership read
    # with it is the viewer's, and must not count for the outsider.
    session_store._session_users[_session_id(outsider)] = org_world.users["VIEWER"].user_id
    response = outsider.get(f"/api/wells/{well.well_id}")
    assert response.status_code == 404
    assert outsider.get("/api/me").json()["userId"] == org_world.outsider.user_id


def test_a_session_check_left_to_the_end_answers_503_when_dynamodb_is_down(viewer, well):
    from welltrack.faults import Throttler, injected

    assert viewer.get(f"/api/wells/{well.well_id}").status_code == 200
    with injected(Throttler(per_call=10)):
        # Refused before any read for the user, then the session cannot be read either.
        response = viewer.get(f"/api/events?wellId={well.well_id}")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "not answering" in response.json()["detail"]
    assert response["X-Frame-Options"] == "DENY"


def _well_page(org_world, well) -> str:
    return f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/"


def test_a_page_reads_a_known_session_with_the_membership(viewer, org_world, well):
    viewer.get(_well_page(org_world, well))
    cold = Client()
    sign_in(cold, org_world.users["VIEWER"])
    session_store._session_users.pop(_session_id(cold))  # as on an instance that has not seen this session
    warm_cost = int(viewer.get(_well_page(org_world, well))["X-DynamoDB-Requests"])
    cold_cost = int(cold.get(_well_page(org_world, well))["X-DynamoDB-Requests"])
    assert warm_cost == cold_cost - 1


def test_a_page_of_a_session_ended_elsewhere_goes_to_sign_in(viewer, org_world, well):
    assert viewer.get(_well_page(org_world, well)).status_code == 200
    sessions_end_all(user_id=org_world.users["VIEWER"].user_id)
    cookie = viewer.cookies[settings.SESSION_COOKIE_NAME].value
    for path in (
        _well_page(org_world, well),  # the session is read with the membership
        f"/orgs/{org_world.org.org_id}/wells/00000000-0000-0000-0000-000000000000/",
    ):  # a well that is not there
        viewer.cookies[settings.SESSION_COOKIE_NAME] = cookie
        response = viewer.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next=")
        assert b"JS-A-12" not in response.content
    viewer.cookies[settings.SESSION_COOKIE_NAME] = cookie
    fragment = viewer.get(_well_page(org_world, well) + "?part=history", HTTP_HX_REQUEST="true")
    assert fragment["HX-Redirect"] == "/accounts/login/"
