"""ensure_tables against DynamoDB Local: it adds what is missing and changes nothing that exists."""

import uuid
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import Session
from welltrack.dynamodb import dynamo_connection, registered_models
from welltrack.tables import delete_tables, ensure_tables, table_definition
from welltrack.testing import point_models_at


def _describe_all() -> dict:
    client = dynamo_connection().client
    described = {}
    for model in registered_models():
        name = model.Meta.table_name
        table = client.describe_table(TableName=name)["Table"]
        ttl = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        described[name] = {
            "created": table["CreationDateTime"],
            "keys": table["KeySchema"],
            "indexes": sorted((g["IndexName"], str(g["KeySchema"])) for g in table.get("GlobalSecondaryIndexes", [])),
            "ttl": (ttl.get("TimeToLiveStatus"), ttl.get("AttributeName")),
        }
    return described


def test_running_ensure_tables_again_changes_nothing_and_says_so():
    before = _describe_all()
    out = StringIO()
    call_command("ensure_tables", stdout=out)
    assert out.getvalue().strip() == "all tables, indexes and TTL settings already exist"
    assert ensure_tables(log=lambda line: None) == []
    assert _describe_all() == before


@pytest.fixture
def throwaway_prefix():
    """Point every model at a prefix of its own for one test, then drop its tables and point back."""
    original = settings.WELLTRACK_TABLE_PREFIX
    prefix = f"tmp{uuid.uuid4().hex[:8]}-"
    point_models_at(settings.DYNAMODB_ENDPOINT, prefix)
    try:
        yield prefix
    finally:
        delete_tables()
        point_models_at(settings.DYNAMODB_ENDPOINT, original)


def test_ensure_tables_adds_a_missing_index_and_ttl_to_an_existing_table_and_keeps_its_items(throwaway_prefix):
    client = dynamo_connection().client
    bare = {k: v for k, v in table_definition(Session).items() if k != "GlobalSecondaryIndexes"}
    bare["AttributeDefinitions"] = [d for d in bare["AttributeDefinitions"] if d["AttributeName"] == "sessionId"]
    client.create_table(**bare)
    client.put_item(TableName=bare["TableName"], Item={"sessionId": {"S": "kept"}, "userId": {"S": "u-1"}})
    created = client.describe_table(TableName=bare["TableName"])["Table"]["CreationDateTime"]

    lines: list[str] = []
    done = ensure_tables(log=lines.append)

    sessions = f"{throwaway_prefix}Sessions"
    assert f"created index UserSessionsIndex on {sessions}" in done
    assert f"enabled TTL on {sessions}.expiresAt" in done
    assert f"created table {sessions}" not in " ".join(done)
    assert lines == done
    table = client.describe_table(TableName=sessions)["Table"]
    assert table["CreationDateTime"] == created
    assert [g["IndexName"] for g in table["GlobalSecondaryIndexes"]] == ["UserSessionsIndex"]
    ttl = client.describe_time_to_live(TableName=sessions)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expiresAt")
    assert client.get_item(TableName=sessions, Key={"sessionId": {"S": "kept"}})["Item"]["userId"] == {"S": "u-1"}
    assert [s.session_id for s in Session.user_sessions_index.query("u-1")] == ["kept"]
    others = {m.Meta.table_name for m in registered_models()} - {sessions}
    assert {line.split()[2] for line in done if line.startswith("created table")} == others

    assert ensure_tables(log=lines.append) == []
    assert lines[-1] == "all tables, indexes and TTL settings already exist"
