"""Base for every API schema: camelCase on the wire, unknown fields refused."""

from ninja import Schema
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class CamelSchema(Schema):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class OutSchema(BaseModel):
    # A plain pydantic model, not ninja's Schema: answers are built from dicts, never from
    # ORM objects, so ninja's attribute-getter validation (a wrap validator on every nested
    # model) is pure cost: it made a 60-event list spend more time validating than querying.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)
