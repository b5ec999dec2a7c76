"""Signed cursors: a page's LastEvaluatedKey travels through URLs signed, never raw."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core import signing

from welltrack.errors import ValidationFailed

_SALT = "welltrack.cursor"


def encode_cursor(last_evaluated_key: dict | None) -> str | None:
    if not last_evaluated_key:
        return None
    return signing.dumps(last_evaluated_key, salt=_SALT, compress=True)


def decode_cursor(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    try:
        return signing.loads(cursor, salt=_SALT)
    except signing.BadSignature:
        raise ValidationFailed({"cursor": "This page link is not valid; start from the first page."}) from None


def query_page(index_or_model, hash_key: Any, *, limit: int, cursor: str | None = None, **kwargs) -> tuple[list, str | None]:
    """One page of a Query: ``(items, next_cursor)``."""
    results = index_or_model.query(hash_key, limit=limit, last_evaluated_key=decode_cursor(cursor), **kwargs)
    items = list(results)
    return items, encode_cursor(results.last_evaluated_key)


def query_all(index_or_model, hash_key: Any, **kwargs) -> list:
    """Every page of a Query (for bounded sets: a well's stages, a stage's events)."""
    return list(index_or_model.query(hash_key, **kwargs))


def chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
