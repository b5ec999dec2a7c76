"""`make bench`: seed a fresh DynamoDB Local, serve the app under gunicorn (2 workers), measure over HTTP.

Prints a table and writes bench/results.json. Targets: day query p95 < 50 ms, big/small
p95 ratio <= 1.3, our p50 within 3x of the raw boto3 Query, no page above 6 DynamoDB requests,
zero errors.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welltrack.settings")

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "200"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "30"))
BIG_EVENTS = int(os.environ.get("BENCH_BIG_EVENTS", "100000"))
TARGETS = {"day_query_p95_ms": 50, "day_query_ratio_big_small": 1.3, "p50_vs_raw_ratio": 3.0, "max_dynamodb_requests_per_page": 6}


def main() -> int:
    from welltrack.testing import DynamoDBLocal, free_port

    ddb = DynamoDBLocal().start()
    prefix = f"bench{uuid.uuid4().hex[:6]}-"
    env = {
        "DYNAMODB_ENDPOINT": ddb.endpoint, "WELLTRACK_TABLE_PREFIX": prefix, "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex * 2, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false", "WELLTRACK_DB_METRICS_HEADERS": "true", "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from bench.harness import Gunicorn, load, percentiles, sample
    from bench.seed import seed
    from welltrack.tables import ensure_tables

    import subprocess

    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=BASE_DIR, env={**os.environ}, check=True)
    ensure_tables(log=lambda line: None)
    started = time.monotonic()
    world = seed(log=lambda line: print(f"  seeded {line}", flush=True), big_events=BIG_EVENTS)
    print(f"seeding took {time.monotonic() - started:.0f} s", flush=True)

    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_user_id"] = world["owner"].user_id
    store.save()
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    server = Gunicorn(free_port(), env).start()
    import requests

    session = requests.Session()
    session.headers["Cookie"] = cookie
    errors = {"count": 0}

    def get(path: str) -> requests.Response:
        response = session.get(server.url + path, timeout=30)
        if response.status_code != 200:
            errors["count"] += 1
            print(f"  ! {response.status_code} {path}", flush=True)
        return response

    org, big, small, project = world["org"], world["big"], world["small"], world["project"]
    busy_day = date(2024, 6, 12)
    small_day = busy_day  # the comparison well's 50 events are all on this day
    paths = {
        "day_query_big": f"/api/events?wellId={big.well_id}&date={busy_day.isoformat()}",
        "day_query_small": f"/api/events?wellId={small.well_id}&date={small_day.isoformat()}",
        "week_feed_big": f"/api/wells/{big.well_id}/calendar?start=2024-06-10T00:00:00Z&end=2024-06-17T00:00:00Z",
        "well_page": f"/orgs/{org.org_id}/wells/{big.well_id}/",
        "project_page": f"/orgs/{org.org_id}/projects/{project.project_id}/",
        "dashboard": f"/orgs/{org.org_id}/",
    }
    results: dict = {"latency_ms": {}, "dynamodb_requests": {}, "read_capacity_units": {}}
    for name, path in paths.items():
        first = get(path)
        results["dynamodb_requests"][name] = int(first.headers.get("X-DynamoDB-Requests", "-1"))
        results["read_capacity_units"][name] = float(first.headers.get("X-DynamoDB-Read-Units", "0"))
        results["latency_ms"][name] = percentiles(sample(lambda p=path: get(p), SAMPLES))
        print(f"  measured {name}", flush=True)

    # The floor: the same day's Query straight through boto3, in this process.
    import boto3

    client = boto3.client("dynamodb", endpoint_url=ddb.endpoint, region_name=settings.AWS_REGION,
                          aws_access_key_id="local", aws_secret_access_key="local")
    from wells.times import local_day_window, to_iso

    day_start, day_end = local_day_window(busy_day, big.time_zone)

    def raw_query():
        client.query(TableName=f"{prefix}Events", IndexName="WellEventsIndex",
                     KeyConditionExpression="wellId = :w AND startTime BETWEEN :a AND :b",
                     ExpressionAttributeValues={":w": {"S": big.well_id}, ":a": {"S": to_iso(day_start)},
                                                ":b": {"S": to_iso(day_end - timedelta(seconds=1))}})

    results["latency_ms"]["raw_boto3_day_query"] = percentiles(sample(raw_query, SAMPLES))

    print(f"  load: well page, 16 clients, {LOAD_SECONDS} s", flush=True)
    load_result = load(server.url + paths["well_page"], cookie, 16, LOAD_SECONDS)
    peak_rss_mb = round(max(server.peak_rss_kb.values() or [0]) / 1024, 1)
    server.stop()
    ddb.stop()

    latency = results["latency_ms"]
    summary = {
        "day_query_p95_ms": latency["day_query_big"]["p95"],
        "day_query_ratio_big_small": round(latency["day_query_big"]["p95"] / latency["day_query_small"]["p95"], 2),
        "p50_vs_raw_ratio": round(latency["day_query_big"]["p50"] / latency["raw_boto3_day_query"]["p50"], 2),
        "max_dynamodb_requests_per_page": max(results["dynamodb_requests"].values()),
        "well_page_rps": load_result["rps"],
        "errors": errors["count"] + load_result["errors"],
        "worker_peak_rss_mb": peak_rss_mb,
        "load_tool": load_result["tool"],
        "big_well_events": BIG_EVENTS,
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **results,
    }
    (BASE_DIR / "bench" / "results.json").write_text(json.dumps(summary, indent=2) + "\n")
    print_table(summary)
    missed = [k for k, limit in TARGETS.items() if summary[k] > limit] + (["errors"] if summary["errors"] else [])
    print("\nall targets met" if not missed else f"\ntargets missed: {', '.join(missed)}")
    return 0


def print_table(summary: dict) -> None:
    print(f"\n{'endpoint':<22}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'DDB req':>9}{'RCU':>8}")
    for name, stats in summary["latency_ms"].items():
        requests_ = summary["dynamodb_requests"].get(name, "")
        rcu = summary["read_capacity_units"].get(name, "")
        print(f"{name:<22}{stats['p50']:>9}{stats['p95']:>9}{stats['p99']:>9}{requests_!s:>9}{rcu!s:>8}")
    print()
    for key in ("day_query_p95_ms", "day_query_ratio_big_small", "p50_vs_raw_ratio", "max_dynamodb_requests_per_page",
                "well_page_rps", "errors", "worker_peak_rss_mb"):
        target = TARGETS.get(key)
        print(f"{key:<34}{summary[key]!s:>10}" + (f"   target <= {target}" if target else ""))


if __name__ == "__main__":
    raise SystemExit(main())
