"""The process caches: bounded, least recently used out first, one owner each, emptied by reset_all."""

import pytest

from welltrack import caches


@pytest.fixture
def cache():
    made = caches.bounded_cache("tests.caches.example", maxsize=2)
    yield made
    caches._registry.pop("tests.caches.example")


def test_a_full_cache_drops_the_least_recently_used_entry(cache):
    cache.set("a", 1)
    cache.set("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.set("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_a_second_owner_of_the_same_cache_is_refused(cache):
    with pytest.raises(RuntimeError, match="already has an owner"):
        caches.bounded_cache("tests.caches.example", maxsize=10)


def test_reset_all_empties_every_registered_cache(cache):
    cache.set("a", 1)
    caches.reset_all()
    assert cache.get("a") is None
