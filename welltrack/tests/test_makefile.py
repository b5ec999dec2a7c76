"""`make dynamodb` / `make stop` manage the Java process they start, and nothing else."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MAKEFLAGS": ""},
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def var_dir(tmp_path):
    return tmp_path / "var"


def test_make_stop_stops_the_dynamodb_local_that_make_started(var_dir):
    port = _free_port()
    started = _make("dynamodb", f"VAR={var_dir}", f"DYNAMODB_PORT={port}")
    assert started.returncode == 0, started.stdout + started.stderr
    pid = int((var_dir / "dynamodb.pid").read_text())
    try:
        assert _alive(pid)
        assert "java" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
        assert _port_open(port)
        stopped = _make("stop", f"VAR={var_dir}", f"DYNAMODB_PORT={port}")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert not _alive(pid)
        assert not _port_open(port)
        assert not (var_dir / "dynamodb.pid").exists()
    finally:
        if _alive(pid):
            os.kill(pid, 9)


def test_make_refuses_a_port_held_by_something_it_did_not_start(var_dir):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = _make("dynamodb", f"VAR={var_dir}", f"DYNAMODB_PORT={port}")
    assert result.returncode != 0
    assert f"Port {port} is in use by a process this checkout did not start" in result.stdout
    assert not (var_dir / "dynamodb.pid").exists()


def test_emailed_links_follow_the_port_make_run_serves_on():
    dry = _make("-n", "run", "PORT=9000")
    serve = [line for line in dry.stdout.splitlines() if "runserver" in line]
    assert serve and "WELLTRACK_BASE_URL=http://127.0.0.1:9000" in serve[0] and "127.0.0.1:9000" in serve[0]
