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


# --- what the kernel relies on in PynamoDB and botocore (an upgrade that changes it fails here) ---


def test_pynamodb_signals_are_real_so_every_client_gets_our_hooks():
    """pynamodb.signals falls back to no-op signals without blinker: then nothing would be counted."""
    from pynamodb import signals

    assert signals.signals_available
    assert _hook_client_is_connected()


def _hook_client_is_connected() -> bool:
    from pynamodb.signals import pre_dynamodb_send

    from welltrack.dynamodb import _hook_client

    return _hook_client in list(pre_dynamodb_send.receivers_for(object()))


def test_a_before_send_hook_answers_instead_of_dynamodb_and_after_call_counts_each_request(user):
    """Both through botocore's public events on the client PynamoDB created (welltrack.dynamodb)."""
    from accounts.models import User
    from welltrack.dynamodb import add_before_send_hook, counting_requests, remove_before_send_hook
    from welltrack.faults import error_response

    seen = []

    def refuse_gets(request, **_kwargs):
        seen.append(request.url)
        return error_response(request.url, "ValidationException", "refused by the test hook")

    with counting_requests() as counter:
        User.get(user.user_id, consistent_read=True)
        User.get(user.user_id, consistent_read=True)
    assert counter["requests"] == 2 and counter["capacity"] > 0

    add_before_send_hook(refuse_gets)
    try:
        with pytest.raises(Exception, match="refused by the test hook"):
            User.get(user.user_id, consistent_read=True)
    finally:
        remove_before_send_hook(refuse_gets)
    assert len(seen) == 1
    assert User.get(user.user_id, consistent_read=True).user_id == user.user_id


def test_pynamodb_keeps_an_items_values_in_attribute_values():
    """from_raw_data and stored_values read and write item.attribute_values directly."""
    from pynamodb.attributes import Attribute

    from wells.models import Event

    event = Event("e-1", title="Spud")
    assert event.attribute_values["title"] == "Spud"
    assert "__set__" in vars(Attribute) and "__get__" in vars(Attribute)
