"""Derived numbers kept on items for cheap reads: a project's well counts, a well's longest event.

Neither is something a user edits, so neither goes through the item's VersionAttribute:
PynamoDB's ``tx.update(model, …)`` would both demand the caller's copy be current and bump
the version, so two editors creating wells in one project at the same moment would get a
"changed by someone else" error, and so would an admin whose project form was open while a
well was created. These updates touch only their own attribute, with ADD (commutative), an
"only if larger" condition or an "only if unchanged" one, and never the version.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from pynamodb.constants import KEY
from pynamodb.exceptions import PynamoDBException, UpdateError
from pynamodb.transactions import TransactWrite

from wells.models import Event, Project, ProjectStatus, Well, WellLifecycle
from wells.times import from_iso
from welltrack.errors import condition_failed, dynamo_errors

logger = logging.getLogger(__name__)


def project_counts_in_transaction(tx: TransactWrite, *, project_id: str, deltas: dict[str, int]) -> None:
    """Add ``deltas`` ({status: ±n}) to the project's ``wellCounts`` inside ``tx``.

    The project must exist and not be being deleted (status DELETED), else the transaction
    fails: a well cannot be created in a project that is going away.
    """
    actions = [Project.well_counts[status].add(delta) for status, delta in deltas.items() if delta]
    if not actions:
        return
    hash_key, _ = Project._serialize_keys(project_id, None)
    kwargs = Project._get_connection().get_operation_kwargs(
        hash_key,
        key=KEY,
        actions=actions,
        condition=Project.project_id.exists() & (Project.status != ProjectStatus.DELETED),
    )
    # TransactWrite has no public way to add an update without the version handling; the
    # kwargs are exactly what its own update() builds, minus the version condition and ADD.
    tx._update_items.append(kwargs)


def well_raise_longest(*, well: Well, seconds: int) -> None:
    """Raise ``longestEventSeconds`` to ``seconds`` unless it is already at least that.

    Its own conditional UpdateItem, written BEFORE the event's transaction: a larger value is
    always safe (the window query only reaches back further), so if the event's transaction
    then fails nothing is wrong, while the reverse order could leave a committed event that
    the window query cannot reach. The condition makes concurrent raises keep the maximum:
    a smaller value never overwrites a larger one, whatever the caller's copy says.
    """
    if seconds <= int(well.longest_event_seconds or 0):
        return
    hash_key, _ = Well._serialize_keys(well.well_id, None)
    condition = Well.well_id.exists() & (
        Well.longest_event_seconds.does_not_exist() | (Well.longest_event_seconds < seconds)
    )
    with dynamo_errors():
        try:
            Well._get_connection().update_item(
                hash_key,
                actions=[Well.longest_event_seconds.set(seconds)],
                condition=condition,
            )
        except UpdateError as exc:
            # Already at least as large (someone else's longer event), or the well is gone, in
            # which case the event's own transaction fails on its check of the well.
            if not condition_failed(exc):
                raise
    well.longest_event_seconds = max(seconds, int(well.longest_event_seconds or 0))


def well_lower_longest(*, well_id: str, was: int, changed: Mapping[str, int], seen: int | None = None) -> None:
    """Let the well's reach-back shrink after ranges were deleted or shortened.

    ``changed`` maps each of those events to its duration now (0 once deleted or made an
    instant), ``was`` is the longest of their durations before, ``seen`` the well's
    ``longestEventSeconds`` in the caller's copy (None: read it). Called once their writes are
    committed. Unless ``was`` was the well's longest, nothing is read or written; when it was,
    ``longestEventSeconds`` is recomputed from the well's ranges (so one mistaken year-long
    range does not make every later window of the well read a year of ranges):

    - one Query of the sparse RangeEventsIndex, which holds only the well's ranges, projecting
      just their ids and times (paged if the well has many; the cost arises only when the
      longest is deleted or shortened). The index lags the table a little, so the changed
      events count with their durations now, whatever the index still says of them;
    - then ``SET longestEventSeconds = :new`` under the condition that it is still ``seen``.
      A range raises it (``well_raise_longest``) before its own transaction is written, so a
      longer range recorded meanwhile makes the condition fail and its value stays; and the
      transaction of every range checks that the well's value covers it (``events``'
      ``_well_alive_check``), so a range whose raise was skipped because its copy of the well
      said long enough is refused (409) rather than stored beyond the reach-back of a shrink
      that came between. A max-merge would not do: DynamoDB cannot lower a number to the
      maximum of what remains, only set it.

    What remains open is the index's lag itself: a range committed by someone else within that
    moment (typically well under a second) before the Query, longer than every other range
    but not than ``seen``, is not seen and may be left beyond the new reach-back.

    A failure here is logged, not raised: the deletion or edit is already committed, and a
    reach-back left longer than needed costs reads, never correctness.
    """
    if was <= 0:
        return
    try:
        if seen is None:
            seen = _stored_longest(well_id)
        if seen is None or was < seen:
            return  # not the longest: the reach-back must still reach a longer range
        longest = max(changed.values(), default=0)
        for event in Event.range_events_index.query(well_id, attributes_to_get=["eventId", "startTime", "endTime"]):
            if event.event_id not in changed and event.end_time:
                longest = max(longest, _seconds(event.start_time, event.end_time))
        if longest >= seen:
            return
        hash_key, _ = Well._serialize_keys(well_id, None)
        Well._get_connection().update_item(
            hash_key,
            actions=[Well.longest_event_seconds.set(longest)],
            condition=Well.longest_event_seconds == seen,
        )
    except UpdateError as exc:
        if not condition_failed(exc):  # else raised meanwhile by a longer range: theirs stays
            logger.warning("The reach-back of well %s was not lowered: %s", well_id, exc)
    except (PynamoDBException, ValueError) as exc:  # ValueError: a stored time that does not parse
        logger.warning("The reach-back of well %s was not lowered: %s", well_id, exc)


def _stored_longest(well_id: str) -> int | None:
    try:
        well = Well.get(well_id, consistent_read=True, attributes_to_get=["wellId", "longestEventSeconds"])
    except Well.DoesNotExist:
        return None
    return int(well.longest_event_seconds or 0)


def _seconds(start: str, end: str) -> int:
    return int((from_iso(end) - from_iso(start)).total_seconds())


def well_stage_count_in_transaction(tx: TransactWrite, *, well_id: str, expected: int, delta: int) -> None:
    """Move the well's ``stageCount`` from ``expected`` by ``delta`` inside ``tx``.

    The condition is what keeps stage orders gapless and unique: a stage is appended at order
    ``expected`` (the count the caller listed); if another stage was added or deleted since,
    the count differs and the transaction fails, and the caller lists again. Wells written
    before the attribute existed have none: the first change sets it.
    """
    hash_key, _ = Well._serialize_keys(well_id, None)
    if_current = Well.stage_count.does_not_exist() | (Well.stage_count == expected)
    kwargs = Well._get_connection().get_operation_kwargs(
        hash_key,
        key=KEY,
        actions=[Well.stage_count.set(expected + delta)],
        condition=Well.well_id.exists()
        & if_current
        & (Well.lifecycle.does_not_exist() | (Well.lifecycle != WellLifecycle.DELETED)),
    )
    tx._update_items.append(kwargs)  # without the version handling; see project_counts_in_transaction
