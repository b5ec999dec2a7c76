"""schemathesis against /api/openapi.json, in process, as a signed-in owner: no 500s, responses match the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from welltrack.wsgi import application

# Building the OpenAPI document touches no database, so the schema can load at collection.
SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
# Logging out would revoke the token every other case uses; accounts/tests/test_api.py covers it.
SKIPPED = {("POST", "/api/auth/logout")}


@pytest.fixture(scope="module")
def bearer(django_test_environment, welltrack_tables):
    import uuid

    from accounts.services import api_token_create, user_register
    from orgs.services import org_create
    from welltrack.actor import Actor

    owner = user_register(email=f"fuzz-{uuid.uuid4().hex[:8]}@example.com", password="correct-horse-battery-staple", name="Fuzz Owner")
    org_create(actor=Actor(owner.user_id, "127.0.0.1"), name="Fuzzed Field Co")
    token, _ = api_token_create(user=owner)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "operation",
    [op for op in OPERATIONS if (op.method.upper(), op.path) not in SKIPPED],
    ids=lambda op: f"{op.method.upper()} {op.path}",
)
def test_api_never_fails_with_a_server_error_and_matches_its_schema(operation, bearer):
    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        response = case.call(headers=bearer)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()
