"""The model parts every app shares: the Tracked mixin's attributes and the Lookups of one item."""

import uuid

import pytest

from accounts.models import UserEmail
from files.models import File
from orgs.models import Organization
from wells.models import Event, Project, Stage, Well
from welltrack.dynamodb import dynamo_connection
from welltrack.errors import DependencyUnavailable, NotFound
from welltrack.faults import Throttler, injected
from welltrack.models import Tracked
from welltrack.tables import ensure_tables

TRACKED = {
    "created_at": "createdAt",
    "updated_at": "updatedAt",
    "created_by": "createdBy",
    "updated_by": "updatedBy",
    "version": "version",
}


@pytest.mark.parametrize("model", [Project, Well, Stage, Event])
def test_a_model_with_the_tracked_mixin_has_its_five_attributes_under_their_stored_names(model):
    assert issubclass(model, Tracked)
    attributes = model.get_attributes()
    assert {name: attributes[name].attr_name for name in TRACKED} == TRACKED
    assert model._version_attribute_name == "version"  # optimistic locking still applies


@pytest.mark.parametrize("model", [Organization, File])
def test_models_without_all_five_keep_their_own(model):
    assert not issubclass(model, Tracked)
    assert "version" in model.get_attributes()


def test_a_tracked_item_is_stored_with_the_attribute_names_of_the_schema(well):
    item = dynamo_connection().client.get_item(TableName=Well.Meta.table_name, Key={"wellId": {"S": well.well_id}})
    assert {"createdAt", "updatedAt", "createdBy", "updatedBy", "version"} <= set(item["Item"])
    assert Well.get_or_none(well.well_id).updated_by == well.updated_by


def test_ensure_tables_finds_nothing_to_do_for_the_models_with_the_mixin():
    assert ensure_tables(log=lambda line: None) == []


def test_get_or_none_answers_the_item_or_none():
    guard = UserEmail(f"lookup-{uuid.uuid4().hex[:10]}@example.com", user_id="u-1")
    guard.save()
    assert UserEmail.get_or_none(guard.email).user_id == "u-1"
    assert UserEmail.get_or_none(f"missing-{uuid.uuid4().hex}@example.com") is None


def test_get_or_404_answers_the_item_or_not_found(well):
    assert Well.get_or_404(well.well_id).name == well.name
    with pytest.raises(NotFound, match="No such well."):
        Well.get_or_404(str(uuid.uuid4()), message="No such well.")


def test_an_unreachable_dynamodb_is_dependency_unavailable_not_none():
    with injected(Throttler(per_call=4, operations={"GetItem"})), pytest.raises(DependencyUnavailable):
        UserEmail.get_or_none("anyone@example.com")
