"""Derived numbers kept on items for cheap reads: a project's well counts, a well's longest event.

Neither is something a user edits, so neither goes through the item's VersionAttribute:
PynamoDB's ``tx.update(model, …)`` would both demand the caller's copy be current and bump
the version, so two editors creating wells in one project at the same moment would get a
"changed by someone else" error, and so would an admin whose project form was open while a
well was created. These updates touch only their own attribute, with ADD (commutative) or a
"only if larger" condition, and never the version.
"""

from __future__ import annotations

from pynamodb.constants import KEY
from pynamodb.exceptions import UpdateError
from pynamodb.transactions import TransactWrite

from wells.models import Project, ProjectStatus, Well, WellLifecycle
from welltrack.errors import condition_failed, dynamo_errors


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
