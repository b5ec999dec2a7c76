"""Every URL and method x every visitor -> the expected status; a refused request writes nothing."""

from __future__ import annotations

import importlib
import json as jsonlib
import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from pynamodb.signals import post_dynamodb_send, pre_dynamodb_send

from tests.access import VISITORS, Access
from tests.fixtures import APPS
from welltrack.testing import sign_in

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
# Every row (fuzzed case) makes organizations and invitations of one user as fixtures.
pytestmark = pytest.mark.usefixtures("generous_creation_limits")


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


# The methods a row can send. A page view accepts a method unless it answers 405 to it.
PROBE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_SAMPLE_VALUES = {"int": "1", "uuid": "00000000-0000-4000-8000-000000000000"}


def _page_routes() -> list[str]:
    # "api/" is the API's root, not an endpoint. Its operations are also checked against the
    # OpenAPI schema below; django-ninja itself answers 405 for a method a path lacks.
    return sorted({route for route in _routes() if route != "api/"})


def _probe_url(route: str) -> str:
    url = "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLE_VALUES.get(m.group(1) or "str", "probe"), route)
    assert resolve(url).route == route, f"cannot build a URL for {route!r}: give it a row by hand and a sample here"
    return url


def _accepted_methods(route: str) -> set[str]:
    """The methods the view of ``route`` does not refuse with 405.

    Django's require_http_methods/require_GET/require_POST expose nothing to inspect, so ask
    the view itself, as an anonymous visitor with placeholder ids: those decorators sit
    outermost and answer 405 before sign-in, permissions or any lookup. A view that checks
    its method later (or not at all) answers something else to every method, and so needs a
    row for each: put its method decorator outermost instead.
    """
    client = Client(REMOTE_ADDR="127.8.0.1")
    url = _probe_url(route)
    return {method for method in PROBE_METHODS if getattr(client, method.lower())(url).status_code != 405}


def _ninja_schema_routes() -> set[str]:
    # django-ninja's own schema and docs views answer every method alike (read-only, no
    # method check of theirs to probe): they are GET pages.
    from welltrack.api import api

    return {f"api/{url.strip('/')}" for url in (api.openapi_url, api.docs_url) if url}


@pytest.fixture(scope="module")
def accepted() -> dict[str, set[str]]:
    schema_routes = _ninja_schema_routes()
    return {route: {"GET"} if route in schema_routes else _accepted_methods(route) for route in _page_routes()}


def test_the_method_probe_tells_accepted_from_refused_methods(accepted):
    # A probe that saw 405 everywhere (or nowhere) would make the next test pass on nothing.
    assert accepted["orgs/<str:org_id>/leave/"] == {"POST"}
    assert accepted["orgs/<str:org_id>/members/"] == {"GET"}
    assert accepted["orgs/<str:org_id>/settings/"] == {"GET", "POST"}


def test_every_method_of_every_url_pattern_has_a_row(accepted):
    covered = {(row.route, row.method) for row in ROWS}
    missing = sorted(
        (route, method) for route, methods in accepted.items() for method in methods if (route, method) not in covered
    )
    assert missing == [], f"add rows to <app>/tests/access_rows.py for: {missing}"


def test_no_row_sends_a_method_its_view_refuses(accepted):
    stale = sorted(
        {(row.route, row.method) for row in ROWS if row.route in accepted and row.method not in accepted[row.route]}
    )
    assert stale == [], f"these rows test a method the view answers with 405: {stale}"


def test_rows_of_allowed_mutations_name_the_visitors_who_write():
    # The positive control of the write hook lives in these rows (see Access.writes).
    assert [row for row in ROWS if row.method != "GET" and row.writes]


def test_every_api_operation_has_a_row():
    covered = {(row.route, row.method) for row in ROWS}
    missing = sorted(op for op in _api_operations() if op not in covered)
    assert missing == [], f"add rows for these API operations: {missing}"


def test_rows_name_every_visitor():
    incomplete = [
        (row.route, row.method)
        for row in ROWS
        if set(row.expected) != set(VISITORS) or not set(row.writes or ()) <= set(VISITORS)
    ]
    assert incomplete == []


def _client(world, visitor: str) -> Client:
    client = Client(REMOTE_ADDR=f"127.9.{VISITORS.index(visitor)}.{len(ROWS) % 250 + 1}")
    if visitor == "outsider":
        sign_in(client, world.outsider)
    elif visitor != "anonymous":
        sign_in(client, world.users[visitor])
    return client


class WriteLog:
    """The write calls a request sent to DynamoDB (``attempted``) and those DynamoDB carried out
    (``completed``: a transaction cancelled by its conditions sends no post-send signal)."""

    def __init__(self) -> None:
        self.attempted: list[tuple[str, str]] = []
        self.completed: list[tuple[str, str]] = []
        self._pending: dict = {}

    def before(self, sender, operation_name, table_name, req_uuid, **kwargs):
        if operation_name in WRITE_OPERATIONS:
            self.attempted.append((operation_name, table_name or ""))
            self._pending[req_uuid] = (operation_name, table_name or "")

    def after(self, sender, operation_name, table_name, req_uuid, **kwargs):
        if req_uuid in self._pending:
            self.completed.append(self._pending.pop(req_uuid))

    @staticmethod
    def data(calls: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [call for call in calls if not any(call[1].endswith(t) for t in BOOKKEEPING_TABLES)]


def _send(client: Client, row: Access, world, visitor: str) -> tuple[int, WriteLog]:
    log = WriteLog()
    url = row.url_for(world, visitor)
    data = row.data_for(world, visitor)
    pre_dynamodb_send.connect(log.before)
    post_dynamodb_send.connect(log.after)
    try:
        method = getattr(client, row.method.lower())
        if row.json or row.method in {"PATCH", "PUT", "DELETE"}:
            response = method(
                url, data=jsonlib.dumps(data) if data else None, content_type="application/json", **row.headers
            )
        else:
            response = method(url, data=data, **row.headers)
    finally:
        pre_dynamodb_send.disconnect(log.before)
        post_dynamodb_send.disconnect(log.after)
    return response.status_code, log


CASES = [(row, visitor) for row in ROWS for visitor in VISITORS]


@pytest.mark.parametrize(
    "row, visitor", CASES, ids=[f"{row.method} {row.route} {row.note} as {visitor}".strip() for row, visitor in CASES]
)
def test_access(world, row: Access, visitor: str):
    client = _client(world, visitor)
    status, log = _send(client, row, world, visitor)
    assert status == row.expected[visitor]
    # An anonymous 302 is the way to the sign-in page, unless the row says the visitor wrote.
    refused = status in (401, 403, 404) or (
        visitor == "anonymous" and status == 302 and visitor not in (row.writes or ())
    )
    if refused and row.method != "GET":
        # Refused by sign-in or permissions: not even an attempt reaches DynamoDB.
        assert WriteLog.data(log.attempted) == [], f"a refused {row.method} sent writes to DynamoDB: {log.attempted}"
    if row.writes is not None:
        written = WriteLog.data(log.completed)
        if visitor in row.writes:
            assert written, f"this {row.method} should have written (or the write hook no longer sees writes)"
        else:
            # A refusal that DynamoDB itself decides (the last owner leaving) is a cancelled
            # transaction: attempted, but nothing written.
            assert written == [], f"this {row.method} should have written nothing: {written}"
