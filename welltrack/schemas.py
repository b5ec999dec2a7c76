"""What every API module shares: schemas (camelCase on the wire, unknown fields refused) and
a DELETE's version parameter and answer."""

from collections.abc import Callable

from ninja import Query, Schema, Status
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from welltrack.errors import Conflict

VERSION_TO_DELETE = Query(
    None,
    description="The version you looked at: if the item changed since, nothing is "
    "deleted and the answer is 409 with its current values.",
)


def deleted_or_stale(delete: Callable[[], object], current: Callable[[], dict]) -> Status:
    """A DELETE's answer: 204 once ``delete()`` is done; 409 with the item's ``current()``
    values when it changed since the version the client sent (nothing was deleted)."""
    try:
        delete()
    except Conflict as exc:
        return Status(409, {"detail": exc.message, "current": current()})
    return Status(204, None)


class CamelSchema(Schema):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class OutSchema(BaseModel):
    # A plain pydantic model, not ninja's Schema: answers are built from dicts, never from
    # ORM objects, so ninja's attribute-getter validation (a wrap validator on every nested
    # model) is pure cost: it made a 60-event list spend more time validating than querying.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)
