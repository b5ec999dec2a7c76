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
            model_indexes[index["index_name"]] = (index_keys["HASH"], index_keys.get("RANGE"), index["projection"]["ProjectionType"])
        assert terraform_indexes == model_indexes, model
        assert resource["point_in_time_recovery"] == {"enabled": True}
        assert resource["server_side_encryption"]["enabled"] is True
