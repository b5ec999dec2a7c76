"""WellTrackModel.from_raw_data (the fast one) builds exactly what PynamoDB's own builds."""

from datetime import UTC, datetime

import pytest
from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.models import Model

from welltrack.dynamodb import registered_models


def _sample(attribute, n: int):
    """A value of the attribute's type; ``n`` makes each attribute's value different."""
    if isinstance(attribute, MapAttribute):
        if attribute.is_raw():
            return {"note": f"value {n}", "depth": n, "nested": {"ok": True}}
        return type(attribute)(
            **{name: _sample(sub, n + i) for i, (name, sub) in enumerate(attribute.get_attributes().items())}
        )
    if isinstance(attribute, ListAttribute):
        return [f"tag-{n}", f"tag-{n + 1}"]
    if isinstance(attribute, TTLAttribute):
        return datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    if isinstance(attribute, UTCDateTimeAttribute):
        return datetime(2026, 11, 25, 4, 57, 36, 630516 + n, tzinfo=UTC)
    if isinstance(attribute, VersionAttribute):
        return 3
    if isinstance(attribute, NumberAttribute):
        return n + 0.5 if n % 2 else n
    if isinstance(attribute, UnicodeAttribute):
        return f"{attribute.attr_name}-{n}"
    raise AssertionError(f"no sample for {type(attribute).__name__}: add one")


def _raw(model, values: dict) -> dict:
    item = model(_user_instantiated=False)
    for name, value in values.items():
        setattr(item, name, value)
    return item.serialize(null_check=False)


def _built(item) -> dict:
    """What a reader sees: every attribute's value, type and serialized form."""
    return {
        name: (
            type(getattr(item, name)),
            getattr(item, name) if not isinstance(getattr(item, name), MapAttribute) else getattr(item, name).as_dict(),
        )
        for name in item.get_attributes()
    }


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m.__name__)
def test_items_read_from_dynamodb_are_built_as_pynamodb_builds_them(model):
    attributes = model.get_attributes()
    full = _raw(model, {name: _sample(attribute, i) for i, (name, attribute) in enumerate(attributes.items())})
    keys_only = {
        attribute.attr_name: full[attribute.attr_name]
        for attribute in attributes.values()
        if attribute.is_hash_key or attribute.is_range_key
    }
    nulls = {
        **keys_only,
        **{
            attribute.attr_name: {"NULL": True}
            for attribute in attributes.values()
            if not (attribute.is_hash_key or attribute.is_range_key)
        },
    }
    for data in (full, keys_only, nulls):
        fast, pynamodb = model.from_raw_data(data), Model.from_raw_data.__func__(model, data)
        assert type(fast) is type(pynamodb) is model
        assert _built(fast) == _built(pynamodb)
        assert fast.serialize(null_check=False) == pynamodb.serialize(null_check=False)
    # Every attribute really came through (a sample the test forgot would compare None to None).
    assert all(getattr(model.from_raw_data(full), name) is not None for name in attributes)


def test_a_raw_map_read_back_is_a_map_attribute_not_a_dict():
    from wells.models import Project

    project = Project.from_raw_data(_raw(Project, {"project_id": "p", "well_counts": {"ACTIVE": 2}}))
    assert isinstance(project.well_counts, MapAttribute) and project.well_counts.as_dict() == {"ACTIVE": 2}
