"""Rolling-window counters against DynamoDB Local, with the clock injected."""

import threading
import time
import uuid

import pytest

from welltrack import ratelimit
from welltrack.errors import RateLimited

WINDOW = 15 * 60


def _subject() -> str:
    return f"subject-{uuid.uuid4().hex}"


def _future_boundary() -> float:
    return (int(time.time() // WINDOW) + 100) * WINDOW


def test_an_attempt_leaves_the_count_once_it_is_a_window_old_and_its_ring_entry_is_reused():
    subject, start = _subject(), _future_boundary()
    for _ in range(3):
        ratelimit.hit("test", subject, limit=3, window_seconds=WINDOW, now=start)
    with pytest.raises(RateLimited):
        ratelimit.hit("test", subject, limit=3, window_seconds=WINDOW, now=start + WINDOW - 1)
    # 16 minutes on, the same ring entry serves the new minute: the old three no longer count.
    ratelimit.hit("test", subject, limit=3, window_seconds=WINDOW, now=start + WINDOW + 60)
    assert ratelimit.attempts("test", subject, window_seconds=WINDOW, now=start + WINDOW + 60) == 1


def test_parallel_attempts_across_a_sub_window_boundary_let_exactly_the_limit_through():
    subject, boundary = _subject(), _future_boundary()
    passed, refused = [], []
    barrier = threading.Barrier(16)

    def go(n: int) -> None:
        barrier.wait()
        try:
            ratelimit.hit("test", subject, limit=5, window_seconds=WINDOW, now=boundary - 0.5 + (n % 2))
            passed.append(n)
        except RateLimited:
            refused.append(n)

    threads = [threading.Thread(target=go, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (len(passed), len(refused)) == (5, 11)
    assert ratelimit.attempts("test", subject, window_seconds=WINDOW, now=boundary + 1) == 5


def test_the_refusal_names_the_wait_until_one_more_attempt_may_pass():
    subject, start = _subject(), _future_boundary()
    ratelimit.hit("test", subject, limit=2, window_seconds=WINDOW, now=start)
    ratelimit.hit("test", subject, limit=2, window_seconds=WINDOW, now=start + 5 * 60)
    with pytest.raises(RateLimited) as caught:
        ratelimit.hit(
            "test",
            subject,
            limit=2,
            window_seconds=WINDOW,
            now=start + 6 * 60,
            message="Slow down. Please try again in {minutes}.",
        )
    # The first attempt leaves the window at the end of its minute plus 15: 10 minutes on.
    assert caught.value.retry_after == 10 * 60
    assert caught.value.message == "Slow down. Please try again in 10 minutes."
    ratelimit.hit("test", subject, limit=2, window_seconds=WINDOW, now=start + 6 * 60 + caught.value.retry_after)


@pytest.mark.parametrize(
    "seconds, words",
    [(1, "1 minute"), (61, "2 minutes"), (900, "15 minutes"), (3600, "1 hour"), (3780, "1 hour and 3 minutes")],
)
def test_waits_are_said_in_minutes_and_hours(seconds, words):
    assert ratelimit.wait_words(seconds) == words
