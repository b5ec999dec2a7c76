"""Signed cursors: a page's LastEvaluatedKey travels through URLs signed, never raw."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core import signing

from welltrack.errors import ValidationFailed, dynamo_errors

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


def check_cursor(index, hash_key: str, cursor: str | None) -> None:
    """Refuse by name a cursor of another list (another org, well, person or filter).

    A cursor is signed, so it is one of ours, but DynamoDB answers a start key whose hash key
    is not the one queried with a server error.
    """
    start = decode_cursor(cursor)
    key_name = index._hash_key_attribute().attr_name
    if start is not None and (start.get(key_name) or {}).get("S") != hash_key:
        raise ValidationFailed({"cursor": "This page link belongs to another list; start from the first page."})


def query_page(
    index_or_model, hash_key: Any, *, limit: int, cursor: str | None = None, **kwargs
) -> tuple[list, str | None]:
    """One page of a Query: ``(items, next_cursor)``."""
    results = index_or_model.query(hash_key, limit=limit, last_evaluated_key=decode_cursor(cursor), **kwargs)
    items = list(results)
    return items, encode_cursor(results.last_evaluated_key)


def filtered_page(
    index,
    hash_key: Any,
    *,
    model,
    condition,
    limit: int,
    cursor: str | None,
    max_requests: int,
    range_key_condition=None,
    scan_index_forward: bool = True,
    page_size: int | None = None,
) -> tuple[list, str | None]:
    """Up to ``limit`` items of ``hash_key`` that pass ``condition``, from at most ``max_requests``
    Query pages of ``page_size`` (default ``limit``), and the cursor after the last item shown.

    A filter expression is applied after DynamoDB's Limit, so one request may hold none of the
    wanted items although the next is full of them; reading a bounded number of pages keeps a
    rare filter over a long list at a fixed cost. The page may then hold fewer items (even
    none) and still carry a cursor to look further.
    """
    start = decode_cursor(cursor)
    results = index.query(
        hash_key,
        range_key_condition=range_key_condition,
        filter_condition=condition,
        scan_index_forward=scan_index_forward,
        page_size=page_size or limit,
        last_evaluated_key=start,
    )
    pages = results.page_iter  # one DynamoDB request per page
    raw: list[dict] = []
    last_key = start
    with dynamo_errors():
        for _ in range(max_requests):
            try:
                page = next(pages)
            except StopIteration:
                last_key = None
                break
            items = page.get("Items", [])
            for position, item in enumerate(items):
                raw.append(item)
                if len(raw) == limit:
                    more = position < len(items) - 1 or pages.last_evaluated_key is not None
                    # Resume after the last item shown, not after the last one DynamoDB read.
                    last_key = {name: item[name] for name in pages.key_names} if more else None
                    return [model.from_raw_data(i) for i in raw], encode_cursor(last_key)
            last_key = pages.last_evaluated_key
            if last_key is None:
                break
    return [model.from_raw_data(i) for i in raw], encode_cursor(last_key)


def query_all(index_or_model, hash_key: Any, **kwargs) -> list:
    """Every page of a Query (for bounded sets: a well's stages, a stage's events)."""
    return list(index_or_model.query(hash_key, **kwargs))


def chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
