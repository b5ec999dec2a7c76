"""Rolling-window attempt counters in DynamoDB, shared by every app server.

One item per (purpose, subject, window length). The window is cut into ``SLOTS``
sub-windows; the item keeps a ring of ``SLOTS + 1`` counters, ``n<i>`` attempts in
sub-window number ``s<i>``. An attempt is counted with one atomic UpdateItem (``ADD``)
that returns the whole item, so the count it sees includes every attempt DynamoDB
applied before it: N parallel requests see N different counts and at most ``limit`` of
them pass, whatever the timing. The count covers the current sub-window and the
``SLOTS`` before it, so an attempt stays counted for at least the whole window (and at
most one sub-window longer): there is no boundary at which the count falls back to zero.

An attempt is counted *before* the work it guards (a password check, an email), and
given back (``Attempt.refund``) when it is refused, so hammering a locked subject does not
extend the lock, and when the guarded work turns out not to count (a sign-in that
succeeds is not a failed sign-in).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from welltrack.dynamodb import dynamo_connection
from welltrack.errors import Conflict, RateLimited, dynamo_errors
from welltrack.models import RateLimitBucket

SLOTS = 15  # sub-windows per window: one minute of a 15-minute window, four of an hour
RING = SLOTS + 1


def _key(purpose: str, subject: str, window_seconds: int) -> str:
    # The window length is part of the key: sub-window numbers of another length mean nothing here.
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    return f"{purpose}#{window_seconds}#{digest}"


def _slot_seconds(window_seconds: int) -> float:
    return window_seconds / SLOTS


def _number(value: dict | None) -> int | None:
    return None if value is None else int(value["N"])


def _counted(attributes: dict, slot: int) -> list[tuple[int, int]]:
    """(sub-window, attempts) of the ring entries still inside the window that ends in ``slot``."""
    entries = []
    for index in range(RING):
        started = _number(attributes.get(f"s{index}"))
        count = _number(attributes.get(f"n{index}")) or 0
        if started is not None and started >= slot - SLOTS and count > 0:
            entries.append((started, count))
    return entries


def _update(key: str, expression: str, condition: str, names: dict, values: dict) -> dict | None:
    """The item after an atomic update, or None when its condition did not hold."""
    try:
        with dynamo_errors():
            response = dynamo_connection().dispatch(
                "UpdateItem",
                {
                    "TableName": RateLimitBucket.Meta.table_name,
                    "Key": {"bucket": {"S": key}},
                    "UpdateExpression": expression,
                    "ConditionExpression": condition,
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                    "ReturnValues": "ALL_NEW",
                },
            )
    except Conflict:
        return None
    return response["Attributes"]


@dataclass(frozen=True)
class Attempt:
    """One counted attempt: ``count`` attempts are in the window, this one included."""

    key: str
    index: int
    slot: int
    count: int

    def refund(self) -> None:
        """Uncount this attempt (nothing to do once its sub-window has left the ring)."""
        _update(
            self.key,
            "ADD #n :minus",
            "#s = :slot",
            {"#n": f"n{self.index}", "#s": f"s{self.index}"},
            {":minus": {"N": "-1"}, ":slot": {"N": str(self.slot)}},
        )


def _count(key: str, *, slot: int, expires: int) -> tuple[Attempt, dict]:
    index = slot % RING
    names = {"#n": f"n{index}", "#s": f"s{index}", "#e": "expiresAt"}
    for _ in range(4):
        # The ring entry already belongs to this sub-window (or, from a server whose clock is
        # behind, to a later one): add to it.
        item = _update(
            key,
            "ADD #n :one SET #e = :expires",
            "#s >= :slot",
            names,
            {":one": {"N": "1"}, ":slot": {"N": str(slot)}, ":expires": {"N": str(expires)}},
        )
        if item is None:
            # It still holds a sub-window that has left the window: take it over. Entries only
            # move forward, so when a racer got here first, the ADD above succeeds next time.
            item = _update(
                key,
                "SET #n = :one, #s = :slot, #e = :expires",
                "attribute_not_exists(#s) OR #s < :slot",
                names,
                {":one": {"N": "1"}, ":slot": {"N": str(slot)}, ":expires": {"N": str(expires)}},
            )
        if item is not None:
            used = _number(item[f"s{index}"])
            total = sum(count for _, count in _counted(item, slot))
            return Attempt(key=key, index=index, slot=used, count=total), item
    raise RuntimeError("rate-limit counter kept changing under us")  # each retry is a step forward; unreachable


def _retry_after(item: dict, attempt: Attempt, *, limit: int, slot_seconds: float, now: float) -> int:
    """Seconds until enough of the oldest attempts leave the window for one more to pass."""
    entries = sorted(_counted(item, attempt.slot))
    entries = [(s, c - 1 if s == attempt.slot else c) for s, c in entries]  # without the refused one
    to_leave = sum(c for _, c in entries) - (limit - 1)
    left = 0
    for started, count in entries:
        left += count
        if left >= to_leave:
            return max(1, math.ceil((started + SLOTS + 1) * slot_seconds - now))
    return 1


def wait_words(seconds: int) -> str:
    """A wait as people say it, rounded up to the minute: "1 minute", "15 minutes", "1 hour and 3 minutes"."""
    hours, minutes = divmod(math.ceil(seconds / 60), 60)
    parts = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in ((hours, "hour"), (minutes, "minute")) if n]
    return " and ".join(parts) or "1 minute"


def attempt(
    purpose: str, subject: str, *, limit: int, window_seconds: int, message: str | None = None, now: float | None = None
) -> Attempt:
    """Count one attempt; refuse it (uncounted) when ``limit`` attempts are already in the window.

    ``{minutes}`` in the message becomes the wait ("12 minutes"), as the Retry-After says."""
    now = time.time() if now is None else now
    slot_seconds = _slot_seconds(window_seconds)
    slot = int(now // slot_seconds)
    expires = math.ceil((slot + RING + 1) * slot_seconds) + 60
    counted, item = _count(_key(purpose, subject, window_seconds), slot=slot, expires=expires)
    if counted.count > limit:
        counted.refund()
        retry_after = _retry_after(item, counted, limit=limit, slot_seconds=slot_seconds, now=now)
        if message and "{minutes}" in message:
            message = message.format(minutes=wait_words(retry_after))
        raise RateLimited(message, retry_after=retry_after)
    return counted


def hit(
    purpose: str, subject: str, *, limit: int, window_seconds: int, message: str | None = None, now: float | None = None
) -> None:
    """Count one attempt that stays counted, refusing it when it is over the limit."""
    attempt(purpose, subject, limit=limit, window_seconds=window_seconds, message=message, now=now)


def attempts(purpose: str, subject: str, *, window_seconds: int, now: float | None = None) -> int:
    """How many attempts are in the window now (a consistent read)."""
    now = time.time() if now is None else now
    slot = int(now // _slot_seconds(window_seconds))
    with dynamo_errors():
        response = dynamo_connection().dispatch(
            "GetItem",
            {
                "TableName": RateLimitBucket.Meta.table_name,
                "Key": {"bucket": {"S": _key(purpose, subject, window_seconds)}},
                "ConsistentRead": True,
            },
        )
    return sum(count for _, count in _counted(response.get("Item") or {}, slot))
