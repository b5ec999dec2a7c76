"""Logs an operator can use: request ids, one JSON access line per request, errors logged with
their request id, no secret in any line; and the API's JSON errors for every status."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import runpy
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client

from conftest import PASSWORD
from welltrack.faults import Throttler, injected
from welltrack.logs import RequestContextFilter, console_formatter, json_formatter, log_format
from welltrack.middleware import API_ERROR_MESSAGES, RequestLogMiddleware
from welltrack.testing import free_port

BASE_DIR = Path(__file__).resolve().parents[2]


class Boom(Exception):
    """A bug: an exception nothing in the app expects."""


def explode(request, **_kwargs):
    raise Boom("injected bug")


class LogOutput:
    """What the app's log handler writes while a test runs, in the given format."""

    def __init__(self, formatter: logging.Formatter, missing: str | None) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(formatter)
        self.handler.addFilter(RequestContextFilter(missing=missing))

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines()]

    def access_lines(self) -> list[dict]:
        return [record for record in self.records() if record["logger"] == "welltrack.request"]


def _capture(formatter: logging.Formatter, missing: str | None):
    output = LogOutput(formatter, missing)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(output.handler)
    root.setLevel(logging.INFO)
    return output, lambda: (root.removeHandler(output.handler), root.setLevel(previous))


@pytest.fixture
def log_output():
    output, restore = _capture(json_formatter(), None)
    yield output
    restore()


@pytest.fixture
def console_output():
    output, restore = _capture(console_formatter(), "-")
    yield output
    restore()


def _api(client: Client, method: str, path: str, body: dict | None = None, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(path, **headers)
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json", **headers)


def _api_token(user) -> str:
    return _api(Client(), "post", "/api/auth/login", {"email": user.email, "password": PASSWORD}).json()["token"]


def _failing_client(client: Client) -> Client:
    client.raise_request_exception = False  # answer the 500 as a browser would see it
    return client


# --- request ids ---------------------------------------------------------------------------------
def test_every_response_carries_a_new_request_id(client):
    first, second = client.get("/health")["X-Request-ID"], client.get("/no/such/page/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


@pytest.mark.parametrize(
    "incoming, kept",
    [
        ("abc-123.DEF_456", True),
        ("a" * 128, True),
        ("short", False),
        ("a" * 129, False),
        ("with spaces in it", False),
        ('quote"and\\backslash', False),
        ("new\nline-injected", False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_well_formed(client, incoming, kept):
    answered = client.get("/health", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert (answered == incoming) is kept
    assert re.fullmatch(r"[A-Za-z0-9._-]{8,128}", answered)


# --- the access line -----------------------------------------------------------------------------
def test_each_request_writes_one_json_access_line_with_who_what_and_its_dynamodb_cost(
    org_world, client_for, log_output
):
    owner = org_world.users["OWNER"]
    client = client_for(owner)
    response = client.get(f"/orgs/{org_world.org.org_id}/", HTTP_X_REQUEST_ID="lb-trace-0001")
    assert response.status_code == 200
    assert "X-DynamoDB-Requests" not in response  # the headers stay off; the log line counts anyway
    (line,) = log_output.access_lines()
    assert line["request_id"] == "lb-trace-0001" == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == f"/orgs/{org_world.org.org_id}/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["user_id"] == owner.user_id
    assert line["org_id"] == org_world.org.org_id
    assert line["dynamodb_requests"] >= 1
    assert line["dynamodb_read_units"] > 0
    assert datetime.fromisoformat(line["timestamp"]).utcoffset().total_seconds() == 0
    assert line["message"].startswith(f"GET /orgs/{org_world.org.org_id}/ 200 ")


def test_an_anonymous_request_is_logged_without_reading_a_session(client, log_output):
    client.get("/health")
    (line,) = log_output.access_lines()
    assert line["user_id"] is None and line["org_id"] is None
    assert line["path"] == "/health"


def test_every_line_written_during_a_request_carries_its_request_id(rf, log_output):
    def view(request):
        logging.getLogger("welltrack.tests").warning("inside the view")
        return HttpResponse("ok")

    response = RequestLogMiddleware(view)(rf.get("/somewhere/"))
    (inside,) = [record for record in log_output.records() if record["message"] == "inside the view"]
    assert inside["request_id"] == response["X-Request-ID"]


def test_django_s_own_line_about_an_error_answer_carries_the_request_id(client, log_output):
    # Django logs a 5xx answer after the last middleware, with the request: the line still has its id.
    with injected(Throttler(per_call=10)):
        response = client.post(
            "/accounts/register/",
            {
                "name": "Tess",
                "email": f"t-{uuid.uuid4().hex[:8]}@example.com",
                "password": PASSWORD,
                "time_zone": "UTC",
            },
        )
    assert response.status_code == 503
    loggers = {record["logger"]: record["request_id"] for record in log_output.records()}
    assert loggers == {"welltrack.request": response["X-Request-ID"], "django.request": response["X-Request-ID"]}


def test_console_lines_are_readable_and_carry_the_request_id(client, console_output):
    response = client.get("/health")
    (line,) = [line for line in console_output.text.splitlines() if "welltrack.request" in line]
    assert re.fullmatch(
        rf"\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO +welltrack\.request \[{response['X-Request-ID']}\] "
        r"GET /health 200 [\d.]+ms db=\d+/[\d.]+RCU user=- org=-",
        line,
    )


def test_a_line_outside_any_request_has_no_request_id(log_output):
    logging.getLogger("welltrack.tests").warning("outside")
    (record,) = log_output.records()
    assert record["request_id"] is None and record["message"] == "outside"


def test_the_log_format_is_json_without_debug_console_with_it_and_chosen_by_the_environment(monkeypatch):
    monkeypatch.delenv("WELLTRACK_LOG_FORMAT", raising=False)
    assert (log_format(debug=False), log_format(debug=True)) == ("json", "console")
    monkeypatch.setenv("WELLTRACK_LOG_FORMAT", "json")
    assert log_format(debug=True) == "json"
    monkeypatch.setenv("WELLTRACK_LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="WELLTRACK_LOG_FORMAT"):
        log_format(debug=False)


# --- errors --------------------------------------------------------------------------------------
def test_an_uncaught_exception_is_a_500_page_showing_the_request_id_and_is_logged_with_it(user, client_for, log_output):
    client = _failing_client(client_for(user))
    with injected(explode):
        response = client.get("/orgs/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert request_id in response.content.decode()
    (error,) = [record for record in log_output.records() if record["logger"] == "django.request"]
    assert error["level"] == "ERROR" and error["request_id"] == request_id
    assert "Boom: injected bug" in error["exc_info"] and "Traceback" in error["exc_info"]
    (access,) = log_output.access_lines()
    assert (access["status"], access["level"], access["request_id"]) == (500, "ERROR", request_id)


def test_the_404_page_shows_the_request_id(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["X-Request-ID"] in response.content.decode()


def test_an_api_500_is_json_with_the_request_id_and_no_traceback_even_with_debug_on(user, settings, log_output):
    settings.DEBUG = True
    token = _api_token(user)
    client = _failing_client(Client())
    with injected(explode):
        response = _api(client, "get", "/api/me", token=token)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": API_ERROR_MESSAGES[500], "requestId": response["X-Request-ID"]}
    (error,) = [record for record in log_output.records() if record["logger"] == "django.request"]
    assert error["request_id"] == response["X-Request-ID"] and "Boom: injected bug" in error["exc_info"]


def test_an_unknown_api_path_is_a_json_404_with_the_request_id(client):
    response = client.get("/api/no/such/endpoint")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": API_ERROR_MESSAGES[404], "requestId": response["X-Request-ID"]}


def test_a_wrong_method_on_the_api_is_a_json_405_with_the_request_id_and_allow(client):
    response = client.put("/api/orgs", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": API_ERROR_MESSAGES[405], "requestId": response["X-Request-ID"]}
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_api_error_bodies_keep_their_detail_and_gain_the_request_id(client):
    unauthenticated = client.get("/api/me")
    bad_credentials = _api(client, "post", "/api/auth/login", {"email": "nobody@example.com", "password": "x" * 12})
    invalid = _api(client, "post", "/api/auth/login", {"email": "not-an-email"})
    for response, status in ((unauthenticated, 401), (bad_credentials, 401), (invalid, 422)):
        body = response.json()
        assert response.status_code == status
        assert body["requestId"] == response["X-Request-ID"]
        assert set(body) == {"detail", "requestId"}
    assert isinstance(invalid.json()["detail"], list)
    assert unauthenticated.json()["detail"] == "Authentication required: send a bearer token or sign in."


# --- no secrets ----------------------------------------------------------------------------------
def _reset_link() -> str:
    match = re.search(r"http://[^\s]+(/accounts/reset/[^\s]+/)", mail.outbox[-1].body)
    assert match
    return match.group(1)


def test_no_password_token_session_key_or_reset_token_reaches_the_log(user, log_output):
    secrets: dict[str, str] = {"password": PASSWORD}
    browser = Client()
    assert browser.post("/accounts/login/", {"email": user.email, "password": PASSWORD}).status_code == 302
    secrets["session key"] = browser.cookies["sessionid"].value
    assert browser.get("/orgs/").status_code == 200

    api = Client()
    login = _api(api, "post", "/api/auth/login", {"email": user.email, "password": PASSWORD})
    secrets["api token"] = login.json()["token"]
    assert _api(api, "get", "/api/me", token=secrets["api token"]).status_code == 200
    secrets["invitation token"] = f"inv{uuid.uuid4().hex}"
    _api(api, "post", f"/api/invitations/{secrets['invitation token']}/accept", token=secrets["api token"])

    anonymous = Client()
    assert anonymous.post("/accounts/password/reset/", {"email": user.email}).status_code == 200
    link = _reset_link()
    secrets["reset token"] = link.rstrip("/").rsplit("/", 1)[-1]
    assert anonymous.get(link).status_code == 200
    secrets["new password"] = "a-new-reset-secret-2026!"
    assert anonymous.post(link, {"new_password": secrets["new password"]}).status_code == 302

    secrets["feed token"] = f"feed{uuid.uuid4().hex}"
    anonymous.get(f"/ical/{secrets['feed token']}.ics")
    anonymous.get(f"/invitations/{secrets['invitation token']}/")
    anonymous.get(f"/accounts/login/?next=/invitations/{secrets['invitation token']}/")
    anonymous.get(f"/files/download/{secrets['feed token']}/")

    text = log_output.text
    assert len(log_output.access_lines()) == 12
    for what, secret in secrets.items():
        assert secret not in text, f"the {what} is in the log"
    paths = [line["path"] for line in log_output.access_lines()]
    assert "/ical/[redacted].ics" in paths
    assert "/accounts/login/?next=/invitations/[redacted]/" in paths
    assert "/api/invitations/[redacted]/accept" in paths
    assert paths.count(link.replace(secrets["reset token"], "[redacted]")) == 2


def test_secret_looking_query_values_are_redacted(client, log_output):
    client.get("/health?token=abc123secret&api_key=k3y&X-Amz-Signature=s1g&page=2")
    (line,) = log_output.access_lines()
    assert line["path"] == "/health?token=[redacted]&api_key=[redacted]&X-Amz-Signature=[redacted]&page=2"


def test_a_path_passed_to_a_log_call_is_redacted_too(log_output):
    logging.getLogger("welltrack.tests").warning("Not Found: %s", "/ical/feedsecret0123.ics")
    (record,) = log_output.records()
    assert record["message"] == "Not Found: /ical/[redacted].ics"


# --- gunicorn ------------------------------------------------------------------------------------
def test_gunicorn_binds_to_loopback_unless_told_and_leaves_the_access_log_to_the_app(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8000"
    assert config["accesslog"] is None
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8000")
    assert runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["bind"] == "0.0.0.0:8000"


def _get(url: str, headers: dict[str, str]) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_gunicorn_writes_json_lines_and_each_request_s_line_carries_its_request_id(dynamodb_local, tmp_path):
    from django.conf import settings

    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WELLTRACK_", "GUNICORN_", "LOG_"))}
    env = {
        **clean,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "gunicorn-test-" + uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DYNAMODB_ENDPOINT": dynamodb_local.endpoint,
        "WELLTRACK_TABLE_PREFIX": settings.WELLTRACK_TABLE_PREFIX,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    output = tmp_path / "gunicorn.log"
    with output.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "welltrack.wsgi"], cwd=BASE_DIR, env=env, stdout=out, stderr=out
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    status = _get(f"http://127.0.0.1:{port}/health", {"X-Request-ID": "probe-0123456789"})
                    break
                except OSError:
                    assert time.monotonic() < deadline and server.poll() is None, output.read_text()
                    time.sleep(0.3)
        finally:
            server.terminate()
            server.wait(30)
    assert status == 200
    records = [json.loads(line) for line in output.read_text().splitlines()]  # every line is one JSON object
    # One line per probe; a probe that timed out on a busy machine was sent again, with the same id.
    accesses = [record for record in records if record["logger"] == "welltrack.request"]
    assert accesses and all(
        (access["request_id"], access["path"]) == ("probe-0123456789", "/health") for access in accesses
    )
    assert accesses[-1]["status"] == 200
    assert any(record["logger"] == "gunicorn.error" and "Booting worker" in record["message"] for record in records)
    assert not any(record["logger"] == "gunicorn.access" for record in records)


def test_runserver_s_own_access_line_with_the_raw_path_is_not_written(capsys, log_output):
    logging.getLogger("django.server").error('"GET /ical/feedsecret0123.ics HTTP/1.1" 503 12')
    assert "feedsecret0123" not in capsys.readouterr().err + log_output.text
