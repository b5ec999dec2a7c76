"""Helpers of the timeline tests: events through the service, busy wells in bulk, feed calls."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from django.test import Client

from wells import services
from wells.models import Event, Well
from wells.testing import actor_for
from wells.times import date_key, to_iso


def add(org_world, well, title, start, end=None, stage=None, kind="ACTIVITY"):
    """An event through the service, with a fresh copy of the well (its longest range may have grown)."""
    return services.event_create(
        actor=actor_for(org_world.users["EDITOR"]),
        well=Well.get(well.well_id),
        event_type=kind,
        title=title,
        start=start,
        end=end,
        stage=stage,
    )


def stage(org_world, well, name, start=None, end=None, stage_type="DRILLING", status="PLANNED"):
    return services.stage_create(
        actor=actor_for(org_world.users["EDITOR"]),
        well=Well.get(well.well_id),
        name=name,
        stage_type=stage_type,
        start=start,
        end=end,
        status=status,
    )


def bulk_instants(well, count: int, *, first: datetime, every: timedelta, title: str = "Report") -> None:
    """``count`` instant events written with batch writes, the items the service writes (without
    audit): a busy well's month in a second rather than a minute."""
    now = datetime.now(UTC)
    with Event.batch_write() as batch:
        for n in range(count):
            moment = first + every * n
            batch.save(
                Event(
                    str(uuid.uuid4()),
                    well_id=well.well_id,
                    org_id=well.org_id,
                    stage_id=None,
                    event_type="ACTIVITY",
                    title=f"{title} {n}",
                    description="",
                    start_time=to_iso(moment),
                    end_time=None,
                    date_key=date_key(well.well_id, moment, well.time_zone),
                    metadata={},
                    file_id=None,
                    range_well_id=None,
                    created_at=now,
                    updated_at=now,
                    created_by="bulk",
                    updated_by="bulk",
                    version=1,
                )
            )


def get_feed(client: Client, url: str, start: str, end: str, **params):
    """The feed's response (asserting 200) for the window, with the query parameters given."""
    query = "&".join(f"{k}={v}" for k, v in {"start": start, "end": end, **params}.items())
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200, response.content
    return response


def events_of(items) -> list[dict]:
    return [i for i in items if i["extendedProps"]["kind"] == "event"]


def titles(items) -> list[str]:
    return [i["title"] for i in events_of(items)]
