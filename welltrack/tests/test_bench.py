"""The benchmark (bench/): its screen discovery, its verdict, and one end-to-end run at tiny scale."""

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.harness import load_triggered_fragments
from bench.run import TARGETS, missed_targets

BASE_DIR = Path(__file__).resolve().parents[2]


def test_a_screen_is_the_page_and_the_fragments_it_loads_by_itself():
    html = """
      <div hx-get="/orgs/o1/dashboard/stages/" hx-trigger="load" hx-swap="innerHTML"></div>
      <div hx-trigger="load, files-changed from:body" hx-get="/orgs/o1/wells/w1/files/?embed=1&amp;stage=s1"></div>
      <div hx-get="?part=history" hx-trigger="load" hx-target="#history"></div>
      <a href="/x/" hx-get="/orgs/o1/wells/w1/edit/">Edit</a>
      <div hx-get="/orgs/o1/more/" hx-trigger="revealed"></div>
      <div hx-get="/orgs/o1/dashboard/stages/" hx-trigger="load"></div>
    """
    assert load_triggered_fragments("http://127.0.0.1:9/orgs/o1/wells/w1/", html) == [
        "http://127.0.0.1:9/orgs/o1/dashboard/stages/",
        "http://127.0.0.1:9/orgs/o1/wells/w1/files/?embed=1&stage=s1",
        "http://127.0.0.1:9/orgs/o1/wells/w1/?part=history",
    ]


def _summary(**changes):
    met = {
        "day_query_p95_ms": 12.0,
        "day_query_ratio_big_small": 1.1,
        "p50_vs_raw_ratio": 2.0,
        "max_dynamodb_requests_per_page": 6,
        "errors": 0,
    }
    return {**met, **changes}


def test_the_verdict_names_every_missed_target_and_nothing_when_all_are_met():
    assert missed_targets(_summary()) == []
    missed = missed_targets(_summary(day_query_p95_ms=50.0, max_dynamodb_requests_per_page=7, errors=2))
    assert missed == [
        "day_query_p95_ms 50.0 (target < 50)",
        "max_dynamodb_requests_per_page 7 (target <= 6)",
        "errors 2 (target 0)",
    ]


def test_the_bench_seeds_serves_and_measures_end_to_end_at_tiny_scale(tmp_path):
    results = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WELLTRACK_", "DYNAMODB_"))}
    run = subprocess.run(
        [sys.executable, "bench/run.py"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        # The outage run takes minutes: its judgement is tested in test_bench_outage.py.
        env={**env, "BENCH_SCALE": "tiny", "BENCH_RESULTS": str(results), "BENCH_OUTAGE": "0"},
    )
    summary = json.loads(results.read_text())
    missed = missed_targets(summary)
    assert run.returncode == (1 if missed else 0), run.stdout + run.stderr
    assert all(line in run.stdout for line in missed)
    assert set(TARGETS) | {"well_page_rps", "errors", "worker_peak_rss_mb"} <= set(summary)
    assert summary["errors"] == 0
    # The dashboard is the page and its three parts; the well page adds its history and file list.
    assert len(summary["screens"]["dashboard"]["requests"]) == 4
    assert len(summary["screens"]["well_page"]["requests"]) == 3
    dashboard = summary["screens"]["dashboard"]
    assert dashboard["dynamodb_requests"] == sum(
        summary["requests"][name]["dynamodb_requests"] for name in dashboard["requests"]
    )
    assert summary["well_page_rps"] > 0
    assert "screen (page + the fragments it loads)" in run.stdout
