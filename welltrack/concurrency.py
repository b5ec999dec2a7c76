"""Thread pools whose tasks run in a copy of the caller's context; the only pools of the process.

A plain ThreadPoolExecutor runs each task in the worker thread's own (empty) context, so
what a request keeps in context variables — the DynamoDB request counter of
welltrack.dynamodb.counting_requests — does not reach the queries a page fans out to a
pool. Pages that run queries in parallel use this pool instead, and their queries are
counted in the request's X-DynamoDB-Requests like any other.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, contextmanager
from typing import Any


class ContextThreadPoolExecutor(ThreadPoolExecutor):
    """ThreadPoolExecutor whose every task (submit and map) runs in a copy of the submitter's context."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        # One copy per task: a Context cannot be entered by two threads at once.
        context = contextvars.copy_context()
        return super().submit(context.run, fn, *args, **kwargs)


# Threads start only when a task first needs one; the pool lives as long as the process.
_background = ContextThreadPoolExecutor(max_workers=8, thread_name_prefix="welltrack-background")


# Reads begun before the request has checked that it may make them (read_ahead). Such a read
# may send its own second Query to _background and wait for it; a task of _background never
# waits for anything, so the two pools cannot starve each other.
_ahead = ContextThreadPoolExecutor(max_workers=8, thread_name_prefix="welltrack-ahead")


# The same read made for several things at once (a calendar's wells): each task may wait on its
# own in_background Query, never on another task of this pool.
_fan_out = ContextThreadPoolExecutor(max_workers=16, thread_name_prefix="welltrack-fan-out")


def in_parallel(fn: Callable[[Any], Any], items: list, *, at_most: int = 8) -> list:
    """``[fn(item) for item in items]``, up to ``at_most`` at a time on pool threads (the
    caller's thread alone for a single item). Returns when all are done; the first error raises."""
    if len(items) <= 1:
        return [fn(item) for item in items]
    futures: list[Future] = []
    running: set[Future] = set()
    try:
        for item in items:
            if len(running) >= at_most:
                _, running = wait(running, return_when=FIRST_COMPLETED)
            future = _fan_out.submit(fn, item)
            futures.append(future)
            running.add(future)
    finally:
        wait(futures)  # no task outlives the call, also when submitting failed
    return [future.result() for future in futures]


def read_ahead(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> AbstractContextManager[Future]:
    """Run ``fn(*args, **kwargs)`` on a pool thread while the block checks that the request
    may have its answer; the block takes ``future.result()`` only once it has checked.

    Leaving the block waits for the task, so no read outlives its request; an answer (or an
    error) that the block did not take is dropped with the future.
    """
    return _alongside(_ahead, fn, args, kwargs)


def in_background(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> AbstractContextManager[Future]:
    """Run ``fn(*args, **kwargs)`` on a pool thread while the block does something else.

    For a request's second DynamoDB Query sent at the same time as the first. Leaving the
    block waits for the task, also when the block fails, so no query outlives its request.
    """
    return _alongside(_background, fn, args, kwargs)


@contextmanager
def _alongside(pool: ThreadPoolExecutor, fn: Callable[..., Any], args: tuple, kwargs: dict) -> Iterator[Future]:
    future = pool.submit(fn, *args, **kwargs)
    try:
        yield future
    finally:
        wait([future])
