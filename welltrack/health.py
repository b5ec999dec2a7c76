"""Dependency checks for /health: DynamoDB and file storage."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage

from welltrack.dynamodb import dynamo_connection, table_name


def check_dynamodb() -> str:
    try:
        dynamo_connection().client.describe_table(TableName=table_name("Users"))
    except Exception as exc:  # any failure is reported, not raised: this is the health check
        return f"error: {exc.__class__.__name__}"
    return "ok"


def check_storage() -> str:
    try:
        if settings.AWS_STORAGE_BUCKET_NAME:
            default_storage.connection.meta.client.head_bucket(Bucket=settings.AWS_STORAGE_BUCKET_NAME)
        else:
            settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
            default_storage.listdir("")
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def health() -> tuple[bool, dict[str, str]]:
    checks = {"dynamodb": check_dynamodb(), "storage": check_storage()}
    return all(v == "ok" for v in checks.values()), checks
