"""What every API module shares: schemas (camelCase on the wire, unknown fields refused; an
answer's schema is the one list of its fields) and a DELETE's version parameter and answer."""

from collections.abc import Callable
from operator import attrgetter
from typing import Any, ClassVar

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
    """An answer's schema, and the one list of what the answer holds: ``values_of(item)``
    reads each of its fields from the model item.

    A plain pydantic model, not ninja's Schema: answers are handed to ninja as dicts, never as
    model items, so ninja's attribute-getter validation (a wrap validator on every nested model)
    is never paid for (docs/performance.md).
    """

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)

    # Fields that are not the item's attribute of the same name: the attribute's name, or a
    # function of the item where the shape differs (a map as a dict, a number as an int).
    sources: ClassVar[dict[str, str | Callable[[Any], Any]]] = {}
    # (field, reader of the item) for each field in order, and (field, attribute) for those read
    # from an attribute: made once per schema from sources.
    readers: ClassVar[tuple[tuple[str, Callable[[Any], Any]], ...]] = ()
    attributes: ClassVar[tuple[tuple[str, str], ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        sources = {name: cls.sources.get(name, name) for name in cls.model_fields}
        cls.readers = tuple(
            (name, attrgetter(source) if isinstance(source, str) else source) for name, source in sources.items()
        )
        cls.attributes = tuple((name, source) for name, source in sources.items() if isinstance(source, str))

    @classmethod
    def values_of(cls, item: Any, **values: Any) -> dict[str, Any]:
        """The answer for ``item``: every field of the schema, from the item's attribute of the
        same name unless ``sources`` names another; ``values`` gives those the item does not hold
        (the caller's role, a member's name)."""
        return {name: values[name] if name in values else read(item) for name, read in cls.readers}
