"""The outage run of `make bench`: DynamoDB freezes and dies under load, and nothing is lost.

Two gunicorn instances (separate processes and ports) share one DynamoDB Local that keeps its
data on disk (``-dbPath``). 16 clients create and edit events, upload files and read a well page
through both (bench/outage_load.py) for 60 s, and for 10 s at least after the database is back.
At 20 s DynamoDB Local is frozen (SIGSTOP to the Java process) for 5 s; at 40 s it is killed
(SIGKILL) and started again on the same port and data. Meanwhile each instance's well page and
its /health are probed every second.

Afterwards (bench/outage_check.py) every acknowledged write must be stored exactly once with its
audit entry, nothing refused may be stored, every failed request must have been a 503 with
Retry-After answered within the clients' 15 s, /health must have said 503 while the database was
away, and both instances must serve the page again within 5 s of the database coming back.

``python bench/outage.py`` runs only this and merges its figures into bench/results.json
(BENCH_RESULTS overrides the path); bench/run.py runs it after the other figures unless
BENCH_OUTAGE=0. BENCH_SCALE=small makes it short (freeze at 8 s, kill at 20 s, 30 s at least).
BENCH_OUTAGE_LEDGER=<path> writes every answer and attempt there, to study a run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welltrack.settings")

from bench.harness import Gunicorn, session_cookie  # noqa: E402  (after the path is set)
from bench.outage_check import check  # noqa: E402
from bench.outage_load import CLIENT_TIMEOUT, Client, Ledger, probe  # noqa: E402


@dataclass(frozen=True)
class Plan:
    """Seconds into the run. The run lasts ``seconds``, and at least ``after_back`` more once
    the restarted database answers (DynamoDB Local takes 5 to 20 s to start on a busy machine)."""

    seconds: float
    freeze_at: float
    freeze_for: float
    kill_at: float
    after_back: float = 10
    clients: int = 16
    wells: int = 4


PLANS = {
    "full": Plan(seconds=60, freeze_at=20, freeze_for=5, kill_at=40),
    "small": Plan(seconds=30, freeze_at=8, freeze_for=5, kill_at=20),
    "tiny": Plan(seconds=15, freeze_at=4, freeze_for=3, kill_at=12, after_back=6, clients=4, wells=2),
}

# The instances' DynamoDB client. A frozen DynamoDB Local still accepts connections (the kernel
# completes them), so each attempt waits out the read timeout: 1 s, and one retry after
# botocore's standard backoff (under 1 s), fail a call in about 3 s, and the first call that
# fails ends the request with 503 — even a request queued behind another on a busy worker is
# answered well inside the clients' 15 s. (With 2 s, requests sent during the 5 s freeze mostly
# waited it out and /health did not answer at all while it lasted.) A killed one refuses
# connections at once. One retry, not none: it absorbs a pooled connection that died with the
# old process and one slow answer of DynamoDB Local on a busy machine; a retried transaction
# carries the same ClientRequestToken, so DynamoDB does not apply it twice.
APP_DYNAMODB = {"DYNAMODB_CONNECT_TIMEOUT": "1", "DYNAMODB_READ_TIMEOUT": "1", "DYNAMODB_MAX_RETRIES": "1"}
WORKERS = 8  # per instance: 16 workers for 16 clients and the probes
# Far above the longest request (a failing call of about 3 s, after others), and above a worker's
# first request on a busy machine, which imports the URL patterns and every view.
GUNICORN_TIMEOUT = 60

TARGETS = {
    "outage_lost_writes": 0,
    "outage_duplicate_writes": 0,
    "outage_refused_but_stored": 0,
    "outage_missing_audit": 0,
    "outage_5xx_not_503": 0,
    "outage_failures_not_503": 0,
    "outage_503_without_retry_after": 0,
    "outage_hangs": 0,
    "outage_recovery_seconds": 5,
}


def missed_targets(summary: dict) -> list[str]:
    missed = [
        f"{key} {summary[key]} (target <= {limit})"
        for key, limit in TARGETS.items()
        if summary[key] is None or summary[key] > limit
    ]
    if not summary["outage_health_503_while_away"]:
        missed.append("outage_health_503_while_away false (target true)")
    if not summary["outage_acknowledged_writes"]:
        missed.append("outage_acknowledged_writes 0 (a run that wrote nothing shows nothing)")
    return missed


# --- the database: frozen, thawed, killed, started again ---------------------------------------


def answers_promptly(endpoint: str, table: str, key: dict) -> bool:
    """True when DynamoDB Local answers a read of ``key`` within the instances' read timeout.

    "Back" means able to serve the app: a just-restarted DynamoDB Local answers its first
    request long before it answers in time on a busy machine (its JVM is cold), and until then
    the app can only answer 503, however healthy it is itself."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(
            connect_timeout=1,
            read_timeout=float(APP_DYNAMODB["DYNAMODB_READ_TIMEOUT"]),
            retries={"total_max_attempts": 1},
        ),
    )
    try:
        client.get_item(TableName=table, Key=key, ConsistentRead=True)
    except Exception:  # not answering in time, whatever the reason
        return False
    return True


def inflict(plan: Plan, database, started: float, timeline: dict[str, float], answering) -> None:
    """The faults, at their moments; ``timeline`` gets when each happened (seconds into the run):
    ``killed`` is the moment before SIGKILL, ``restarted`` when the new process took connections,
    ``back`` when ``answering()`` first said it served a read in time."""

    def at(moment: float) -> None:
        time.sleep(max(0.0, started + moment - time.monotonic()))

    def mark(name: str) -> None:
        timeline[name] = round(time.monotonic() - started, 3)

    at(plan.freeze_at)
    database.pause()  # SIGSTOP to the Java process itself (welltrack.testing.DynamoDBLocal)
    mark("frozen")
    at(plan.freeze_at + plan.freeze_for)
    database.resume()
    mark("thawed")
    at(plan.kill_at)
    mark("killed")
    database.process.kill()
    database.process.wait()
    database.start()  # same port, same -dbPath
    mark("restarted")
    deadline = time.monotonic() + 120
    while not answering():
        if time.monotonic() > deadline:
            raise RuntimeError("DynamoDB Local did not answer in time after its restart")
        time.sleep(0.1)
    mark("back")


# --- figures --------------------------------------------------------------------------------


def recovery_seconds(ledger: Ledger, back: float, until: float, instances: int) -> float | None:
    """Seconds from ``back`` until each instance's page probes answer 200 from then on (the
    slowest instance), counting the probes sent from ``back`` and answered before ``until``
    (the next fault, or the end); None when an instance did not get there."""
    slowest = 0.0
    for instance in range(instances):
        probes = [
            a
            for a in ledger.answers
            if a.kind == "probe" and a.instance == instance and back <= a.sent and a.done < until
        ]
        last_failure = max((a.sent for a in probes if a.status != 200), default=None)
        healthy = [a.done for a in probes if a.status == 200 and (last_failure is None or a.sent > last_failure)]
        if not healthy:
            return None
        slowest = max(slowest, min(healthy) - back)
    return round(slowest, 2)


def failures_not_503(ledger: Ledger) -> int:
    """Answers neither a success nor a 503 (/health's included: it says 200 or 503). A 409 to an
    edit is excused when an earlier edit of the same event got no answer: that one may have
    landed after the client read the event again."""
    excused = 0
    unanswered: set[str] = set()
    for attempt in ledger.edits:
        if attempt.status == 409 and attempt.event_id in unanswered:
            excused += 1
        if attempt.status in (None, 503):
            unanswered.add(attempt.event_id)
    wrong = sum(1 for a in ledger.answers if a.status is not None and a.status != 503 and not 200 <= a.status < 300)
    return wrong - excused


def health_while_away(ledger: Ledger, away: list[tuple[float, float]]) -> dict:
    """/health's answers sent and received while the database was away, by status, per window."""
    return {
        f"{start}-{end}": dict(
            Counter(str(a.status) for a in ledger.answers if a.kind == "health" and a.sent >= start and a.done <= end)
        )
        for start, end in away
    }


def figures(ledger: Ledger, verdict, timeline: dict[str, float], plan: Plan, instances: int) -> dict:
    requests_ = [a for a in ledger.answers if a.kind != "health"]
    refused = [asdict(a) for a in ledger.answers if a.status is not None and a.status >= 300 and a.status != 503]
    recoveries = {
        "after_thaw": recovery_seconds(ledger, timeline["thawed"], timeline["killed"], instances),
        "after_restart": recovery_seconds(ledger, timeline["back"], timeline["end"], instances),
    }
    health = health_while_away(
        ledger, [(timeline["frozen"], timeline["thawed"]), (timeline["killed"], timeline["back"])]
    )
    by_kind: dict[str, Counter] = {}
    for answer in ledger.answers:
        by_kind.setdefault(answer.kind, Counter())[str(answer.status)] += 1
    return {
        "outage_acknowledged_writes": verdict.acknowledged,
        "outage_lost_writes": verdict.lost,
        "outage_lost_at_kill": verdict.lost_at_kill,  # DynamoDB Local's, not the app's: bench/outage_check.py
        "outage_duplicate_writes": verdict.duplicates,
        "outage_refused_but_stored": verdict.refused_but_stored,
        "outage_missing_audit": verdict.missing_audit,
        "outage_5xx_not_503": sum(1 for a in ledger.answers if a.status and a.status >= 500 and a.status != 503),
        "outage_failures_not_503": failures_not_503(ledger),
        "outage_503_without_retry_after": sum(1 for a in requests_ if a.status == 503 and not a.retry_after),
        "outage_hangs": sum(1 for a in ledger.answers if a.status is None),
        "outage_recovery_seconds": None if None in recoveries.values() else max(recoveries.values()),
        "outage_health_503_while_away": all(counts and set(counts) == {"503"} for counts in health.values()),
        "outage": {
            "plan": asdict(plan),
            "app_dynamodb_settings": APP_DYNAMODB,
            "client_timeout_seconds": CLIENT_TIMEOUT,
            "timeline_seconds": timeline,
            "recovery_seconds": recoveries,
            "health_while_away": health,
            "answers_by_kind": {kind: dict(counts) for kind, counts in by_kind.items()},
            "slowest_answer_seconds": max((a.took for a in ledger.answers if a.status), default=0),
            "unacknowledged_but_stored": verdict.unacknowledged_stored,
            "problems": verdict.problems,
            "answers_not_2xx_or_503": refused[:30],
        },
    }


# --- the run ----------------------------------------------------------------------------------


def drive(plan: Plan, database, urls: list[str], world: dict, credentials: list[tuple[str, str]]) -> tuple:
    ledger = Ledger()
    org_id = world["org"].org_id
    wells = world["wells"][: plan.wells]
    clients = [
        Client(
            index=n,
            urls=urls,
            token=token,
            cookie=cookie,
            org_id=org_id,
            well_id=wells[n % len(wells)].well_id,
            ledger=ledger,
        )
        for n, (token, cookie) in enumerate(credentials)
    ]
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(Client.warm_up, clients))
    page = f"/orgs/{org_id}/wells/{wells[0].well_id}/"
    timeline: dict[str, float] = {}
    stop = threading.Event()
    started = time.monotonic()
    threads = [threading.Thread(target=client.run, args=(started, stop)) for client in clients]
    for instance, url in enumerate(urls):
        cookie = {"Cookie": credentials[0][1]}
        threads.append(
            threading.Thread(
                target=probe,
                args=("probe", url + page, instance, ledger, started, stop, 1),
                kwargs={"headers": cookie},
            )
        )
        threads.append(
            threading.Thread(target=probe, args=("health", url + "/health", instance, ledger, started, stop, 1))
        )
    well = {"wellId": {"S": wells[0].well_id}}
    answering = partial(answers_promptly, database.endpoint, wells[0].Meta.table_name, well)
    faults = threading.Thread(target=inflict, args=(plan, database, started, timeline, answering))
    for thread in [*threads, faults]:
        thread.start()
    try:
        faults.join()
        if "back" not in timeline:
            raise RuntimeError("the faults did not run to the end: see the error above")
        timeline["end"] = round(max(plan.seconds, timeline["back"] + plan.after_back), 3)
        time.sleep(max(0.0, started + timeline["end"] - time.monotonic()))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return ledger, timeline


def instance_env(endpoint: str, prefix: str, tmp: Path) -> dict[str, str]:
    """The environment of both instances: one database, one secret key (each honours the other's
    upload links) and one media folder (as one bucket would be)."""
    return {
        "DYNAMODB_ENDPOINT": endpoint,
        "WELLTRACK_TABLE_PREFIX": prefix,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "WELLTRACK_VAR_DIR": str(tmp / "var"),
        "WELLTRACK_DB_METRICS_HEADERS": "false",
        "LOG_LEVEL": "WARNING",
        **APP_DYNAMODB,
    }


def run(scale: str, *, log=lambda line: print(line, flush=True), collect_static: bool = True) -> dict:
    """The outage run at ``scale`` (full, small, tiny); returns its figures."""
    import django

    plan = PLANS[scale]
    secret = "bench-" + uuid.uuid4().hex * 2
    with tempfile.TemporaryDirectory(prefix="welltrack-outage-") as tmp:
        os.environ.setdefault("DJANGO_SECRET_KEY", secret)
        os.environ.setdefault("DJANGO_DEBUG", "false")
        django.setup()
        from accounts.services import api_token_create
        from bench.seed import seed
        from welltrack.tables import ensure_tables
        from welltrack.testing import DynamoDBLocal, free_port, point_models_at

        Path(tmp, "dynamodb").mkdir()
        database = DynamoDBLocal(in_memory=False, data_dir=str(Path(tmp, "dynamodb"))).start()
        prefix = f"outage{uuid.uuid4().hex[:6]}-"
        env = instance_env(database.endpoint, prefix, Path(tmp))
        servers: list[Gunicorn] = []
        try:
            point_models_at(database.endpoint, prefix)
            if collect_static:
                subprocess.run(
                    [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                    cwd=BASE_DIR,
                    env={**os.environ, **env},
                    check=True,
                )
            ensure_tables(log=lambda line: None)
            world = seed(log=lambda line: None, big_events=200, wells_total=plan.wells, projects=1)
            credentials = [
                (api_token_create(user=world["owner"])[0], session_cookie(world["owner"])) for _ in range(plan.clients)
            ]
            log(f"  outage: 2 instances, {plan.clients} clients, {plan.seconds:.0f} s")

            def serve(n: int) -> Gunicorn:
                server = Gunicorn(
                    free_port(), env, workers=WORKERS, timeout=GUNICORN_TIMEOUT, log=Path(tmp, f"gunicorn-{n}.log")
                )
                servers.append(server)
                try:
                    return server.start()
                except RuntimeError:
                    log(server.log.read_text(errors="replace")[-3000:])
                    raise

            urls = [serve(n).url for n in range(2)]  # one after the other: 16 workers booting at once thrash
            ledger, timeline = drive(plan, database, urls, world, credentials)
            for server in servers:
                server.stop()
            if os.environ.get("BENCH_OUTAGE_LEDGER"):
                Path(os.environ["BENCH_OUTAGE_LEDGER"]).write_text(json.dumps(ledger.as_dict(), indent=1))
            verdict = check(ledger, killed=timeline["killed"])
        finally:
            for server in servers:
                server.stop()
            database.stop()
    return figures(ledger, verdict, timeline, plan, instances=2)


def print_figures(summary: dict) -> None:
    print()
    for key in ["outage_acknowledged_writes", *TARGETS, "outage_health_503_while_away", "outage_lost_at_kill"]:
        target = f"   target <= {TARGETS[key]}" if key in TARGETS else ""
        print(f"{key:<36}{summary[key]!s:>10}{target}")
    details = summary["outage"]
    print(f"{'timeline (s)':<36}{json.dumps(details['timeline_seconds'])}")
    print(f"{'recovery (s)':<36}{json.dumps(details['recovery_seconds'])}")
    print(f"{'answers by kind':<36}{json.dumps(details['answers_by_kind'])}")
    for problem in details["problems"]:
        print(f"  ! {problem}")
    for answer in details["answers_not_2xx_or_503"]:
        print(f"  ! answered {answer['status']}: {answer}")


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "full")
    if scale not in PLANS:
        raise SystemExit(f"BENCH_SCALE must be one of {', '.join(PLANS)}")
    summary = run(scale)
    results_path = Path(os.environ.get("BENCH_RESULTS", BASE_DIR / "bench" / "results.json"))
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    results_path.write_text(json.dumps({**results, **summary}, indent=2) + "\n")
    print_figures(summary)
    missed = missed_targets(summary)
    if missed:
        print("\ntargets missed:\n  " + "\n  ".join(missed))
        return 1
    print("\nall outage targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
