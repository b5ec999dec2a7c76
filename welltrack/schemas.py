"""Base for every API schema: camelCase on the wire, unknown fields refused."""

from ninja import Schema
from pydantic import ConfigDict
from pydantic.alias_generators import to_camel


class CamelSchema(Schema):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class OutSchema(Schema):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)
