"""Create what is missing: tables, GSIs and TTL settings. Never changes or deletes what exists."""

from __future__ import annotations

import time
from collections.abc import Callable

from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

from welltrack.dynamodb import dynamo_connection, registered_models


def _client():
    return dynamo_connection().client


def ttl_attribute(model: type[Model]) -> str | None:
    """The stored name of the model's TTL attribute; None when it has none."""
    for attribute in model.get_attributes().values():
        if isinstance(attribute, TTLAttribute):
            return attribute.attr_name
    return None


def _hash_first(key_schema: list[dict]) -> list[dict]:
    return sorted(key_schema, key=lambda k: k["KeyType"] != "HASH")


def table_definition(model: type[Model]) -> dict:
    """The CreateTable arguments of a model (PynamoDB's schema already uses DynamoDB's key names)."""
    schema = model._get_schema()
    definition = {
        "TableName": model.Meta.table_name,
        "AttributeDefinitions": list(schema["attribute_definitions"]),
        "KeySchema": _hash_first(schema["key_schema"]),
        "BillingMode": "PAY_PER_REQUEST",
    }
    indexes = [
        {"IndexName": i["index_name"], "KeySchema": _hash_first(i["key_schema"]), "Projection": i["projection"]}
        for i in schema["global_secondary_indexes"]
    ]
    if indexes:
        definition["GlobalSecondaryIndexes"] = indexes
    return definition


def _wait_active(name: str, index: str | None = None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        table = _client().describe_table(TableName=name)["Table"]
        if index is None and table["TableStatus"] == "ACTIVE":
            return
        if index is not None:
            statuses = {g["IndexName"]: g.get("IndexStatus") for g in table.get("GlobalSecondaryIndexes", [])}
            if statuses.get(index) == "ACTIVE":
                return
        time.sleep(0.2)
    raise TimeoutError(f"{name} did not become active")


def ensure_tables(log: Callable[[str], None] = print) -> list[str]:
    """Idempotent; returns the list of things it did."""
    client = _client()
    existing: set[str] = set()
    paginator = client.get_paginator("list_tables")
    for page in paginator.paginate():
        existing.update(page["TableNames"])
    done: list[str] = []

    for model in registered_models():
        definition = table_definition(model)
        name = definition["TableName"]
        definitions = definition["AttributeDefinitions"]
        indexes = definition.get("GlobalSecondaryIndexes", [])
        if name not in existing:
            # Encryption at rest is always on in DynamoDB (AWS-owned key by default; Terraform may choose KMS).
            client.create_table(**definition)
            _wait_active(name)
            done.append(f"created table {name}" + (f" with {len(indexes)} GSIs" if indexes else ""))
        else:
            table = client.describe_table(TableName=name)["Table"]
            present = {g["IndexName"] for g in table.get("GlobalSecondaryIndexes", [])}
            for index in indexes:
                if index["IndexName"] in present:
                    continue
                needed = {k["AttributeName"] for k in index["KeySchema"]}
                client.update_table(
                    TableName=name,
                    AttributeDefinitions=[d for d in definitions if d["AttributeName"] in needed],
                    GlobalSecondaryIndexUpdates=[{"Create": index}],
                )
                _wait_active(name, index["IndexName"])
                done.append(f"created index {index['IndexName']} on {name}")

        ttl = ttl_attribute(model)
        if ttl:
            status = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
            if status.get("TimeToLiveStatus") not in {"ENABLED", "ENABLING"}:
                client.update_time_to_live(
                    TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl}
                )
                done.append(f"enabled TTL on {name}.{ttl}")

    for line in done or ["all tables, indexes and TTL settings already exist"]:
        log(line)
    return done


def delete_tables() -> None:
    """Tests only: drop every table of the current prefix."""
    client = _client()
    for model in registered_models():
        try:
            client.delete_table(TableName=model.Meta.table_name)
        except client.exceptions.ResourceNotFoundException:
            pass
