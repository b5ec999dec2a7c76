"""Every URL x every visitor -> the expected status; a refused request writes nothing."""

from __future__ import annotations

import importlib
import json as jsonlib
import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from pynamodb.signals import pre_dynamodb_send

from tests.access import VISITORS, Access
from welltrack.testing import sign_in

APPS = ("accounts", "orgs", "wells", "files", "timeline", "welltrack")
WRITE_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
# Tables a refused request may still touch: the visitor's own session and rate-limit counters.
BOOKKEEPING_TABLES = ("Sessions", "RateLimits")


def _rows() -> list[Access]:
    rows: list[Access] = []
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.tests.access_rows")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.tests.access_rows":
                raise
            continue
        rows.extend(module.ROWS)
    return rows


ROWS = _rows()


def _routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _api_operations() -> set[tuple[str, str]]:
    from welltrack.api import api

    operations = set()
    for path, methods in api.get_openapi_schema()["paths"].items():
        route = re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/"))
        for method in methods:
            operations.add((route, method.upper()))
    return operations


def test_every_url_pattern_has_a_row():
    covered = {row.route for row in ROWS}
    missing = [route for route in _routes() if route not in covered and route != "api/"]
    assert missing == [], f"add rows to <app>/tests/access_rows.py for: {missing}"


def test_every_api_operation_has_a_row():
    covered = {(row.route, row.method) for row in ROWS}
    missing = sorted(op for op in _api_operations() if op not in covered)
    assert missing == [], f"add rows for these API operations: {missing}"


def test_rows_name_every_visitor():
    incomplete = [(row.route, row.method) for row in ROWS if set(row.expected) != set(VISITORS)]
    assert incomplete == []


@pytest.fixture(scope="module")
def world(django_test_environment, welltrack_tables):
    from conftest import make_user as make_user_fixture  # noqa: F401 - documented source of the users
    from accounts.services import user_register
    from orgs.testing import build_org_world
    import uuid

    def make_user(name="User", email=None, password="correct-horse-battery-staple", time_zone="UTC"):
        return user_register(email=email or f"m-{uuid.uuid4().hex[:12]}@example.com", password=password, name=name, time_zone=time_zone)

    world = build_org_world(make_user)
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.tests.access_rows")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "build"):
            module.build(world)
    return world


def _client(world, visitor: str) -> Client:
    client = Client(REMOTE_ADDR=f"127.9.{VISITORS.index(visitor)}.{len(ROWS) % 250 + 1}")
    if visitor == "outsider":
        sign_in(client, world.outsider)
    elif visitor != "anonymous":
        sign_in(client, world.users[visitor])
    return client


def _send(client: Client, row: Access, world) -> tuple[int, list[tuple[str, str]]]:
    writes: list[tuple[str, str]] = []

    def record(sender, operation_name, table_name, req_uuid, **kwargs):
        if operation_name in WRITE_OPERATIONS:
            writes.append((operation_name, table_name or ""))

    url = row.url(world)
    data = row.data(world) if row.data else {}
    pre_dynamodb_send.connect(record)
    try:
        method = getattr(client, row.method.lower())
        if row.json or row.method in {"PATCH", "PUT", "DELETE"}:
            response = method(url, data=jsonlib.dumps(data) if data else None, content_type="application/json", **row.headers)
        elif row.method == "GET":
            response = method(url, data=data, **row.headers)
        else:
            response = method(url, data=data, **row.headers)
    finally:
        pre_dynamodb_send.disconnect(record)
    return response.status_code, writes


CASES = [(row, visitor) for row in ROWS for visitor in VISITORS]


@pytest.mark.parametrize(
    "row, visitor", CASES, ids=[f"{row.method} {row.route} {row.note} as {visitor}".strip() for row, visitor in CASES]
)
def test_access(world, row: Access, visitor: str):
    client = _client(world, visitor)
    status, writes = _send(client, row, world)
    assert status == row.expected[visitor]
    refused = status in (401, 403, 404) or (visitor == "anonymous" and status == 302)
    if refused and row.method != "GET":
        data_writes = [w for w in writes if not any(w[1].endswith(t) for t in BOOKKEEPING_TABLES)]
        assert data_writes == [], f"a refused {row.method} wrote to DynamoDB: {data_writes}"
