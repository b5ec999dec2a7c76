"""deploy/terraform/tables.tf.json must describe exactly the tables and GSIs of the PynamoDB models."""

import json
from pathlib import Path

from welltrack.dynamodb import registered_models
from welltrack.terraform import render

TABLES_FILE = Path(__file__).resolve().parents[2] / "deploy" / "terraform" / "tables.tf.json"


def test_committed_terraform_is_what_the_models_generate():
    assert TABLES_FILE.read_text() == render(), "run `python manage.py terraform_tables` and commit the result"


def test_every_model_table_and_index_is_in_terraform_with_the_same_keys():
    resources = json.loads(TABLES_FILE.read_text())["resource"]["aws_dynamodb_table"]
    by_name = {r["name"].replace("${var.table_prefix}", ""): r for r in resources.values()}
    assert set(by_name) == {m.Meta.base_name for m in registered_models()}
    for model in registered_models():
        resource = by_name[model.Meta.base_name]
        schema = model._get_schema()
        keys = {k["KeyType"]: k["AttributeName"] for k in schema["key_schema"]}
        assert (resource["hash_key"], resource.get("range_key")) == (keys["HASH"], keys.get("RANGE")), model
        terraform_indexes = {
            i["name"]: (i["hash_key"], i.get("range_key"), i["projection_type"])
            for i in resource.get("global_secondary_index", [])
        }
        model_indexes = {}
        for index in schema["global_secondary_indexes"]:
            index_keys = {k["KeyType"]: k["AttributeName"] for k in index["key_schema"]}
            model_indexes[index["index_name"]] = (
                index_keys["HASH"],
                index_keys.get("RANGE"),
                index["projection"]["ProjectionType"],
            )
        assert terraform_indexes == model_indexes, model
        assert resource["point_in_time_recovery"] == {"enabled": True}
        assert resource["server_side_encryption"]["enabled"] is True


MAIN_FILE = TABLES_FILE.parent / "main.tf"


def _block(text: str, opening: str) -> str:
    """The text of the HCL block that starts at ``opening`` (up to its matching brace)."""
    start = text.index(opening)
    depth = 0
    for position in range(text.index("{", start), len(text)):
        depth += {"{": 1, "}": -1}.get(text[position], 0)
        if depth == 0:
            return text[start : position + 1]
    raise AssertionError(f"unclosed block {opening}")


def test_the_app_may_use_a_customer_managed_tables_key_only_when_one_is_set_and_only_through_dynamodb():
    import re

    policy = _block(MAIN_FILE.read_text(), 'data "aws_iam_policy_document" "app"')
    kms = _block(policy, 'dynamic "statement"')
    assert re.search(r"for_each\s*=\s*var\.kms_key_arn\s*==\s*null\s*\?\s*\[\]\s*:\s*\[var\.kms_key_arn\]", kms)
    actions = re.search(r"actions\s*=\s*\[([^\]]*)\]", kms).group(1)
    assert sorted(re.findall(r'"([^"]+)"', actions)) == [
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
    ]
    assert re.search(r"resources\s*=\s*\[statement\.value\]", kms)  # that one key, never "*"
    assert '"kms:ViaService"' in kms and '"dynamodb.${var.region}.amazonaws.com"' in kms
    assert '"kms:CallerAccount"' in kms
    # Nothing else in the policy grants kms: actions (the bucket uses SSE-S3, not KMS).
    assert policy.count("kms:Decrypt") == 1
