"""Signed cursors: a page's LastEvaluatedKey travels through URLs signed, never raw."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core import signing

from welltrack.errors import ValidationFailed, dynamo_errors

_SALT = "welltrack.cursor"
NOT_VALID = "This page link is not valid; start from the first page."
ANOTHER_LIST = "This cursor belongs to another list; start from the first page."


def list_of(*parts: Any) -> str:
    """A short name of one list: what it reads (an index), of what (a partition key) and
    within which bounds (a key condition, a window). Equal parts, equal name."""
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=12).hexdigest()


def query_list(index_or_model, hash_key: Any, range_key_condition=None) -> str:
    """The name of a Query's list: its index (or table), partition key and key condition.

    A start key is only valid for the Query it came from: DynamoDB answers one of another
    index, partition or range with a server error, so every cursor is bound to this name.
    """
    source = getattr(index_or_model.Meta, "index_name", None) or index_or_model.__name__
    return list_of(source, hash_key, "" if range_key_condition is None else repr(range_key_condition))


def encode_cursor(position: dict | None, *, of: str) -> str | None:
    """A signed cursor for ``position`` in the list named ``of`` (None at the end of the list)."""
    if not position:
        return None
    return signing.dumps({"l": of, "p": position}, salt=_SALT, compress=True)


def decode_cursor(cursor: str | None, *, of: str) -> dict | None:
    """The position a cursor of the list ``of`` holds; a cursor of another list (another
    endpoint, well, organization, person, date or window) is refused by name, with 422."""
    if not cursor:
        return None
    try:
        payload = signing.loads(cursor, salt=_SALT)
    except signing.BadSignature:
        raise ValidationFailed({"cursor": NOT_VALID}) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("p"), dict):
        raise ValidationFailed({"cursor": NOT_VALID})
    if payload.get("l") != of:
        raise ValidationFailed({"cursor": ANOTHER_LIST})
    return payload["p"]


def query_page(
    index_or_model, hash_key: Any, *, limit: int, cursor: str | None = None, range_key_condition=None, **kwargs
) -> tuple[list, str | None]:
    """One page of a Query: ``(items, next_cursor)``."""
    of = query_list(index_or_model, hash_key, range_key_condition)
    results = index_or_model.query(
        hash_key,
        range_key_condition=range_key_condition,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, of=of),
        **kwargs,
    )
    items = list(results)
    return items, encode_cursor(results.last_evaluated_key, of=of)


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
    of = query_list(index, hash_key, range_key_condition)
    start = decode_cursor(cursor, of=of)
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
                    return [model.from_raw_data(i) for i in raw], encode_cursor(last_key, of=of)
            last_key = pages.last_evaluated_key
            if last_key is None:
                break
    return [model.from_raw_data(i) for i in raw], encode_cursor(last_key, of=of)


def query_all(index_or_model, hash_key: Any, **kwargs) -> list:
    """Every page of a Query (for bounded sets: a well's stages, a stage's events)."""
    return list(index_or_model.query(hash_key, **kwargs))


def chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
