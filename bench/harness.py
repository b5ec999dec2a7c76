"""Benchmark plumbing: DynamoDB Local, gunicorn, latency sampling, load, worker memory."""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

BASE_DIR = Path(__file__).resolve().parent.parent


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
        return round(ordered[index], 2)

    return {
        "p50": pick(0.50),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "mean": round(statistics.fmean(ordered), 2),
        "n": len(ordered),
    }


def sample(fn, n: int, warmup: int = 10) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def sample_alternately(fns: list, n: int, warmup: int = 10) -> list[list[float]]:
    """sample() of several functions taking turns, one call each per round: each sees the
    machine as the others do (what DynamoDB Local, the JIT and the OS are doing then)."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for fn, samples in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
    return times


class _LoadTriggered(HTMLParser):
    """The URLs a page fetches by itself once loaded: elements with hx-get and an hx-trigger of "load"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        triggers = [t.strip().split()[0] for t in (values.get("hx-trigger") or "").split(",") if t.strip()]
        if values.get("hx-get") is not None and "load" in triggers:
            self.urls.append(values["hx-get"] or "")


def load_triggered_fragments(page_url: str, html: str) -> list[str]:
    """Absolute URLs of the fragments the page loads right after it (the dashboard's parts,
    the well page's history and file list), in page order, without duplicates."""
    parser = _LoadTriggered()
    parser.feed(html)
    urls: list[str] = []
    for url in parser.urls:
        absolute = urljoin(page_url, url)
        if absolute not in urls:
            urls.append(absolute)
    return urls


class Gunicorn:
    """The app under gunicorn with 2 sync workers, on a loopback port.

    ``log``: a file for gunicorn's output (its access log included), instead of ours.
    """

    def __init__(
        self, port: int, env: dict[str, str], workers: int = 2, timeout: int = 60, log: Path | None = None
    ) -> None:
        self.port = port
        self.env = env
        self.workers = workers
        self.timeout = timeout
        self.log = log
        self.process: subprocess.Popen | None = None
        self.peak_rss_kb: dict[int, int] = {}
        self._stop = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        log = self.log.open("ab") if self.log else None
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "welltrack.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                str(self.timeout),
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT if log else None,
        )
        if log:
            log.close()  # gunicorn has its own copy
        deadline = time.monotonic() + 180  # a busy 2-core machine starts 8 workers slowly
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/health", timeout=2).status_code in (200, 503):
                    break
            except requests.RequestException:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not start")
        threading.Thread(target=self._watch_memory, daemon=True).start()
        return self

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    def _watch_memory(self) -> None:
        while not self._stop.is_set():
            for pid in self.worker_pids():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.peak_rss_kb[pid] = max(self.peak_rss_kb.get(pid, 0), int(line.split()[1]))
                except OSError:
                    pass
            time.sleep(0.5)

    def stop(self) -> None:
        self._stop.set()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def session_cookie(user) -> str:
    """A ``Cookie`` header value with a real session of ``user``, as a sign-in makes it."""
    from importlib import import_module

    from django.conf import settings

    from accounts.middleware import remember_user
    from accounts.session_store import USER_SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[USER_SESSION_KEY] = user.user_id
    remember_user(store, user)  # as a real sign-in does: pages read the name and zone from it
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def load(url: str, cookie: str, concurrency: int, seconds: int) -> dict:
    """Requests per second with ``concurrency`` clients: wrk when installed, else Python threads."""
    if shutil.which("wrk"):
        result = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(concurrency),
                "-d",
                f"{seconds}s",
                "--latency",
                "-H",
                f"Cookie: {cookie}",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
        rps, errors, non_2xx = 0.0, 0, 0
        for line in result.stdout.splitlines():
            line = line.strip()
            if line.startswith("Requests/sec:"):
                rps = float(line.split()[1])
            if line.startswith("Socket errors:"):
                errors += sum(int(part.split()[-1]) for part in line.split(":", 1)[1].split(","))
            if line.startswith("Non-2xx or 3xx responses:"):
                non_2xx = int(line.split(":")[1])
        return {"tool": "wrk", "rps": rps, "errors": errors + non_2xx, "raw": result.stdout}
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        session = requests.Session()
        while time.monotonic() < deadline:
            try:
                ok = session.get(url, headers={"Cookie": cookie}, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            with lock:
                counts["ok" if ok else "errors"] += 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    return {"tool": "python-threads", "rps": round(counts["ok"] / elapsed, 1), "errors": counts["errors"]}
