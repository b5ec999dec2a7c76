"""The Terraform description of every DynamoDB table, generated from the PynamoDB models.

``python manage.py terraform_tables`` writes deploy/terraform/tables.tf.json; a test
regenerates it and compares, so Terraform and the models cannot drift apart.
"""

from __future__ import annotations

import json

from pynamodb.models import Model

from welltrack.dynamodb import registered_models
from welltrack.tables import table_definition, ttl_attribute


def _resource_name(model: type[Model]) -> str:
    name = model.Meta.base_name
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def table_resource(model: type[Model]) -> dict:
    definition = table_definition(model)
    keys = {k["KeyType"]: k["AttributeName"] for k in definition["KeySchema"]}
    resource: dict = {
        "name": f"${{var.table_prefix}}{model.Meta.base_name}",
        "billing_mode": "PAY_PER_REQUEST",
        "hash_key": keys["HASH"],
        "attribute": [
            {"name": a["AttributeName"], "type": a["AttributeType"]}
            for a in sorted(definition["AttributeDefinitions"], key=lambda a: a["AttributeName"])
        ],
        "point_in_time_recovery": {"enabled": True},
        "server_side_encryption": {"enabled": True, "kms_key_arn": "${var.kms_key_arn}"},
        "deletion_protection_enabled": "${var.deletion_protection}",
        "tags": {"Application": "WellTrack", "Environment": "${var.environment}"},
    }
    if "RANGE" in keys:
        resource["range_key"] = keys["RANGE"]
    indexes = []
    for index in sorted(definition.get("GlobalSecondaryIndexes", []), key=lambda i: i["IndexName"]):
        index_keys = {k["KeyType"]: k["AttributeName"] for k in index["KeySchema"]}
        block = {
            "name": index["IndexName"],
            "hash_key": index_keys["HASH"],
            "projection_type": index["Projection"]["ProjectionType"],
        }
        if "RANGE" in index_keys:
            block["range_key"] = index_keys["RANGE"]
        if index["Projection"].get("NonKeyAttributes"):
            block["non_key_attributes"] = sorted(index["Projection"]["NonKeyAttributes"])
        indexes.append(block)
    if indexes:
        resource["global_secondary_index"] = indexes
    ttl = ttl_attribute(model)
    if ttl:
        resource["ttl"] = {"attribute_name": ttl, "enabled": True}
    return resource


def tables_document() -> dict:
    resources = {
        _resource_name(model): table_resource(model)
        for model in sorted(registered_models(), key=lambda m: m.Meta.base_name)
    }
    return {
        "resource": {"aws_dynamodb_table": resources},
        "locals": {"table_arns": [f"${{aws_dynamodb_table.{name}.arn}}" for name in resources]},
    }


def render() -> str:
    return json.dumps(tables_document(), indent=2, sort_keys=False) + "\n"
