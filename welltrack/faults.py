"""Fault injection for tests and drills: answers DynamoDB requests with errors before they are sent.

Installed as a botocore ``before-send`` hook (welltrack.dynamodb.add_before_send_hook), so
botocore's own retry logic runs exactly as it would against a throttling AWS.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import boto3
from botocore.awsrequest import AWSResponse
from django.conf import settings

from welltrack.dynamodb import add_before_send_hook, remove_before_send_hook


class _Body:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs) -> Iterator[bytes]:
        yield self._body

    def read(self, *_args) -> bytes:
        return self._body


def error_response(url: str, code: str, message: str, status: int = 400, extra: dict | None = None) -> AWSResponse:
    body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message, **(extra or {})}
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "fault-injection"}
    return AWSResponse(url, status, headers, _Body(json.dumps(body).encode()))


def _operation(request) -> str:
    target = request.headers.get("X-Amz-Target", b"")
    if isinstance(target, bytes):
        target = target.decode()
    return target.rsplit(".", 1)[-1]


class Throttler:
    """Throttles ``per_call`` consecutive attempts of each matching operation call, then lets one through.

    botocore makes 1 + DYNAMODB_MAX_RETRIES attempts (4 by default): up to 3 throttles per
    call still succeed; 4 or more fail the call.
    """

    def __init__(self, per_call: int, operations: set[str] | None = None) -> None:
        self.per_call = per_call
        self.operations = operations
        self.throttled = 0
        self._streak = 0
        self._lock = threading.Lock()

    def __call__(self, request, **_kwargs):
        if self.operations is not None and _operation(request) not in self.operations:
            return None
        with self._lock:
            if self._streak < self.per_call:
                self._streak += 1
                self.throttled += 1
                return error_response(request.url, "ProvisionedThroughputExceededException", "Injected throttling")
            self._streak = 0
            return None


class Canceller:
    """Cancels matching transactions as DynamoDB does when a concurrent change wins."""

    def __init__(self, reason: str = "TransactionConflict", times: int = 1) -> None:
        self.reason = reason
        self.remaining = times

    def __call__(self, request, **_kwargs):
        if _operation(request) != "TransactWriteItems" or self.remaining <= 0:
            return None
        self.remaining -= 1
        items = json.loads(request.body).get("TransactItems", [])
        reasons = [{"Code": self.reason, "Message": "Injected"}] + [{"Code": "None"}] * (len(items) - 1)
        return error_response(
            request.url,
            "TransactionCanceledException",
            f"Transaction cancelled [{self.reason}]",
            extra={"CancellationReasons": reasons},
        )


class LandsThenLosesTheAnswer:
    """Sends the first PutItem to ``table`` to DynamoDB itself, then answers 500 as if the answer
    had been lost on its way back (a timeout does the same): botocore retries a write that has
    already landed, as the outage run (bench/outage.py) saw when DynamoDB came back."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.landed = False

    def __call__(self, request, **_kwargs):
        body = json.loads(request.body or b"{}")
        if self.landed or _operation(request) != "PutItem" or body.get("TableName") != self.table:
            return None
        boto3.client(
            "dynamodb",
            endpoint_url=settings.DYNAMODB_ENDPOINT,
            region_name=settings.AWS_REGION,
            aws_access_key_id="local",
            aws_secret_access_key="local",
        ).put_item(**body)
        self.landed = True
        return error_response(request.url, "InternalServerError", "Injected: the answer was lost", status=500)


@contextmanager
def injected(hook) -> Iterator:
    add_before_send_hook(hook)
    try:
        yield hook
    finally:
        remove_before_send_hook(hook)
