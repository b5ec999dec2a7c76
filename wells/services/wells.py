"""Wells: create, edit (a status change also writes a STATUS_CHANGE event), delete."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import django.dispatch
from pynamodb.exceptions import UpdateError

from wells import selectors
from wells.models import Event, EventType, Location, Project, Stage, Well, WellLifecycle, WellStatus
from wells.services.counters import project_counts_in_transaction
from wells.services.events import event_put_in_transaction
from wells.services.validation import (
    NAME_MAX,
    WELL_STATUSES,
    clean_choice,
    clean_metadata,
    clean_number,
    clean_text,
    clean_time_zone,
)
from wells.times import date_key, from_iso, parse_date
from welltrack.actor import Actor
from welltrack.audit import CREATE, DELETE, UPDATE, audit_created, audit_deleted, audit_diff, audit_record
from welltrack.dynamodb import plain_map, transact_write
from welltrack.errors import Conflict, ValidationFailed, condition_failed, dynamo_errors

# Sent after a well's stages and events are gone and before its item is deleted; the files
# area listens and removes the well's files (it owns that table).
well_deleting = django.dispatch.Signal()


def well_values(well: Well) -> dict:
    location = well.location
    return {
        "name": well.name,
        "wellNumber": well.well_number,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "depth": well.depth,
        "status": well.status,
        "startDate": well.start_date,
        "endDate": well.end_date,
        "metadata": plain_map(well.metadata),
        "timeZone": well.time_zone,
    }


def _clean_well_fields(fields: dict) -> dict:
    latitude = clean_number(
        fields.get("latitude"), field="latitude", minimum=-90, maximum=90, label="a latitude in degrees"
    )
    longitude = clean_number(
        fields.get("longitude"), field="longitude", minimum=-180, maximum=180, label="a longitude in degrees"
    )
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        raise ValidationFailed({missing: "Give both latitude and longitude, or neither."})
    start = parse_date(fields.get("start_date"), field="startDate")
    end = parse_date(fields.get("end_date"), field="endDate")
    if start and end and end < start:
        raise ValidationFailed({"endDate": "The end date cannot be before the start date."})
    return {
        "name": clean_text(
            fields.get("name"), field="name", required=True, max_length=NAME_MAX, label="the well's name"
        ),
        "well_number": clean_text(fields.get("well_number"), field="wellNumber", max_length=100),
        "latitude": latitude,
        "longitude": longitude,
        "depth": clean_number(fields.get("depth"), field="depth", minimum=0, maximum=20000, label="a depth in metres"),
        "status": clean_choice(fields.get("status") or WellStatus.PLANNING, field="status", choices=WELL_STATUSES),
        "start_date": start.isoformat() if start else None,
        "end_date": end.isoformat() if end else None,
        "metadata": clean_metadata(fields.get("metadata")),
        "time_zone": clean_time_zone(fields.get("time_zone") or "UTC"),
    }


def _apply(well: Well, cleaned: dict) -> None:
    well.name = cleaned["name"]
    well.well_number = cleaned["well_number"]
    well.location = (
        Location(latitude=cleaned["latitude"], longitude=cleaned["longitude"])
        if cleaned["latitude"] is not None
        else None
    )
    well.depth = cleaned["depth"]
    well.status = cleaned["status"]
    well.start_date = cleaned["start_date"]
    well.end_date = cleaned["end_date"]
    well.metadata = cleaned["metadata"]
    well.time_zone = cleaned["time_zone"]
    well.drilling_org_id = well.org_id if well.status == WellStatus.DRILLING else None


def _set(attribute, value):
    """An update action for an attribute the form edits: SET it, or REMOVE it when emptied."""
    return attribute.remove() if value is None else attribute.set(value)


def _edit_actions(well: Well) -> list:
    """The update of a well's editable fields (and what derives from them) from its copy.

    Never the bookkeeping that other writes change without the version (``longestEventSeconds``,
    ``stageCount``, see counters.py) nor ``lifecycle``: writing the whole item from a copy
    opened earlier would put their old values back.
    """
    return [
        Well.name.set(well.name),
        Well.well_number.set(well.well_number),
        _set(Well.location, well.location),
        _set(Well.depth, well.depth),
        Well.status.set(well.status),
        _set(Well.start_date, well.start_date),
        _set(Well.end_date, well.end_date),
        Well.metadata.set(plain_map(well.metadata)),
        Well.time_zone.set(well.time_zone),
        _set(Well.drilling_org_id, well.drilling_org_id),
        Well.updated_at.set(well.updated_at),
        Well.updated_by.set(well.updated_by),
    ]


def well_create(*, actor: Actor, project: Project, **fields) -> Well:
    """The well, the project's count of wells by status, and the audit item, in one transaction.

    ``fields``: name, well_number, latitude, longitude, depth, status, start_date, end_date,
    metadata (dict), time_zone.
    """
    cleaned = _clean_well_fields(fields)
    now = datetime.now(UTC)
    well = Well(
        str(uuid.uuid4()),
        project_id=project.project_id,
        org_id=project.org_id,
        longest_event_seconds=0,
        lifecycle=WellLifecycle.ACTIVE,
        created_at=now,
        updated_at=now,
        created_by=actor.user_id,
        updated_by=actor.user_id,
    )
    _apply(well, cleaned)
    with dynamo_errors(), transact_write() as tx:
        tx.save(well, condition=Well.well_id.does_not_exist())
        project_counts_in_transaction(tx, project_id=project.project_id, deltas={well.status: 1})
        audit_record(
            tx,
            actor=actor,
            org_id=well.org_id,
            entity_type="WELL",
            entity_id=well.well_id,
            entity_name=well.name,
            action=CREATE,
            changes=audit_created(well_values(well)),
            timestamp=now,
        )
    return well


def well_update(*, actor: Actor, well: Well, project: Project, version: int, **fields) -> Well:
    """Edit with an optimistic lock. A status change updates the project's counts and writes a
    STATUS_CHANGE event ("Status changed from PLANNING to DRILLING"), all in one transaction."""
    if int(version) != int(well.version):
        raise Conflict()
    cleaned = _clean_well_fields(fields)
    before = well_values(well)
    old_status = well.status
    _apply(well, cleaned)
    changes = audit_diff(before, well_values(well))
    if not changes:
        return well
    now = datetime.now(UTC)
    well.updated_at, well.updated_by = now, actor.user_id
    with dynamo_errors(), transact_write() as tx:
        # Only the edited fields, under the version condition (``tx.update`` adds it and bumps it).
        tx.update(well, actions=_edit_actions(well), condition=_not_being_deleted())
        audit_record(
            tx,
            actor=actor,
            org_id=well.org_id,
            entity_type="WELL",
            entity_id=well.well_id,
            entity_name=well.name,
            action=UPDATE,
            changes=changes,
            timestamp=now,
        )
        if well.status != old_status:
            project_counts_in_transaction(tx, project_id=project.project_id, deltas={old_status: -1, well.status: 1})
            event_put_in_transaction(
                tx,
                actor=actor,
                well=well,
                event_type=EventType.STATUS_CHANGE,
                title=f"Status changed from {old_status} to {well.status}",
                start=now,
                metadata={"from": old_status, "to": well.status},
                now=now,
                grow_longest=False,
                check_well=False,
            )
    if before["timeZone"] != well.time_zone:
        _rekey_event_dates(well)
    return well


def _not_being_deleted():
    return Well.lifecycle.does_not_exist() | (Well.lifecycle != WellLifecycle.DELETED)


def _rekey_event_dates(well: Well) -> int:
    """After a change of the well's zone, give its events the ``dateKey`` of their start in the
    new zone (DateEventsIndex). Returns how many changed.

    A rare, deliberate edit whose cost is the well's history, so it runs after the well's own
    transaction, one conditional UpdateItem per event whose date differs: the condition (its
    ``startTime`` unchanged) skips an event that was moved meanwhile, whose own edit computed
    its key. The version is not touched: nothing a user typed changes. The window query and
    "events of a date" do not use ``dateKey`` and are right throughout.
    """
    changed = 0
    connection = Event._get_connection()
    with dynamo_errors():
        for event in Event.well_events_index.query(well.well_id):
            key = date_key(well.well_id, from_iso(event.start_time), well.time_zone)
            if key == event.date_key:
                continue
            try:
                connection.update_item(
                    event.event_id, actions=[Event.date_key.set(key)], condition=Event.start_time == event.start_time
                )
                changed += 1
            except UpdateError as exc:
                if not condition_failed(exc):
                    raise
    return changed


def well_delete(
    *, actor: Actor, well: Well, version: int | None = None, project_already_hidden: bool = False
) -> dict[str, int]:
    """Delete a well with its stages, events and files.

    ``version`` is the one the confirmation showed: a well changed since is not deleted
    (Conflict). The well is hidden first (lifecycle DELETED, counts updated, audited, one
    transaction under the version condition), so no page shows a half-deleted well; then its
    events and stages go in batches, the files area removes its files (signal
    ``well_deleting``), and the well item goes last. Returns how much went.
    """
    if version is not None and int(version) != int(well.version):
        raise Conflict()
    now = datetime.now(UTC)
    if well.lifecycle != WellLifecycle.DELETED:
        with dynamo_errors(), transact_write() as tx:
            tx.update(
                well,
                actions=[
                    Well.lifecycle.set(WellLifecycle.DELETED),
                    Well.drilling_org_id.remove(),
                    Well.updated_at.set(now),
                    Well.updated_by.set(actor.user_id),
                ],
            )
            if not project_already_hidden:
                project_counts_in_transaction(tx, project_id=well.project_id, deltas={well.status: -1})
            audit_record(
                tx,
                actor=actor,
                org_id=well.org_id,
                entity_type="WELL",
                entity_id=well.well_id,
                entity_name=well.name,
                action=DELETE,
                changes=audit_deleted_values(well),
                timestamp=now,
            )
        well.lifecycle, well.updated_at, well.updated_by, well.drilling_org_id = (
            WellLifecycle.DELETED,
            now,
            actor.user_id,
            None,
        )
    event_ids = selectors.well_event_ids_all(well_id=well.well_id)
    stages = selectors.stage_list_all(well_id=well.well_id)
    with dynamo_errors():
        with Event.batch_write() as batch:
            for event_id in event_ids:
                batch.delete(Event(event_id))
        with Stage.batch_write() as batch:
            for stage in stages:
                batch.delete(Stage(stage.stage_id))
    responses = well_deleting.send(sender=Well, well=well, actor=actor)
    files = sum(result or 0 for _, result in responses)
    with dynamo_errors():
        Well(well.well_id).delete(add_version_condition=False)
    return {"events": len(event_ids), "stages": len(stages), "files": files}


def audit_deleted_values(well: Well) -> dict:
    return audit_deleted(well_values(well))
