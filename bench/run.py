"""`make bench`: seed a fresh DynamoDB Local, serve the app under gunicorn (2 workers), measure over HTTP.

A screen is a page plus the fragments it loads by itself right after (htmx ``hx-trigger="load"``:
the dashboard's parts, the well page's history and file list). Each request of a screen is
measured on its own, and the screen's DynamoDB cost is the sum over its requests. Request
counts and read capacity are the maximum over the warm (sampled) requests, not one cold one.

"No page above 6 DynamoDB requests" is checked on every HTTP request the browser makes — a
page and each fragment it loads — since each is answered on its own (its own session and
membership read, its own latency); the screens' totals are printed beside it
(``max_dynamodb_requests_per_screen``) so that moving work into fragments hides nothing.

The floor is the same day's Query sent straight through boto3 from this process; it is
sampled taking turns with our day query (one of each per round), so both see the machine in
the same state and their ratio compares like with like.

Prints a table, writes bench/results.json (BENCH_RESULTS overrides the path) and exits 1,
naming them, when targets are missed: day query p95 < 50 ms, big/small p95 ratio <= 1.3,
our p50 within 3x of the raw boto3 Query, no request above 6 DynamoDB requests, zero errors.

Then the outage run (bench/outage.py: DynamoDB frozen and killed under load; nothing acknowledged
is lost or doubled, every failure is a quick 503) adds its ``outage_*`` figures and targets;
BENCH_OUTAGE=0 leaves it out.

BENCH_SCALE: ``full`` (default: 1,000 wells, 100,000 events, 200 samples, 30 s of load),
``small`` (a quick look: 40 wells, 5,000 events), ``tiny`` (the end-to-end test of the suite).
BENCH_SAMPLES, BENCH_LOAD_SECONDS and BENCH_BIG_EVENTS override the scale's values.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welltrack.settings")

SCALES = {
    "full": {"wells": 1000, "projects": 20, "big_events": 100_000, "samples": 200, "load_seconds": 30, "warmup": 10},
    "small": {"wells": 40, "projects": 4, "big_events": 5_000, "samples": 50, "load_seconds": 5, "warmup": 5},
    "tiny": {"wells": 4, "projects": 2, "big_events": 200, "samples": 5, "load_seconds": 1, "warmup": 2},
}
TARGETS = {
    "day_query_p95_ms": 50,
    "day_query_ratio_big_small": 1.3,
    "p50_vs_raw_ratio": 3.0,
    "max_dynamodb_requests_per_page": 6,
}
LOAD_CLIENTS = 16


def scale() -> dict:
    name = os.environ.get("BENCH_SCALE", "full")
    if name not in SCALES:
        raise SystemExit(f"BENCH_SCALE must be one of {', '.join(SCALES)}")
    values = {"name": name, **SCALES[name]}
    for key, variable in (
        ("samples", "BENCH_SAMPLES"),
        ("load_seconds", "BENCH_LOAD_SECONDS"),
        ("big_events", "BENCH_BIG_EVENTS"),
    ):
        if os.environ.get(variable):
            values[key] = int(os.environ[variable])
    return values


def missed_targets(summary: dict) -> list[str]:
    """The targets the run missed, each as ``key value (target)``."""
    missed = [
        f"{key} {summary[key]} (target {'<' if key == 'day_query_p95_ms' else '<='} {limit})"
        for key, limit in TARGETS.items()
        if (summary[key] >= limit if key == "day_query_p95_ms" else summary[key] > limit)
    ]
    if summary["errors"]:
        missed.append(f"errors {summary['errors']} (target 0)")
    return missed


def main() -> int:
    from welltrack.testing import DynamoDBLocal, free_port

    config = scale()
    ddb = DynamoDBLocal().start()
    prefix = f"bench{uuid.uuid4().hex[:6]}-"
    env = {
        "DYNAMODB_ENDPOINT": ddb.endpoint,
        "WELLTRACK_TABLE_PREFIX": prefix,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "WELLTRACK_DB_METRICS_HEADERS": "true",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    server = None
    try:
        import django

        django.setup()
        import subprocess

        from bench.harness import Gunicorn
        from bench.seed import seed
        from welltrack.tables import ensure_tables

        print(
            f"scale: {config['name']} ({config['wells']} wells, {config['big_events']} events on the big well)",
            flush=True,
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=BASE_DIR,
            env={**os.environ},
            check=True,
        )
        ensure_tables(log=lambda line: None)
        started = time.monotonic()
        world = seed(
            log=lambda line: print(f"  seeded {line}", flush=True),
            big_events=config["big_events"],
            wells_total=config["wells"],
            projects=config["projects"],
        )
        print(f"seeding took {time.monotonic() - started:.0f} s", flush=True)
        server = Gunicorn(free_port(), env).start()
        summary = measure(server, world, config, endpoint=ddb.endpoint, prefix=prefix)
    finally:
        if server is not None:
            server.stop()
        ddb.stop()

    results_path = Path(os.environ.get("BENCH_RESULTS", BASE_DIR / "bench" / "results.json"))
    results_path.write_text(json.dumps(summary, indent=2) + "\n")
    print_table(summary)
    missed = missed_targets(summary)
    if os.environ.get("BENCH_OUTAGE", "1") != "0":
        from bench import outage

        print("\noutage run (bench/outage.py)", flush=True)
        figures = outage.run(config["name"], collect_static=False)
        summary.update(figures)
        results_path.write_text(json.dumps(summary, indent=2) + "\n")
        outage.print_figures(figures)
        missed += outage.missed_targets(figures)
    if missed:
        print("\ntargets missed:\n  " + "\n  ".join(missed))
        return 1
    print("\nall targets met")
    return 0


def measure(server, world: dict, config: dict, *, endpoint: str, prefix: str) -> dict:
    import requests

    from bench.harness import (
        load,
        load_triggered_fragments,
        percentiles,
        sample,
        sample_alternately,
        session_cookie,
    )

    cookie = session_cookie(world["owner"])
    session = requests.Session()
    session.headers["Cookie"] = cookie
    errors = {"count": 0}

    def get(url: str, *, fragment: bool = False) -> requests.Response:
        response = session.get(url, timeout=30, headers={"HX-Request": "true"} if fragment else {})
        if response.status_code != 200:
            errors["count"] += 1
            print(f"  ! {response.status_code} {url}", flush=True)
        return response

    org, big, small, project = world["org"], world["big"], world["small"], world["project"]
    busy_day = date(2024, 6, 12)  # the comparison well's 50 events are all on this day too
    screens = {
        "day_query_big": f"/api/events?wellId={big.well_id}&date={busy_day.isoformat()}",
        "day_query_small": f"/api/events?wellId={small.well_id}&date={busy_day.isoformat()}",
        "week_feed_big": f"/api/wells/{big.well_id}/calendar?start=2024-06-10T00:00:00Z&end=2024-06-17T00:00:00Z",
        "well_page": f"/orgs/{org.org_id}/wells/{big.well_id}/",
        "project_page": f"/orgs/{org.org_id}/projects/{project.project_id}/",
        "dashboard": f"/orgs/{org.org_id}/",
    }
    latency: dict[str, dict] = {}
    requests_: dict[str, dict] = {}
    screen_totals: dict[str, dict] = {}
    for screen, path in screens.items():
        page_url = server.url + path
        first = get(page_url)
        is_html = first.headers.get("Content-Type", "").startswith("text/html")
        parts = [(screen, page_url, False)] + [
            (f"{screen} + {fragment_name(url, page_url)}", url, True)
            for url in (load_triggered_fragments(page_url, first.text) if is_html else [])
        ]
        for name, url, fragment in parts:
            costs: list[tuple[int, float]] = []

            def one(u=url, f=fragment, c=costs):
                response = get(u, fragment=f)
                c.append(
                    (
                        int(response.headers.get("X-DynamoDB-Requests", "-1")),
                        float(response.headers.get("X-DynamoDB-Read-Units", "0")),
                    )
                )

            if name == "day_query_big":
                # Taking turns with the floor, so that the ratio compares like with like.
                ours, raw = sample_alternately(
                    [one, _raw_day_query(endpoint, prefix, big, busy_day)], config["samples"], warmup=config["warmup"]
                )
                latency[name], raw_latency = percentiles(ours), percentiles(raw)
            else:
                latency[name] = percentiles(sample(one, config["samples"], warmup=config["warmup"]))
            warm = costs[config["warmup"] :]  # the cold first requests are not the page's cost
            requests_[name] = {
                "dynamodb_requests": max(c[0] for c in warm),
                "read_capacity_units": max(c[1] for c in warm),
            }

        def whole_screen(p=parts):
            for _, url, fragment in p:
                get(url, fragment=fragment)

        latency_total = percentiles(sample(whole_screen, max(5, config["samples"] // 4), warmup=1))
        names = [name for name, _, _ in parts]
        screen_totals[screen] = {
            "requests": names,
            "dynamodb_requests": sum(requests_[n]["dynamodb_requests"] for n in names),
            "read_capacity_units": round(sum(requests_[n]["read_capacity_units"] for n in names), 1),
            "sequential_ms": latency_total,
        }
        print(f"  measured {screen} ({len(parts)} request{'s' if len(parts) > 1 else ''})", flush=True)

    latency["raw_boto3_day_query"] = raw_latency

    print(f"  load: well page, {LOAD_CLIENTS} clients, {config['load_seconds']} s", flush=True)
    load_result = load(server.url + screens["well_page"], cookie, LOAD_CLIENTS, config["load_seconds"])
    peak_rss_mb = round(max(server.peak_rss_kb.values() or [0]) / 1024, 1)
    return {
        "day_query_p95_ms": latency["day_query_big"]["p95"],
        "day_query_ratio_big_small": round(latency["day_query_big"]["p95"] / latency["day_query_small"]["p95"], 2),
        "p50_vs_raw_ratio": round(latency["day_query_big"]["p50"] / latency["raw_boto3_day_query"]["p50"], 2),
        "max_dynamodb_requests_per_page": max(r["dynamodb_requests"] for r in requests_.values()),
        "max_dynamodb_requests_per_screen": max(s["dynamodb_requests"] for s in screen_totals.values()),
        "well_page_rps": load_result["rps"],
        "errors": errors["count"] + load_result["errors"],
        "worker_peak_rss_mb": peak_rss_mb,
        "load_tool": load_result["tool"],
        "scale": config["name"],
        "big_well_events": config["big_events"],
        "wells": config["wells"],
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "screens": screen_totals,
        "requests": requests_,
        "latency_ms": latency,
    }


def fragment_name(url: str, page_url: str) -> str:
    """A short name for a fragment URL: the part of it that differs from the page's."""
    from urllib.parse import urlsplit

    page, part = urlsplit(page_url), urlsplit(url)
    path = part.path[len(page.path) :] if part.path.startswith(page.path) else part.path
    return (path.strip("/") + ("?" + part.query if part.query else "")) or url


def _raw_day_query(endpoint: str, prefix: str, big, day: date):
    """The floor: the same day's Query straight through boto3, in this process."""
    import boto3
    from django.conf import settings

    from wells.times import local_day_window, to_iso

    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=settings.AWS_REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    day_start, day_end = local_day_window(day, big.time_zone)

    def raw_query():
        client.query(
            TableName=f"{prefix}Events",
            IndexName="WellEventsIndex",
            KeyConditionExpression="wellId = :w AND startTime BETWEEN :a AND :b",
            ExpressionAttributeValues={
                ":w": {"S": big.well_id},
                ":a": {"S": to_iso(day_start)},
                ":b": {"S": to_iso(day_end - timedelta(seconds=1))},
            },
        )

    return raw_query


def print_table(summary: dict) -> None:
    print(f"\n{'request':<44}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'DDB req':>9}{'RCU':>8}")
    for name, stats in summary["latency_ms"].items():
        cost = summary["requests"].get(name, {})
        print(
            f"{name:<44}{stats['p50']:>9}{stats['p95']:>9}{stats['p99']:>9}"
            f"{cost.get('dynamodb_requests', '')!s:>9}{cost.get('read_capacity_units', '')!s:>8}"
        )
    print(
        f"\n{'screen (page + the fragments it loads)':<44}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'DDB req':>9}{'RCU':>8}"
    )
    for name, screen in summary["screens"].items():
        stats = screen["sequential_ms"]
        print(
            f"{name:<44}{len(screen['requests']):>9}{stats['p50']:>9}{stats['p95']:>9}"
            f"{screen['dynamodb_requests']:>9}{screen['read_capacity_units']:>8}"
        )
    print()
    for key in (
        "day_query_p95_ms",
        "day_query_ratio_big_small",
        "p50_vs_raw_ratio",
        "max_dynamodb_requests_per_page",
        "max_dynamodb_requests_per_screen",
        "well_page_rps",
        "errors",
        "worker_peak_rss_mb",
    ):
        target = TARGETS.get(key)
        print(
            f"{key:<36}{summary[key]!s:>10}"
            + (f"   target {'<' if key == 'day_query_p95_ms' else '<='} {target}" if target else "")
        )
    print(f"{'load tool':<36}{summary['load_tool']:>10}   scale {summary['scale']}")


if __name__ == "__main__":
    raise SystemExit(main())
