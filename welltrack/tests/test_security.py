"""Production settings and the security headers of every page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_access_matrix import ROWS

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
    "DJANGO_ALLOWED_HOSTS": "welltrack.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://welltrack.example.com",
    "WELLTRACK_TABLE_PREFIX": "prod-",
    "AWS_STORAGE_BUCKET_NAME": "welltrack-files-example",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WELLTRACK_", "AWS_STORAGE"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def _settings_alone(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Imports the settings module in a child process whose environment has none of our variables but ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WELLTRACK_", "AWS_STORAGE"))}
    code = "import welltrack.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.WELLTRACK_LOG_FORMAT, sep='|')"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_the_settings_alone_refuse_to_start_without_debug_or_a_secret_key():
    result = _settings_alone({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (the default)" in result.stderr


def test_the_settings_alone_default_to_debug_off_json_logs_and_no_testserver_host():
    result = _settings_alone({"DJANGO_SECRET_KEY": PRODUCTION_ENV["DJANGO_SECRET_KEY"]})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == ["False", "['127.0.0.1', 'localhost']", "json"]


def test_development_settings_do_not_answer_to_testserver_either():
    result = _settings_alone({"DJANGO_DEBUG": "true"})
    assert result.stdout.strip().split("|") == ["True", "['127.0.0.1', 'localhost']", "console"], result.stderr


def _assert_secure_headers(response, where: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    directives = [d.strip() for d in csp.split(";")]
    # Scripts fall under default-src when a policy (a file preview's) names no script-src.
    script_src = next((d for d in directives if d.startswith("script-src")), "") or next(
        (d for d in directives if d.startswith("default-src")), ""
    )
    assert "frame-ancestors 'none'" in csp, where
    assert script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy"), where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where


GET_ROWS = [row for row in ROWS if row.method == "GET"]


@pytest.fixture(scope="module")
def owner_client(request):
    world = request.getfixturevalue("world")
    from django.test import Client

    from welltrack.testing import sign_in

    client = Client()
    sign_in(client, world.users["OWNER"])
    return client


def _url(row, world) -> str:
    return row.url_for(world, "OWNER")  # a row made per visitor (an invitation to their own address) as the owner


@pytest.mark.parametrize("row", GET_ROWS, ids=[row.route or "/" for row in GET_ROWS])
def test_every_page_sends_the_security_headers(world, owner_client, row):
    response = owner_client.get(_url(row, world))
    _assert_secure_headers(response, row.route)


def test_the_api_docs_run_no_inline_script(client):
    import re

    html = client.get("/api/docs").content.decode()
    inline = [
        tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag and "application/json" not in tag
    ]
    assert inline == []
    assert "on" not in {attr[:2] for attr in re.findall(r"\s(on\w+)=", html)}


def _error_responses(world):
    """(what, response) for each error page a visitor can meet: 404, 403, CSRF 403, 503, page and API."""
    from django.test import Client

    from welltrack.testing import dynamodb_settings, sign_in

    viewer = Client()
    sign_in(viewer, world.users["VIEWER"])
    outsider = Client()
    sign_in(outsider, world.outsider)
    admin_only = next(r for r in GET_ROWS if r.expected["VIEWER"] == 403 and not r.route.startswith("api/"))
    members_only = next(r for r in GET_ROWS if r.expected["outsider"] == 404 and not r.route.startswith("api/"))
    csrf_checked = Client(enforce_csrf_checks=True)
    sign_in(csrf_checked, world.users["OWNER"])
    yield "404 no such page", Client().get("/no/such/page/"), 404
    yield "404 another org's page", outsider.get(_url(members_only, world)), 404
    yield "404 API", outsider.get(f"/api/orgs/{world.org.org_id}"), 404
    yield "403 role too low", viewer.get(_url(admin_only, world)), 403
    yield "403 CSRF", csrf_checked.post("/accounts/profile/", {"name": "No Token"}), 403
    with dynamodb_settings(DYNAMODB_ENDPOINT="http://127.0.0.1:9", DYNAMODB_MAX_RETRIES=0):
        yield "503 page", viewer.get("/accounts/profile/"), 503
        yield "503 API", viewer.get("/api/me"), 503


def test_error_pages_send_the_security_headers(world):
    responses = list(_error_responses(world))  # all taken before asserting: the outage block is over
    assert len(responses) == 7
    for what, response, status in responses:
        assert response.status_code == status, what
        _assert_secure_headers(response, what)


# --- production settings, on actual responses ----------------------------------------------
# A child process with the production environment (DEBUG off, a secret, allowed hosts) and
# this run's DynamoDB Local: the settings module computes everything as it would in production.
PRODUCTION_RESPONSES = """
import json
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

# collectstatic's manifest is not built in tests; every other setting stays as production computes it.
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
    client = Client(HTTP_HOST="welltrack.example.com")
    plain = client.get("/accounts/login/")
    login_page = client.get("/accounts/login/", secure=True)
    signed_in = client.post("/accounts/login/", {"email": EMAIL, "password": PASSWORD}, secure=True,
                            HTTP_REFERER="https://welltrack.example.com/accounts/login/")
    health = client.get("/health")
    missing = client.get("/no/such/page/", secure=True)

def cookie(response, name):
    morsel = response.cookies.get(name)
    return None if morsel is None else {"secure": morsel["secure"], "httponly": morsel["httponly"], "samesite": morsel["samesite"]}

print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "login_page": [login_page.status_code, login_page.get("Strict-Transport-Security"), cookie(login_page, "csrftoken")],
    "signed_in": [signed_in.status_code, cookie(signed_in, "sessionid")],
    "health": health.status_code,
    "missing": [missing.status_code, missing.get("Strict-Transport-Security"), missing.get("Content-Security-Policy")],
}))
"""


def test_production_responses_send_hsts_and_secure_httponly_samesite_cookies(dynamodb_local, user):
    import json

    from django.conf import settings

    from conftest import PASSWORD

    env = {
        **PRODUCTION_ENV,
        "DYNAMODB_ENDPOINT": dynamodb_local.endpoint,
        "WELLTRACK_TABLE_PREFIX": settings.WELLTRACK_TABLE_PREFIX,
        "LOG_LEVEL": "ERROR",
    }
    code = f"EMAIL = {user.email!r}; PASSWORD = {PASSWORD!r}\n" + PRODUCTION_RESPONSES
    result = _manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://welltrack.example.com/accounts/login/"]
    status, hsts, csrf_cookie = seen["login_page"]
    assert status == 200
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert csrf_cookie == {"secure": True, "httponly": True, "samesite": "Lax"}
    status, session_cookie = seen["signed_in"]
    assert status == 302
    assert session_cookie == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["health"] in (200, 503)  # exempt from the HTTPS redirect: the load balancer checks it over HTTP
    status, hsts, csp = seen["missing"]
    assert status == 404 and hsts and "frame-ancestors 'none'" in csp


def test_production_settings_mark_cookies_secure_and_turn_hsts_on():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split() == ["True", "True", "True", "True", "Lax", "True"], result.stderr
