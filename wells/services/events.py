"""Events: instants and ranges on a well (optionally on one of its stages)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pynamodb.transactions import TransactWrite

from wells.models import Event, EventType, Stage, Well, WellLifecycle
from wells.services.counters import well_lower_longest, well_raise_longest
from wells.services.validation import (
    EVENT_TYPES,
    RANGE_MAX,
    RANGE_MAX_MESSAGE,
    TEXT_MAX,
    USER_EVENT_TYPES,
    clean_choice,
    clean_metadata,
    clean_text,
)
from wells.times import date_key, from_iso, in_span, parse_moment, to_iso
from welltrack.actor import Actor
from welltrack.audit import CREATE, DELETE, UPDATE, audit_created, audit_deleted, audit_diff, audit_record
from welltrack.dynamodb import plain_map, transact_write
from welltrack.errors import Conflict, ValidationFailed, dynamo_errors


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


def _well_alive_check(tx: TransactWrite, well: Well, *, seconds: int = 0) -> None:
    # The event's transaction fails if the well is being deleted (hidden first, then its
    # events removed in batches): without this an event written meanwhile would be orphaned.
    # A range's also fails if the well's reach-back no longer covers it: lowered by a deletion
    # since this request's copy of the well said it did (see counters.well_lower_longest).
    condition = Well.well_id.exists() & (Well.lifecycle.does_not_exist() | (Well.lifecycle != WellLifecycle.DELETED))
    if seconds > 0:
        condition &= Well.longest_event_seconds >= seconds
    tx.condition_check(Well, well.well_id, condition=condition)


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
    if end_moment is not None and end_moment - start_moment > RANGE_MAX:
        raise ValidationFailed({"endTime": RANGE_MAX_MESSAGE})
    return start_moment, end_moment


def event_put_in_transaction(
    tx: TransactWrite,
    *,
    actor: Actor,
    well: Well,
    event_type: str,
    title: str,
    start: datetime,
    end: datetime | None = None,
    stage_id: str | None = None,
    description: str = "",
    metadata: dict | None = None,
    file_id: str | None = None,
    now: datetime | None = None,
    grow_longest: bool = True,
    event_id: str | None = None,
    check_well: bool = True,
) -> Event:
    """Add an Event and its audit item to a transaction of the caller's; returns the Event.

    Used by the event services themselves, by a well's status change (STATUS_CHANGE) and by
    the files area, whose upload completion writes its File, a FILE_UPLOAD event and their
    audit items in ONE transaction::

        with dynamo_errors(), transact_write() as tx:
            tx.save(file, condition=...)
            event_put_in_transaction(tx, actor=actor, well=well, event_type="FILE_UPLOAD",
                                     title=f"File uploaded: {name}", start=now, stage_id=stage_id,
                                     file_id=file_id, event_id=event_id)

    - ``start``/``end`` are aware datetimes (stored as UTC ``...Z`` strings); ``dateKey`` is
      derived from the start in the WELL's time zone.
    - Validation (type, title, stage of this well, end not before start) is the caller's:
      this is the system's door, which is why FILE_UPLOAD is accepted here and nowhere else.
    - A range longer than the well's ``longestEventSeconds`` raises it first, in its own
      conditional write (see ``counters.well_raise_longest``: safe if ``tx`` later fails), and
      ``tx`` checks that the well's value still covers the range (see
      ``counters.well_lower_longest``). ``grow_longest=False`` is for callers that know the
      event is an instant.
    - ``check_well`` adds a ConditionCheck that the well exists and is not being deleted;
      pass False only when ``tx`` already writes the well item (DynamoDB allows one
      operation per item in a transaction), as the status change does.
    """
    now = now or datetime.now(UTC)
    event = Event(
        event_id or str(uuid.uuid4()),
        well_id=well.well_id,
        org_id=well.org_id,
        stage_id=stage_id,
        event_type=event_type,
        title=title,
        description=description,
        start_time=to_iso(start),
        end_time=to_iso(end) if end else None,
        date_key=date_key(well.well_id, start, well.time_zone),
        range_well_id=well.well_id if end else None,
        metadata=metadata or {},
        file_id=file_id,
        created_at=now,
        updated_at=now,
        created_by=actor.user_id,
        updated_by=actor.user_id,
    )
    seconds = duration_seconds(event) if grow_longest else 0
    if grow_longest:
        well_raise_longest(well=well, seconds=seconds)
    tx.save(event, condition=Event.event_id.does_not_exist())
    if check_well:
        _well_alive_check(tx, well, seconds=seconds)
    audit_record(
        tx,
        actor=actor,
        org_id=well.org_id,
        entity_type="EVENT",
        entity_id=event.event_id,
        entity_name=event.title,
        action=CREATE,
        changes=audit_created(event_values(event)),
        timestamp=now,
    )
    return event


def event_create(
    *,
    actor: Actor,
    well: Well,
    stage: Stage | None = None,
    event_type: str,
    title: str,
    start,
    end=None,
    description: str = "",
    metadata: dict | None = None,
) -> Event:
    """A user's event. Naive times are the well's local times. FILE_UPLOAD is refused."""
    event_type = clean_choice(event_type, field="type", choices=USER_EVENT_TYPES)
    title = clean_text(title, field="title", required=True, label="a title")
    description = clean_text(description, field="description", max_length=TEXT_MAX)
    metadata = clean_metadata(metadata)
    stage_id = _check_stage(well, stage)
    start_moment, end_moment = _clean_times(start, end, zone_name=well.time_zone)
    with dynamo_errors(), transact_write() as tx:
        event = event_put_in_transaction(
            tx,
            actor=actor,
            well=well,
            event_type=event_type,
            title=title,
            start=start_moment,
            end=end_moment,
            stage_id=stage_id,
            description=description,
            metadata=metadata,
        )
    return event


def event_update(
    *,
    actor: Actor,
    event: Event,
    well: Well,
    version: int,
    stage: Stage | None = None,
    event_type: str | None = None,
    title: str | None = None,
    start=None,
    end=None,
    description: str | None = None,
    metadata: dict | None = None,
    keep_stage: bool = False,
) -> Event:
    """Edit with an optimistic lock. A FILE_UPLOAD event keeps its type and file.

    Shortening the well's longest range lets its reach-back shrink (``well_lower_longest``)."""
    if int(version) != int(event.version):
        raise Conflict()
    before = event_values(event)
    seconds_before = duration_seconds(event)
    if event.event_type != EventType.FILE_UPLOAD:
        event.event_type = clean_choice(event_type or event.event_type, field="type", choices=USER_EVENT_TYPES)
    elif event_type not in (None, EventType.FILE_UPLOAD):
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
    event.range_well_id = event.well_id if end_moment else None
    event.date_key = date_key(well.well_id, start_moment, well.time_zone)
    changes = audit_diff(before, event_values(event))
    if not changes:
        return event
    now = datetime.now(UTC)
    event.updated_at, event.updated_by = now, actor.user_id
    seconds = duration_seconds(event)
    well_raise_longest(well=well, seconds=seconds)
    with dynamo_errors(), transact_write() as tx:
        tx.save(event)
        _well_alive_check(tx, well, seconds=seconds)
        audit_record(
            tx,
            actor=actor,
            org_id=event.org_id,
            entity_type="EVENT",
            entity_id=event.event_id,
            entity_name=event.title,
            action=UPDATE,
            changes=changes,
            timestamp=now,
        )
    if seconds < seconds_before:
        well_lower_longest(
            well_id=well.well_id,
            was=seconds_before,
            changed={event.event_id: seconds},
            seen=int(well.longest_event_seconds or 0),
        )
    return event


def event_reschedule(*, actor: Actor, event: Event, well: Well, version: int, start, end, zone_name: str) -> Event:
    """Move or resize from the calendar: times are local to ``zone_name`` (the calendar's zone)."""
    start_moment = parse_moment(start, field="startTime", zone_name=zone_name)
    end_moment = parse_moment(end, field="endTime", zone_name=zone_name) if end else None
    if event.end_time and end_moment is None:
        # FullCalendar sends no end for an event it shows without one; keep the duration.
        try:
            end_moment = in_span(
                start_moment + (from_iso(event.end_time) - from_iso(event.start_time)), field="endTime"
            )
        except OverflowError:  # a duration stored before ranges were bounded
            raise ValidationFailed({"endTime": RANGE_MAX_MESSAGE}) from None
    return event_update(
        actor=actor,
        event=event,
        well=well,
        version=version,
        keep_stage=True,
        start=start_moment,
        end=end_moment if end_moment else "",
    )


def event_delete(*, actor: Actor, event: Event, well: Well | None = None, version: int | None = None) -> None:
    """Delete with an optimistic lock. Deleting the well's longest range lets its reach-back
    shrink (``well_lower_longest``; ``well`` is the caller's copy, read if not given)."""
    if version is not None and int(version) != int(event.version):
        raise Conflict()
    now = datetime.now(UTC)
    with dynamo_errors(), transact_write() as tx:
        tx.delete(event)
        audit_record(
            tx,
            actor=actor,
            org_id=event.org_id,
            entity_type="EVENT",
            entity_id=event.event_id,
            entity_name=event.title,
            action=DELETE,
            changes=audit_deleted(event_values(event)),
            timestamp=now,
        )
    well_lower_longest(
        well_id=event.well_id,
        was=duration_seconds(event),
        changed={event.event_id: 0},
        seen=int(well.longest_event_seconds or 0) if well is not None else None,
    )


__all__ = [
    "EVENT_TYPES",
    "event_create",
    "event_delete",
    "event_put_in_transaction",
    "event_reschedule",
    "event_update",
]
