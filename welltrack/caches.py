"""Process-level caches: each has one owner, a bound, an eviction rule, and a reset.

A module that keeps something for the life of the process asks :func:`bounded_cache` for a
least-recently-used map (``cachetools.LRUCache``) and is its only user. What such a cache holds
is a hint, never an authority: every owner's docstring says how a wrong or missing entry is
detected and what it costs then (one more read, never a wrong answer).

:func:`reset_all` empties every cache; the test suite calls it before each test (an autouse
fixture in the root conftest), so no test depends on what another left behind.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from cachetools import LRUCache

_registry: dict[str, BoundedCache] = {}


class BoundedCache:
    """A thread-safe LRU map of at most ``maxsize`` entries; the least recently used goes first."""

    def __init__(self, name: str, maxsize: int) -> None:
        self.name = name
        self._lru: LRUCache = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            return self._lru.get(key, default)

    def set(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._lru[key] = value

    def discard(self, key: Hashable) -> None:
        with self._lock:
            self._lru.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._lru.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._lru)

    @property
    def maxsize(self) -> int:
        return int(self._lru.maxsize)


def bounded_cache(name: str, *, maxsize: int) -> BoundedCache:
    """A new cache registered under ``name`` (one owner: a second registration is a mistake)."""
    if name in _registry:
        raise RuntimeError(f"the process cache {name!r} already has an owner")
    cache = BoundedCache(name, maxsize)
    _registry[name] = cache
    return cache


def reset_all() -> None:
    """Empty every process cache (tests call this before each test)."""
    for cache in _registry.values():
        cache.clear()


def registered() -> dict[str, BoundedCache]:
    return dict(_registry)
