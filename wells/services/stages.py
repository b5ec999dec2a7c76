"""Stages of a well: ordered 0, 1, 2, … without gaps."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pynamodb.exceptions import UpdateError

from wells import selectors
from wells.models import Event, Stage, StageStatus, StageType, Well
from wells.services.counters import well_lower_longest, well_stage_count_in_transaction
from wells.services.events import duration_seconds, event_values
from wells.services.validation import STAGE_STATUSES, STAGE_TYPES, TEXT_MAX, clean_choice, clean_text
from wells.times import parse_moment, to_iso
from welltrack.actor import Actor
from welltrack.audit import CREATE, DELETE, UPDATE, audit_created, audit_deleted, audit_diff, audit_record
from welltrack.dynamodb import transact_write
from welltrack.errors import Conflict, ValidationFailed, condition_failed, dynamo_errors

# Items per transaction when a stage's events are detached or deleted (each with its audit item).
_CHUNK = 45
# Tries of a stage creation that lost a race for the next order.
_ATTEMPTS = 4
# Followers renumbered in the deleting transaction (100 items at most: stage, audit, well, these).
_MAX_FOLLOWERS = 90
# Stages one move may pass: each is an update and an audit item, beside the moved stage, its
# audit item and the check of the well (100 items at most in a transaction).
_MAX_SHIFT = 48


def stage_values(stage: Stage) -> dict:
    return {
        "name": stage.name,
        "type": stage.stage_type,
        "status": stage.status,
        "description": stage.description,
        "startDate": stage.start_date,
        "endDate": stage.end_date,
        "order": stage.order,
    }


BOARD_STATUSES = (StageStatus.PLANNED, StageStatus.IN_PROGRESS)
UNDATED = "~"  # sorts after every ISO date


def stage_board_fields(*, org_id: str, status: str, start_date: datetime | None) -> dict:
    """``board_key`` and ``board_sort`` of a stage (see Stage): what puts a planned or running
    stage on its organization's board (OrgStageBoardIndex) and takes a completed one off it."""
    if status not in BOARD_STATUSES:
        return {"board_key": None, "board_sort": None}
    return {"board_key": f"{org_id}#{status}", "board_sort": to_iso(start_date) if start_date else UNDATED}


def _clean(well: Well, fields: dict) -> dict:
    start = fields.get("start")
    end = fields.get("end")
    start_moment = parse_moment(start, field="startDate", zone_name=well.time_zone) if start not in (None, "") else None
    end_moment = parse_moment(end, field="endDate", zone_name=well.time_zone) if end not in (None, "") else None
    if start_moment and end_moment and end_moment < start_moment:
        raise ValidationFailed({"endDate": "The end cannot be before the start."})
    return {
        "name": clean_text(fields.get("name"), field="name", required=True, label="the stage's name"),
        "stage_type": clean_choice(fields.get("stage_type") or StageType.OTHER, field="type", choices=STAGE_TYPES),
        "status": clean_choice(fields.get("status") or StageStatus.PLANNED, field="status", choices=STAGE_STATUSES),
        "description": clean_text(fields.get("description"), field="description", max_length=TEXT_MAX),
        "start_date": start_moment,
        "end_date": end_moment,
    }


def stage_create(*, actor: Actor, well: Well, **fields) -> Stage:
    """Appended after the well's last stage. ``fields``: name, stage_type, status, description, start, end.

    The new order is the number of stages listed; the well's ``stageCount`` is checked and
    raised in the same transaction, so a stage added or deleted meanwhile makes this attempt
    fail and list again (a few times) instead of two stages sharing an order.
    """
    cleaned = _clean(well, fields)
    for attempt in range(_ATTEMPTS):
        existing = selectors.stage_list_all(well_id=well.well_id)
        now = datetime.now(UTC)
        stage = Stage(
            str(uuid.uuid4()),
            well_id=well.well_id,
            org_id=well.org_id,
            order=len(existing),
            created_at=now,
            updated_at=now,
            created_by=actor.user_id,
            updated_by=actor.user_id,
            **cleaned,
            **stage_board_fields(org_id=well.org_id, status=cleaned["status"], start_date=cleaned["start_date"]),
        )
        try:
            with dynamo_errors(), transact_write() as tx:
                tx.save(stage, condition=Stage.stage_id.does_not_exist())
                well_stage_count_in_transaction(tx, well_id=well.well_id, expected=len(existing), delta=1)
                audit_record(
                    tx,
                    actor=actor,
                    org_id=well.org_id,
                    entity_type="STAGE",
                    entity_id=stage.stage_id,
                    entity_name=stage.name,
                    action=CREATE,
                    changes=audit_created(stage_values(stage)),
                    timestamp=now,
                )
        except Conflict:
            if attempt == _ATTEMPTS - 1:
                raise
            continue
        return stage
    raise Conflict()  # not reached


def stage_update(*, actor: Actor, stage: Stage, well: Well, version: int, order: int | None = None, **fields) -> Stage:
    """Edit with an optimistic lock; ``order`` (0-based) also moves the stage to that position.

    Everything is checked before anything is written, and the fields, the new order, the
    stages it passes (each shifted by one) and their audit items are one transaction: a
    position out of range writes nothing, and a stage added, moved or deleted meanwhile
    makes the whole edit a Conflict rather than half of it.
    """
    if int(version) != int(stage.version):
        raise Conflict()
    cleaned = _clean(well, fields)
    stages, shifts = None, []
    if order is not None:
        stages = selectors.stage_list_all(well_id=stage.well_id)
        index = _position_of(stages, stage)
        position = _checked_position(stages, index, order, field="order")
        shifts = _shifts(stages, index, position)
        cleaned["order"] = position
    before = stage_values(stage)
    for key, value in cleaned.items():
        setattr(stage, key, value)
    changes = audit_diff(before, stage_values(stage))
    if not changes:
        return stage
    now = datetime.now(UTC)
    stage.updated_at, stage.updated_by = now, actor.user_id
    for key, value in stage_board_fields(org_id=stage.org_id, status=stage.status, start_date=stage.start_date).items():
        setattr(stage, key, value)
    with dynamo_errors(), transact_write() as tx:
        tx.save(stage)  # stages carry no counters: every change of a stage's order bumps its version
        audit_record(
            tx,
            actor=actor,
            org_id=stage.org_id,
            entity_type="STAGE",
            entity_id=stage.stage_id,
            entity_name=stage.name,
            action=UPDATE,
            changes=changes,
            timestamp=now,
        )
        _write_shifts(tx, actor=actor, shifts=shifts, now=now)
        if shifts:
            _same_stage_count(tx, well_id=stage.well_id, count=len(stages))
    return stage


def stage_move(*, actor: Actor, stage: Stage, direction: str) -> None:
    """Swap with the neighbour above or below (the well page's arrows), in one transaction.

    Relative to the stages as they are now; the first stage cannot go up nor the last down
    (ValidationFailed naming ``direction``), and a change meanwhile is a Conflict.
    """
    if direction not in ("up", "down"):
        raise ValidationFailed({"direction": "Move up or down."})
    stages = selectors.stage_list_all(well_id=stage.well_id)
    index = _position_of(stages, stage)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(stages):
        raise ValidationFailed(
            {"direction": f"“{stage.name}” is already the {'first' if target < 0 else 'last'} stage."}
        )
    mine = stages[index]
    now = datetime.now(UTC)
    with dynamo_errors(), transact_write() as tx:
        tx.update(
            mine, actions=[Stage.order.set(target), Stage.updated_at.set(now), Stage.updated_by.set(actor.user_id)]
        )
        audit_record(
            tx,
            actor=actor,
            org_id=mine.org_id,
            entity_type="STAGE",
            entity_id=mine.stage_id,
            entity_name=mine.name,
            action=UPDATE,
            changes={"order": {"old": int(mine.order), "new": target}},
            timestamp=now,
        )
        _write_shifts(tx, actor=actor, shifts=_shifts(stages, index, target), now=now)
        _same_stage_count(tx, well_id=stage.well_id, count=len(stages))


def _position_of(stages: list[Stage], stage: Stage) -> int:
    index = next((i for i, s in enumerate(stages) if s.stage_id == stage.stage_id), None)
    if index is None:
        raise Conflict()  # deleted since it was read
    return index


def _checked_position(stages: list[Stage], index: int, position, *, field: str) -> int:
    try:
        position = int(position)
    except (TypeError, ValueError):
        raise ValidationFailed({field: "Give the position as a whole number."}) from None
    if not 0 <= position < len(stages):
        raise ValidationFailed({field: f"Give a position from 0 to {len(stages) - 1}."})
    if abs(position - index) > _MAX_SHIFT:
        raise ValidationFailed({field: f"Move a stage at most {_MAX_SHIFT} places at a time."})
    return position


def _shifts(stages: list[Stage], index: int, position: int) -> list[tuple[Stage, int]]:
    """The other stages whose order changes when the one at ``index`` goes to ``position``:
    those it passes, each one place towards where it was. Orders are list positions, so a
    gap left by older data is closed on the way."""
    if position < index:
        return [(stages[i], i + 1) for i in range(position, index)]
    return [(stages[i], i - 1) for i in range(index + 1, position + 1)]


def _write_shifts(tx, *, actor: Actor, shifts: list[tuple[Stage, int]], now: datetime) -> None:
    # Each under its version condition (``tx.update`` adds it): a stage moved, edited or
    # deleted since the listing fails the whole transaction.
    for other, new_order in shifts:
        tx.update(
            other, actions=[Stage.order.set(new_order), Stage.updated_at.set(now), Stage.updated_by.set(actor.user_id)]
        )
        audit_record(
            tx,
            actor=actor,
            org_id=other.org_id,
            entity_type="STAGE",
            entity_id=other.stage_id,
            entity_name=other.name,
            action=UPDATE,
            changes={"order": {"old": int(other.order), "new": new_order}},
            timestamp=now,
        )


def _same_stage_count(tx, *, well_id: str, count: int) -> None:
    """The well still has the ``count`` stages listed: a stage added meanwhile fails the move."""
    tx.condition_check(Well, well_id, condition=Well.stage_count.does_not_exist() | (Well.stage_count == count))


def stage_delete(*, actor: Actor, stage: Stage, events: str, version: int | None = None) -> int:
    """Delete a stage; its events are kept on the well (``events="keep"``) or deleted (``"delete"``).

    ``version`` is the one the confirmation showed: a stage changed since is not deleted
    (Conflict), and nothing is done to its events. The events go first, in audited
    transactions of at most 45; the stage's deletion (under its version condition) and the
    renumbering of the stages after it are the last transaction. Deleted events that held the
    well's longest range let its reach-back shrink (``well_lower_longest``). Returns the events
    handled.
    """
    if version is not None and int(version) != int(stage.version):
        raise Conflict()
    if events not in ("keep", "delete"):
        raise ValidationFailed({"events": "Choose whether to keep or delete the stage's events."})
    if sum(1 for s in selectors.stage_list_all(well_id=stage.well_id) if s.order > stage.order) > _MAX_FOLLOWERS:
        # The renumbering must fit the final transaction (at most 100 items).
        raise ValidationFailed(
            {"stage": f"A well with more than {_MAX_FOLLOWERS + 1} stages cannot delete its early ones here."}
        )
    stage_events = selectors.stage_event_all(stage_id=stage.stage_id)
    now = datetime.now(UTC)
    for start in range(0, len(stage_events), _CHUNK):
        with dynamo_errors(), transact_write() as tx:
            for event in stage_events[start : start + _CHUNK]:
                if events == "keep":
                    tx.update(event, actions=[Event.stage_id.remove(), Event.updated_at.set(now)])
                    changes = {"stageId": {"old": stage.stage_id, "new": None}}
                    action = UPDATE
                else:
                    tx.delete(event)
                    changes, action = audit_deleted(event_values(event)), DELETE
                audit_record(
                    tx,
                    actor=actor,
                    org_id=event.org_id,
                    entity_type="EVENT",
                    entity_id=event.event_id,
                    entity_name=event.title,
                    action=action,
                    changes=changes,
                    timestamp=now,
                )
    if events == "delete" and stage_events:
        well_lower_longest(
            well_id=stage.well_id,
            was=max(duration_seconds(e) for e in stage_events),
            changed={e.event_id: 0 for e in stage_events},
        )
    stages = selectors.stage_list_all(well_id=stage.well_id)
    followers = [s for s in stages if s.order > stage.order]
    with dynamo_errors(), transact_write() as tx:
        tx.delete(stage)
        well_stage_count_in_transaction(tx, well_id=stage.well_id, expected=len(stages), delta=-1)
        audit_record(
            tx,
            actor=actor,
            org_id=stage.org_id,
            entity_type="STAGE",
            entity_id=stage.stage_id,
            entity_name=stage.name,
            action=DELETE,
            changes={**audit_deleted(stage_values(stage)), "events": {"old": len(stage_events), "new": events}},
            timestamp=now,
        )
        for follower in followers:
            tx.update(follower, actions=[Stage.order.set(follower.order - 1)])
    return len(stage_events)


def stages_put_on_board(*, log=print) -> int:
    """Give every stage written before OrgStageBoardIndex existed its ``boardKey``/``boardSort``.

    A data migration, run by ``manage.py backfill_stage_board`` (and at every ``make run``):
    it scans the Stages table, which no page ever does. The two attributes are derived from
    the stage's status and start, not edited by anyone, so they are set without the version
    (an open edit form is not made stale) and without an audit entry, under the condition
    that the version is still the one scanned: a stage edited meanwhile got them from its edit.
    Returns the number of stages updated; running it again updates none.
    """
    updated = 0
    with dynamo_errors():
        for stage in Stage.scan():
            wanted = stage_board_fields(org_id=stage.org_id, status=stage.status, start_date=stage.start_date)
            if (stage.board_key, stage.board_sort) == (wanted["board_key"], wanted["board_sort"]):
                continue
            actions = [
                Stage.board_key.set(wanted["board_key"]) if wanted["board_key"] else Stage.board_key.remove(),
                Stage.board_sort.set(wanted["board_sort"]) if wanted["board_sort"] else Stage.board_sort.remove(),
            ]
            hash_key, _ = Stage._serialize_keys(stage.stage_id, None)
            try:
                Stage._get_connection().update_item(hash_key, actions=actions, condition=Stage.version == stage.version)
            except UpdateError as exc:
                if not condition_failed(exc):
                    raise
                continue
            updated += 1
    log(f"Stages put on the organization boards: {updated}.")
    return updated
