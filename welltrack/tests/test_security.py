"""Production settings and the security headers of every page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_access_matrix import ROWS, world  # noqa: F401 - the module-scoped world fixture

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
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def _assert_secure_headers(response, where: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    directives = [d.strip() for d in csp.split(";")]
    # Scripts fall under default-src when a policy (a file preview's) names no script-src.
    script_src = next((d for d in directives if d.startswith("script-src")), "") or next(
        (d for d in directives if d.startswith("default-src")), "")
    assert "frame-ancestors 'none'" in csp, where
    assert script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy"), where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where


GET_ROWS = [row for row in ROWS if row.method == "GET" and row.route != "api/docs"]


@pytest.fixture(scope="module")
def owner_client(request):
    world = request.getfixturevalue("world")
    from django.test import Client

    from welltrack.testing import sign_in

    client = Client()
    sign_in(client, world.users["OWNER"])
    return client


@pytest.mark.parametrize("row", GET_ROWS, ids=[row.route or "/" for row in GET_ROWS])
def test_every_page_sends_the_security_headers(world, owner_client, row):
    response = owner_client.get(row.url(world))
    _assert_secure_headers(response, row.route)


def test_api_docs_relax_only_for_swagger_and_still_forbid_framing(client):
    response = client.get("/api/docs")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = _manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split() == ["True", "True", "True", "Lax", "True"], result.stderr
