"""Events: instants and ranges on a well (optionally on one of its stages)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pynamodb.transactions import TransactWrite

from orgs.audit import CREATE, DELETE, UPDATE, audit_created, audit_deleted, audit_diff, audit_record
from welltrack.actor import Actor
from welltrack.dynamodb import plain_map, transact_write
from welltrack.errors import Conflict, ValidationFailed, dynamo_errors
from wells.models import Event, Stage, Well
from wells.services.validation import EVENT_TYPES, TEXT_MAX, USER_EVENT_TYPES, clean_choice, clean_metadata, clean_text
from wells.times import date_key, from_iso, parse_moment, to_iso


def event_values(event: Event) -> dict:
    return {
        "type": event.event_type,
        "title": event.title,
        "description": event.description,
        "stageId": event.stage_id,
        "startTime": event.start_time,
        "endTime": event.end_time,
        "metadata": plain_map(event.metadata),
    }


def duration_seconds(event: Event) -> int:
    if not event.end_time:
        return 0
    return int((from_iso(event.end_time) - from_iso(event.start_time)).total_seconds())


def _grow_longest(tx: TransactWrite, well: Well, seconds: int) -> None:
    # Kept on the well so the window query can reach back far enough; it never shrinks.
    if seconds > int(well.longest_event_seconds or 0):
        tx.update(well, actions=[Well.longest_event_seconds.set(seconds)])
        well.longest_event_seconds = seconds


def _check_stage(well: Well, stage: Stage | None) -> str | None:
    if stage is None:
        return None
    if stage.well_id != well.well_id:
        raise ValidationFailed({"stageId": "Choose a stage of this well."})
    return stage.stage_id


def _clean_times(start, end, *, zone_name: str) -> tuple[datetime, datetime | None]:
    start_moment = parse_moment(start, field="startTime", zone_name=zone_name)
    end_moment = None if end in (None, "") else parse_moment(end, field="endTime", zone_name=zone_name)
    if end_moment is not None and end_moment < start_moment:
        raise ValidationFailed({"endTime": "The end cannot be before the start."})
    return start_moment, end_moment


def event_put_in_transaction(
    tx: TransactWrite, *, actor: Actor, well: Well, event_type: str, title: str, start: datetime,
    end: datetime | None = None, stage_id: str | None = None, description: str = "", metadata: dict | None = None,
    file_id: str | None = None, now: datetime | None = None, grow_longest: bool = True, event_id: str | None = None,
) -> Event:
    """Add an Event and its audit item to a transaction of the caller's (a file upload, a status change).

    Validation is the caller's; the well's longest range duration is kept right.
    """
    now = now or datetime.now(timezone.utc)
    event = Event(
        event_id or str(uuid.uuid4()), well_id=well.well_id, org_id=well.org_id, stage_id=stage_id,
        event_type=event_type, title=title, description=description, start_time=to_iso(start),
        end_time=to_iso(end) if end else None, date_key=date_key(well.well_id, start, well.time_zone),
        metadata=metadata or {}, file_id=file_id, created_at=now, updated_at=now,
        created_by=actor.user_id, updated_by=actor.user_id,
    )
    tx.save(event, condition=Event.event_id.does_not_exist())
    audit_record(tx, actor=actor, org_id=well.org_id, entity_type="EVENT", entity_id=event.event_id,
                 entity_name=event.title, action=CREATE, changes=audit_created(event_values(event)), timestamp=now)
    if grow_longest:
        _grow_longest(tx, well, duration_seconds(event))
    return event


def event_create(*, actor: Actor, well: Well, stage: Stage | None = None, event_type: str, title: str,
                 start, end=None, description: str = "", metadata: dict | None = None) -> Event:
    """A user's event. Naive times are the well's local times. FILE_UPLOAD is refused."""
    event_type = clean_choice(event_type, field="type", choices=USER_EVENT_TYPES)
    title = clean_text(title, field="title", required=True, label="a title")
    description = clean_text(description, field="description", max_length=TEXT_MAX)
    metadata = clean_metadata(metadata)
    stage_id = _check_stage(well, stage)
    start_moment, end_moment = _clean_times(start, end, zone_name=well.time_zone)
    with dynamo_errors(), transact_write() as tx:
        event = event_put_in_transaction(
            tx, actor=actor, well=well, event_type=event_type, title=title, start=start_moment, end=end_moment,
            stage_id=stage_id, description=description, metadata=metadata,
        )
    return event


def event_update(*, actor: Actor, event: Event, well: Well, version: int, stage: Stage | None = None,
                 event_type: str | None = None, title: str | None = None, start=None, end=None,
                 description: str | None = None, metadata: dict | None = None, keep_stage: bool = False) -> Event:
    """Edit with an optimistic lock. A FILE_UPLOAD event keeps its type and file."""
    if int(version) != int(event.version):
        raise Conflict()
    before = event_values(event)
    if event.event_type != "FILE_UPLOAD":
        event.event_type = clean_choice(event_type or event.event_type, field="type", choices=USER_EVENT_TYPES)
    elif event_type not in (None, "FILE_UPLOAD"):
        raise ValidationFailed({"type": "The type of a file upload event cannot change."})
    if title is not None:
        event.title = clean_text(title, field="title", required=True, label="a title")
    if description is not None:
        event.description = clean_text(description, field="description", max_length=TEXT_MAX)
    if metadata is not None:
        event.metadata = clean_metadata(metadata)
    if not keep_stage:
        event.stage_id = _check_stage(well, stage)
    start_moment, end_moment = _clean_times(
        start if start is not None else from_iso(event.start_time),
        end if end is not None else (from_iso(event.end_time) if event.end_time else None),
        zone_name=well.time_zone,
    )
    event.start_time = to_iso(start_moment)
    event.end_time = to_iso(end_moment) if end_moment else None
    event.date_key = date_key(well.well_id, start_moment, well.time_zone)
    changes = audit_diff(before, event_values(event))
    if not changes:
        return event
    now = datetime.now(timezone.utc)
    event.updated_at, event.updated_by = now, actor.user_id
    with dynamo_errors(), transact_write() as tx:
        tx.save(event)
        audit_record(tx, actor=actor, org_id=event.org_id, entity_type="EVENT", entity_id=event.event_id,
                     entity_name=event.title, action=UPDATE, changes=changes, timestamp=now)
        _grow_longest(tx, well, duration_seconds(event))
    return event


def event_reschedule(*, actor: Actor, event: Event, well: Well, version: int, start, end, zone_name: str) -> Event:
    """Move or resize from the calendar: times are local to ``zone_name`` (the calendar's zone)."""
    start_moment = parse_moment(start, field="startTime", zone_name=zone_name)
    end_moment = parse_moment(end, field="endTime", zone_name=zone_name) if end else None
    if event.end_time and end_moment is None:
        # FullCalendar sends no end for an event it shows without one; keep the duration.
        end_moment = start_moment + (from_iso(event.end_time) - from_iso(event.start_time))
    return event_update(actor=actor, event=event, well=well, version=version, keep_stage=True,
                        start=start_moment, end=end_moment if end_moment else "")


def event_delete(*, actor: Actor, event: Event, version: int | None = None) -> None:
    if version is not None and int(version) != int(event.version):
        raise Conflict()
    now = datetime.now(timezone.utc)
    with dynamo_errors(), transact_write() as tx:
        tx.delete(event)
        audit_record(tx, actor=actor, org_id=event.org_id, entity_type="EVENT", entity_id=event.event_id,
                     entity_name=event.title, action=DELETE, changes=audit_deleted(event_values(event)), timestamp=now)


__all__ = ["EVENT_TYPES", "event_create", "event_delete", "event_put_in_transaction", "event_reschedule", "event_update"]
