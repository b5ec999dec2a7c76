"""orgs.reads: a GET reads a session this process has seen together with the membership, in one
BatchGetItem, and still refuses a session that has ended the moment it has ended; a request
that may write checks its session before anything else."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from accounts.middleware import AuthenticationMiddleware
from accounts.models import Session
from accounts.services import sessions_end_all
from accounts.session_store import SessionStore, hash_secret
from orgs.permissions import Action
from orgs.reads import RequestReads, SignedIn
from wells.models import Event, Well
from wells.services import event_create
from welltrack.actor import Actor
from welltrack.caches import reset_all
from welltrack.errors import NotFound
from welltrack.testing import recording_writes, sign_in

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
        assert response.json() == {"detail": AUTH_REQUIRED, "requestId": response["X-Request-ID"]}, path


class _MisguessingSession(SessionStore):
    """A session store that guesses the wrong owner for its session (as a stale guess would)."""

    guessed_user_id = ""
    key_salt = "django.contrib.sessions.SessionStore"  # Django salts session data with the class name

    def read_ahead(self):
        ahead = super().read_ahead()
        return ahead and ahead._replace(guessed_user_id=self.guessed_user_id)


def test_a_wrong_guess_of_the_sessions_user_is_not_trusted(org_world, well):
    outsider = Client()
    sign_in(outsider, org_world.outsider)
    outsider.get("/api/me")  # this process now knows whose the session is
    request = RequestFactory().get(f"/api/wells/{well.well_id}")
    request.session = _MisguessingSession(outsider.cookies[settings.SESSION_COOKIE_NAME].value)
    request.session.guessed_user_id = org_world.users["VIEWER"].user_id
    AuthenticationMiddleware(lambda r: None)(request)
    reads = RequestReads(request)
    assert reads.signed_in() == SignedIn(checked=False)
    # The membership read with the session is the viewer's; it must not count for the outsider.
    with pytest.raises(NotFound):
        reads.record(Well, well.well_id, Action.VIEW, org_id=org_world.org.org_id)
    assert request.user.user_id == org_world.outsider.user_id


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("post", "/api/events", "event"),
        ("patch", "/api/wells/{well_id}", "well"),
        ("delete", "/api/events/{event_id}", None),
    ],
)
def test_a_write_with_a_session_ended_elsewhere_writes_nothing(org_world, well, method, path, body):
    editor = Client()
    sign_in(editor, org_world.users["EDITOR"])
    event = event_create(
        actor=Actor(org_world.users["EDITOR"].user_id),
        well=well,
        stage=None,
        event_type="NOTE",
        title="Kept",
        start="2026-03-02T08:00:00Z",
        end=None,
    )
    assert editor.get(f"/api/wells/{well.well_id}").status_code == 200  # the session is known to this process
    sessions_end_all(user_id=org_world.users["EDITOR"].user_id)
    payloads = {
        "event": {"wellId": well.well_id, "type": "NOTE", "title": "Sneaked in", "startTime": "2026-03-02T09:00:00Z"},
        "well": {"version": well.version, "name": "Renamed"},
    }
    with recording_writes() as writes:
        response = getattr(editor, method)(
            path.format(well_id=well.well_id, event_id=event.event_id),
            data=json.dumps(payloads[body]) if body else None,
            content_type="application/json",
        )
    assert response.status_code == 401
    assert writes.writes == []
    assert Well.get(well.well_id).name == well.name
    assert Event.get(event.event_id).title == "Kept"


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
    reset_all()  # as on an instance that has not seen this session (nor the well)
    viewer.get(_well_page(org_world, well))
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
