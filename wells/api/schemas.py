"""The JSON shapes of projects, wells, stages and events: what each request takes and what
each answer holds (an answer is built from the model item by its schema: OutSchema.values_of)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from wells.models import Event, Well
from welltrack.dynamodb import plain_map, stored_values
from welltrack.schemas import CamelSchema, OutSchema


def _location(well: Well) -> dict[str, float] | None:
    location = well.location
    if location is None or location.latitude is None:
        return None
    return {"latitude": location.latitude, "longitude": location.longitude}


class ProjectIn(CamelSchema):
    org_id: str = Field(max_length=64)
    name: str = Field(max_length=500)
    location: str = Field(default="", max_length=500)
    description: str = Field(default="", max_length=10000)


class ProjectPatch(CamelSchema):
    version: int
    name: str | None = Field(default=None, max_length=500)
    location: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=10000)
    status: str | None = Field(default=None, max_length=50)


class ProjectOut(OutSchema):
    project_id: str
    org_id: str
    name: str
    location: str
    description: str
    status: str
    well_counts: dict[str, int]
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int

    sources = {"well_counts": lambda p: {status: int(n) for status, n in plain_map(p.well_counts).items()}}


class LocationSchema(CamelSchema):
    latitude: float
    longitude: float


class WellIn(CamelSchema):
    project_id: str = Field(max_length=64)
    name: str = Field(max_length=500)
    well_number: str = Field(default="", max_length=500)
    location: LocationSchema | None = None
    depth: float | None = None
    status: str = Field(default="PLANNING", max_length=50)
    start_date: str | None = Field(default=None, max_length=50)
    end_date: str | None = Field(default=None, max_length=50)
    metadata: dict[str, Any] = Field(default_factory=dict)
    time_zone: str | None = Field(default=None, max_length=100)


class WellPatch(CamelSchema):
    version: int
    name: str | None = Field(default=None, max_length=500)
    well_number: str | None = Field(default=None, max_length=500)
    location: LocationSchema | None = None
    depth: float | None = None
    status: str | None = Field(default=None, max_length=50)
    start_date: str | None = Field(default=None, max_length=50)
    end_date: str | None = Field(default=None, max_length=50)
    metadata: dict[str, Any] | None = None
    time_zone: str | None = Field(default=None, max_length=100)


class LocationOut(OutSchema):
    latitude: float
    longitude: float


class WellOut(OutSchema):
    well_id: str
    project_id: str
    org_id: str
    name: str
    well_number: str
    location: LocationOut | None
    depth: float | None
    status: str
    start_date: str | None
    end_date: str | None
    metadata: dict[str, Any]
    time_zone: str
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int

    sources = {"location": _location, "metadata": lambda w: plain_map(w.metadata)}


class StageIn(CamelSchema):
    well_id: str = Field(max_length=64)
    name: str = Field(max_length=500)
    type: str = Field(default="OTHER", max_length=50)
    status: str = Field(default="PLANNED", max_length=50)
    start_date: str | None = Field(default=None, max_length=50)
    end_date: str | None = Field(default=None, max_length=50)
    description: str = Field(default="", max_length=10000)


class StagePatch(CamelSchema):
    version: int
    name: str | None = Field(default=None, max_length=500)
    type: str | None = Field(default=None, max_length=50)
    status: str | None = Field(default=None, max_length=50)
    start_date: str | None = Field(default=None, max_length=50)
    end_date: str | None = Field(default=None, max_length=50)
    description: str | None = Field(default=None, max_length=10000)
    order: int | None = Field(default=None, description="Move the stage to this position (0-based).")


class StageOut(OutSchema):
    stage_id: str
    well_id: str
    name: str
    type: str
    status: str
    start_date: datetime | None
    end_date: datetime | None
    order: int
    description: str
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int

    sources = {"type": "stage_type", "order": lambda s: int(s.order)}


class EventIn(CamelSchema):
    well_id: str = Field(max_length=64)
    stage_id: str | None = Field(default=None, max_length=64)
    type: str = Field(max_length=50)
    title: str = Field(max_length=500)
    description: str = Field(default="", max_length=10000)
    start_time: str = Field(max_length=50, description="ISO 8601; without an offset it is the well's local time.")
    end_time: str | None = Field(default=None, max_length=50)
    metadata: dict[str, Any] = Field(default_factory=dict)


class EventPatch(CamelSchema):
    version: int
    stage_id: str | None = Field(default=None, max_length=64)
    type: str | None = Field(default=None, max_length=50)
    title: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=10000)
    start_time: str | None = Field(default=None, max_length=50)
    end_time: str | None = Field(default=None, max_length=50)
    metadata: dict[str, Any] | None = None


class EventOut(OutSchema):
    event_id: str
    well_id: str
    stage_id: str | None
    type: str
    title: str
    description: str
    start_time: str
    end_time: str | None
    metadata: dict[str, Any]
    file_id: str | None
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int

    sources = {"type": "event_type"}

    @classmethod
    def values_of(cls, item: Event) -> dict[str, Any]:
        """OutSchema.values_of, read from the item's stored values (welltrack.dynamodb.stored_values) by the
        schema's list of fields and attributes (made once), not through PynamoDB's attribute
        descriptors: a day's list answers dozens of events (docs/performance.md)."""
        stored = stored_values(item)
        answer = {name: stored.get(attribute) for name, attribute in cls.attributes}
        answer["metadata"] = plain_map(answer["metadata"])
        return answer


class ProjectStale(OutSchema):
    detail: str
    current: ProjectOut


class WellStale(OutSchema):
    detail: str
    current: WellOut


class StageStale(OutSchema):
    detail: str
    current: StageOut


class EventStale(OutSchema):
    detail: str
    current: EventOut


class Page(OutSchema):
    next_cursor: str | None = None


class ProjectPage(Page):
    items: list[ProjectOut]


class WellPage(Page):
    items: list[WellOut]


class StagePage(Page):
    items: list[StageOut]


class EventPage(Page):
    items: list[EventOut]
