"""The one place that knows DynamoDB's endpoint, region, table prefix and connection.

PynamoDB freezes a model's ``Meta`` at import and caches its connection; every model of
the project derives from :class:`WellTrackModel`, which registers it here, so
:func:`configure_models` can point them all at another endpoint or prefix (tests do).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from pynamodb.attributes import Attribute
from pynamodb.connection import Connection
from pynamodb.models import Model
from pynamodb.signals import pre_dynamodb_send
from pynamodb.transactions import TransactGet, TransactWrite

from welltrack.errors import dynamo_errors
from welltrack.lookups import Lookups

_registry: list[type[Model]] = []
_shared_connection: Connection | None = None


def table_name(name: str) -> str:
    return f"{settings.WELLTRACK_TABLE_PREFIX}{name}"


def _credentials() -> dict[str, str | None]:
    # DynamoDB Local accepts any credentials but botocore insists on having some.
    if settings.DYNAMODB_ENDPOINT and not os.environ.get("AWS_ACCESS_KEY_ID"):
        return {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
    return {"aws_access_key_id": None, "aws_secret_access_key": None}


def _connection_options() -> dict[str, Any]:
    return {
        "region": settings.AWS_REGION,
        "host": settings.DYNAMODB_ENDPOINT,
        "connect_timeout_seconds": settings.DYNAMODB_CONNECT_TIMEOUT,
        "read_timeout_seconds": settings.DYNAMODB_READ_TIMEOUT,
        "max_retry_attempts": settings.DYNAMODB_MAX_RETRIES,
        "max_pool_connections": 20,
        **_credentials(),
    }


def _apply_settings(model: type[Model]) -> None:
    meta = model.Meta
    meta.table_name = table_name(meta.base_name)
    for key, value in _connection_options().items():
        setattr(meta, key, value)
    meta.billing_mode = "PAY_PER_REQUEST"
    model._connection = None


class WellTrackModel(Lookups, Model):
    """Base of every table. A subclass's ``Meta`` names only ``base_name``."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._raw_plan = None
        if hasattr(cls, "Meta") and getattr(cls.Meta, "base_name", None):
            _registry.append(cls)
            _apply_settings(cls)

    @classmethod
    def from_raw_data(cls, data: dict[str, Any]) -> WellTrackModel:
        """PynamoDB's from_raw_data in half the time; every item a Query or a get returns passes
        here (60 of them for a busy day of a well). `make bench` misses p50_vs_raw_ratio without it.

        Relies on PynamoDB internals: an item keeps its Python values in ``attribute_values``
        (where the plain ``Attribute.__set__`` descriptor puts them), ``Attribute.get_value`` /
        ``deserialize``, and ``_get_discriminator_attribute``. PynamoDB computes every default,
        twice, and stores every value through its descriptor; this stores a value straight into
        ``attribute_values`` unless its attribute converts on assignment (maps, versions, TTLs),
        and computes a default only for an attribute the item lacks. welltrack/tests/
        test_dynamodb.py compares the result with PynamoDB's own on every model and checks the
        storage rule, so an upgrade that changes either fails there.
        """
        if data is None or cls._get_discriminator_attribute() is not None:
            return super().from_raw_data(data)
        plan = cls._raw_plan
        if plan is None:
            attributes = cls.get_attributes().items()
            plan = cls._raw_plan = (
                [
                    (name, attribute.attr_name, attribute, type(attribute).__set__ is Attribute.__set__)
                    for name, attribute in attributes
                ],
                [
                    (name, attribute.default, type(attribute).__set__ is Attribute.__set__)
                    for name, attribute in attributes
                    if attribute.default is not None
                ],
            )
        stored, defaults = plan
        instance = cls.__new__(cls)
        values = instance.attribute_values = {}
        for name, attr_name, attribute, plain in stored:
            raw = data.get(attr_name)
            if raw and "NULL" not in raw:
                value = attribute.deserialize(attribute.get_value(raw))
                if plain:
                    values[name] = value
                else:
                    setattr(instance, name, value)
        for name, default, plain in defaults:
            if name not in values:
                value = default() if callable(default) else default
                if value is None:
                    continue
                if plain:
                    values[name] = value
                else:
                    setattr(instance, name, value)
        return instance


def stored_values(item: Model) -> dict[str, Any]:
    """The item's Python values by attribute name, as PynamoDB keeps them (``attribute_values``,
    the same internal from_raw_data relies on): for answers that read every field of many items
    (an event list), without a descriptor call per field."""
    return item.attribute_values


def registered_models() -> list[type[Model]]:
    return list(_registry)


def configure_models() -> None:
    """Re-read endpoint, region and prefix from settings for every model and the shared connection."""
    global _shared_connection
    for model in _registry:
        _apply_settings(model)
    _shared_connection = None


def dynamo_connection() -> Connection:
    """The connection used for transactions that span tables."""
    global _shared_connection
    if _shared_connection is None:
        _shared_connection = Connection(**_connection_options())
    return _shared_connection


@contextmanager
def transact_write() -> Iterator[TransactWrite]:
    """A TransactWrite on the shared connection; errors are mapped by welltrack.errors."""
    with TransactWrite(connection=dynamo_connection()) as transaction:
        yield transaction


def transact_get() -> TransactGet:
    return TransactGet(connection=dynamo_connection())


# --- botocore event hooks on every client ----------------------------------------------------
# PynamoDB creates a botocore client per Connection and sends its public ``pre_dynamodb_send``
# signal (blinker) with that Connection before every request. On first sight of a client we
# register two handlers on the client's own event system (botocore's public hooks):
# ``before-send`` runs the hooks of add_before_send_hook() (a test's fault injection answers a
# request there, and botocore's retry logic runs as it would against a throttling AWS), and
# ``after-call`` counts the request and its consumed capacity (PynamoDB always asks for
# ReturnConsumedCapacity=TOTAL). welltrack/tests/test_dynamodb.py fails if either stops working.
_before_send_hooks: list[Callable[..., Any]] = []
_hooked_clients: weakref.WeakSet = weakref.WeakSet()
_hook_lock = threading.Lock()


def _before_send(request: Any, **kwargs: Any) -> Any:
    for hook in list(_before_send_hooks):
        response = hook(request=request, **kwargs)
        if response is not None:
            return response
    return None


def _after_call(http_response: Any = None, parsed: dict | None = None, **_kwargs: Any) -> None:
    counter = _metrics.get()
    if counter is None or http_response is None or http_response.status_code >= 300:
        return
    consumed = (parsed or {}).get("ConsumedCapacity")
    entries = consumed if isinstance(consumed, list) else [consumed] if consumed else []
    _add(counter, 1, sum(float(entry.get("CapacityUnits", 0) or 0) for entry in entries))


def _hook_client(sender: Connection, **_kwargs: Any) -> None:
    client = sender.client
    if client in _hooked_clients:
        return
    with _hook_lock:
        if client not in _hooked_clients:
            client.meta.events.register("before-send.dynamodb", _before_send)
            client.meta.events.register("after-call.dynamodb", _after_call)
            _hooked_clients.add(client)


pre_dynamodb_send.connect(_hook_client, weak=False)


# --- per-request metrics ----------------------------------------------------------------
# The counter lives in a context variable, not a thread-local: a page that fans its queries
# out to a thread pool (welltrack.concurrency copies the context into each task) still counts
# them. The counter is one dict shared by the tasks, so increments take a lock.
_metrics: ContextVar[dict | None] = ContextVar("welltrack_dynamodb_counter", default=None)
_metrics_lock = threading.Lock()


def _add(counter: dict, requests: int, capacity: float) -> None:
    with _metrics_lock:
        counter["requests"] += requests
        counter["capacity"] += capacity


@contextmanager
def counting_requests() -> Iterator[dict]:
    """Count the DynamoDB requests and consumed capacity units made inside the block,
    including those of thread-pool tasks started with a copy of this context."""
    previous = _metrics.get()
    counter = {"requests": 0, "capacity": 0.0}
    token = _metrics.set(counter)
    try:
        yield counter
    finally:
        _metrics.reset(token)
        if previous is not None:
            _add(previous, counter["requests"], counter["capacity"])


def add_before_send_hook(hook: Callable[..., Any]) -> None:
    _before_send_hooks.append(hook)


def remove_before_send_hook(hook: Callable[..., Any]) -> None:
    if hook in _before_send_hooks:
        _before_send_hooks.remove(hook)


def batch_get_consistent(requests: list[tuple[type[Model], str]]) -> list[Model | None]:
    """Strongly consistent reads of items of several tables in one BatchGetItem.

    ``requests`` is ``[(Model, hash_key), …]`` (tables without a range key); the result
    has the items in the same order, None where an item does not exist.
    """

    request_items: dict[str, dict] = {}
    for model, key in requests:
        entry = request_items.setdefault(model.Meta.table_name, {"Keys": [], "ConsistentRead": True})
        entry["Keys"].append({model._hash_key_attribute().attr_name: {"S": key}})
    found: dict[tuple[str, str], dict] = {}
    connection = dynamo_connection()
    with dynamo_errors():
        while request_items:
            response = connection.dispatch("BatchGetItem", {"RequestItems": request_items})
            for table, items in response.get("Responses", {}).items():
                for item in items:
                    for model, _ in requests:
                        if model.Meta.table_name == table:
                            key_name = model._hash_key_attribute().attr_name
                            found[(table, item[key_name]["S"])] = item
                            break
            request_items = response.get("UnprocessedKeys") or {}
    results: list[Model | None] = []
    for model, key in requests:
        raw = found.get((model.Meta.table_name, key))
        results.append(model.from_raw_data(raw) if raw is not None else None)
    return results


def plain_map(value: Any) -> dict:
    """A raw MapAttribute's content as a plain dict (it is a dict only when freshly assigned)."""
    if value is None:
        return {}
    if hasattr(value, "as_dict"):
        return value.as_dict()
    return dict(value)
