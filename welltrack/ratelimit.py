"""Fixed-window counters in DynamoDB, shared by every app server."""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timezone

from welltrack.errors import RateLimited, dynamo_errors
from welltrack.models import RateLimitBucket


def _bucket(purpose: str, subject: str, window_seconds: int, now: float) -> tuple[str, int]:
    window_start = int(now // window_seconds) * window_seconds
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    return f"{purpose}#{digest}#{window_start}", window_start + window_seconds


def attempts(purpose: str, subject: str, *, window_seconds: int, now: float | None = None) -> int:
    now = time.time() if now is None else now
    key, _ = _bucket(purpose, subject, window_seconds, now)
    with dynamo_errors():
        try:
            return int(RateLimitBucket.get(key, consistent_read=True).count)
        except RateLimitBucket.DoesNotExist:
            return 0


def record(purpose: str, subject: str, *, window_seconds: int, now: float | None = None) -> int:
    """Count one attempt and return the count in the current window."""
    now = time.time() if now is None else now
    key, window_end = _bucket(purpose, subject, window_seconds, now)
    item = RateLimitBucket(key)
    with dynamo_errors():
        item.update(
            actions=[
                RateLimitBucket.count.add(1),
                RateLimitBucket.expires_at.set(datetime.fromtimestamp(window_end + 60, tz=timezone.utc)),
            ]
        )
    return int(item.count)


def check(purpose: str, subject: str, *, limit: int, window_seconds: int, message: str | None = None) -> None:
    """Refuse when ``limit`` attempts were already counted in this window."""
    now = time.time()
    if attempts(purpose, subject, window_seconds=window_seconds, now=now) >= limit:
        window_end = (int(now // window_seconds) + 1) * window_seconds
        raise RateLimited(message, retry_after=max(1, int(window_end - now)))


def hit(purpose: str, subject: str, *, limit: int, window_seconds: int, message: str | None = None) -> None:
    """Count one attempt, refusing it when it is over the limit."""
    now = time.time()
    count = record(purpose, subject, window_seconds=window_seconds, now=now)
    if count > limit:
        window_end = (int(now // window_seconds) + 1) * window_seconds
        raise RateLimited(message, retry_after=max(1, int(window_end - now)))
