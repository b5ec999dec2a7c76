"""Hostile input to the API's write operations (wells, stages, events, file tickets, invitations),
as an owner with a bearer token: never a 500; a 4xx names the field it refuses and writes
nothing; an unknown field (an orgId, a role, a createdBy smuggled into the body) is refused
by name.

Each field of a valid body is kept, dropped, or replaced by a hostile value: random and
hostile text, huge and tiny numbers, wrong JSON types, deep nesting.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from welltrack.testing import recording_writes

MISSING = object()
HOSTILE_TEXT = st.one_of(
    st.text(max_size=100),
    st.sampled_from(
        [
            "",
            " ",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "../../etc/passwd",
            "{{ 7*7 }}",
            "\u202e\u0000",
            "A" * 20000,
            "2026-02-30T25:61:00Z",
            "9999-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "NaN",
            "Infinity",
            "1e400",
            "🛢️" * 300,
        ]
    ),
)
HUGE_NUMBERS = st.sampled_from([10**40, -(10**40), 10**400, 1e308, -1e308, 5e-324, 2**63, -(2**63) - 1, 0, -1])
HOSTILE_JSON = st.one_of(
    HOSTILE_TEXT,
    HUGE_NUMBERS,
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
    st.recursive(st.just("deep"), lambda inner: st.dictionaries(st.just("a"), inner, min_size=1), max_leaves=40),
)
# Unknown fields: the schemas refuse them (welltrack/schemas.py, extra="forbid").
SMUGGLED = {
    "orgId": "other-org",
    "role": "OWNER",
    "userId": "someone",
    "createdBy": "someone",
    "updatedBy": "someone",
    "createdAt": "2000-01-01T00:00:00Z",
    "ownerId": "someone",
    "lifecycle": "DELETING",
    "s3Key": "orgs/x/y",
}
ID_FIELDS = {"projectId", "wellId", "stageId", "eventId"}


def _operations(w) -> dict[str, tuple[str, dict]]:
    well, project, stage = w.extra["well"], w.extra["project"], w.extra["stage"]
    return {
        "wells": (
            "/api/wells",
            {
                "projectId": project.project_id,
                "name": "API well",
                "wellNumber": "KZ-1",
                "location": {"latitude": 46.5, "longitude": 53.1},
                "depth": 3100.5,
                "status": "PLANNING",
                "startDate": "2026-01-01",
                "endDate": "2026-12-31",
                "metadata": {"rig": "Rig 7"},
                "timeZone": "Asia/Almaty",
            },
        ),
        "stages": (
            "/api/stages",
            {
                "wellId": well.well_id,
                "name": "Completion",
                "type": "COMPLETION",
                "status": "PLANNED",
                "startDate": "2026-04-01",
                "endDate": "2026-04-20",
                "description": "Frac",
            },
        ),
        "events": (
            "/api/events",
            {
                "wellId": well.well_id,
                "stageId": stage.stage_id,
                "type": "ACTIVITY",
                "title": "Drilling ahead",
                "description": "",
                "startTime": "2026-03-05T08:00:00Z",
                "endTime": "2026-03-05T20:00:00Z",
                "metadata": {"depth": "2500 m"},
            },
        ),
        "file tickets": (
            "/api/files/upload",
            {
                "wellId": well.well_id,
                "stageId": stage.stage_id,
                "fileName": "DDR-05.pdf",
                "fileType": "application/pdf",
                "fileSize": 120_000,
            },
        ),
        "invitations": (f"/api/orgs/{w.org.org_id}/invite", {"email": "new.colleague@example.com", "role": "EDITOR"}),
    }


def _error_fields(detail) -> set[str]:
    if not isinstance(detail, list):
        return set()
    return {str(part) for error in detail for part in error.get("loc", [])}


@pytest.fixture(scope="module")
def api_client(world):
    from accounts.services import api_token_create

    token, _ = api_token_create(user=world.users["OWNER"])
    return Client(REMOTE_ADDR="127.0.8.8", HTTP_AUTHORIZATION=f"Bearer {token}")


OPERATION_NAMES = ["wells", "stages", "events", "file tickets", "invitations"]


def hostile_for(value) -> st.SearchStrategy:
    """A hostile replacement of a valid value: of its own type mostly, of any JSON type sometimes."""
    if isinstance(value, bool) or value is None:
        return HOSTILE_JSON
    if isinstance(value, (int, float)):
        return st.one_of(HUGE_NUMBERS, HOSTILE_JSON)
    if isinstance(value, dict):
        same_keys = st.fixed_dictionaries({k: st.one_of(st.just(v), hostile_for(v)) for k, v in value.items()})
        return st.one_of(same_keys, st.dictionaries(HOSTILE_TEXT, HOSTILE_JSON, max_size=4), HOSTILE_JSON)
    return st.one_of(HOSTILE_TEXT, HOSTILE_JSON)


@st.composite
def bodies(draw, valid: dict) -> tuple[dict, set[str], dict]:
    """A valid body with one to three fields dropped or made hostile, and maybe unknown fields."""
    changed = draw(st.sets(st.sampled_from(sorted(valid)), min_size=1, max_size=3))
    body = dict(valid)
    for key in changed:
        if draw(st.integers(0, 4)) == 0:
            del body[key]
        else:
            body[key] = draw(hostile_for(valid[key]))
    changed = {key for key in changed if body.get(key, MISSING) != valid[key]}
    extra_keys = draw(st.sets(st.sampled_from(sorted(set(SMUGGLED) - set(valid))), max_size=2))
    extra = {key: SMUGGLED[key] for key in extra_keys}
    return body, changed, extra


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_api_writes_refuse_hostile_input_by_field_and_write_nothing(world, api_client, name):
    url, valid = _operations(world)[name]

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=bodies(valid))
    def run(case):
        body, changed, extra = case
        sent = {**body, **extra}
        with recording_writes() as recorder:
            response = api_client.post(url, json.dumps(sent), content_type="application/json")
        status = response.status_code
        where = f"{name}: {status} for {sent!r:.600}"
        assert status < 500, where
        if 200 <= status < 300:
            assert not extra, where
            return
        assert recorder.tables() == [], f"refused yet wrote {recorder.tables()}; {where}"
        detail = response.json()["detail"]
        if extra:
            assert status == 422, where
            assert set(extra) <= _error_fields(detail), f"{detail}; {where}"
        elif status == 422:
            assert _error_fields(detail) & changed, f"the error names no field that was changed: {detail}; {where}"
        elif status == 404:
            assert changed & ID_FIELDS, where  # an id that names nothing of this org
        else:
            assert (status, name) == (429, "invitations"), where  # invitation sending is rate limited

    run()


@pytest.mark.parametrize(
    "field, value", [("depth", 5e-324), ("depth", 1e-131), ("location", {"latitude": 1e-200, "longitude": -5e-324})]
)
def test_numbers_too_near_zero_for_dynamodb_are_stored_as_zero_not_a_server_error(world, api_client, field, value):
    # DynamoDB refuses numbers nearer zero than 1e-130; found by the test above (a 500 once).
    url, valid = _operations(world)["wells"]
    response = api_client.post(url, json.dumps({**valid, field: value}), content_type="application/json")
    assert response.status_code == 201
    stored = response.json()
    assert (
        stored["depth"] if field == "depth" else (stored["location"]["latitude"], stored["location"]["longitude"])
    ) in (0, (0, 0))
