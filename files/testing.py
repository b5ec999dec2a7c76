"""Test support for files: storage pointed at a temporary directory, or at moto's S3 server.

Fixtures (import them into a test module or a conftest): ``local_media`` (FileSystemStorage
in a temporary directory, no bucket), ``s3_server`` (moto's ThreadedMotoServer on a free
port, S3 only — DynamoDB stays on DynamoDB Local), ``s3_storage`` (settings and
default_storage pointed at that server's bucket, with the production client settings:
timeouts and 3 attempts). :class:`S3Fault` makes the S3 client fail one operation.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from welltrack.testing import free_port

S3_CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}
REGION = "eu-west-1"


@pytest.fixture
def local_media(settings, tmp_path):
    """Local storage under a fresh directory (override through ``settings`` resets default_storage)."""
    settings.AWS_STORAGE_BUCKET_NAME = None
    settings.AWS_S3_ENDPOINT_URL = None
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": "/media/"},
        },
    }
    return tmp_path


class MotoS3:
    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=S3_CREDENTIALS["access_key"],
            aws_secret_access_key=S3_CREDENTIALS["secret_key"],
        )

    def create_bucket(self) -> str:
        name = f"welltrack-test-{uuid.uuid4().hex[:10]}"
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        return name


@pytest.fixture(scope="session")
def s3_server():
    server = MotoS3()
    server.server.start()
    yield server
    server.server.stop()


@pytest.fixture
def s3_storage(settings, s3_server):
    """A fresh bucket on the moto server; settings and default_storage point at it."""
    bucket = s3_server.create_bucket()
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.AWS_S3_ENDPOINT_URL = s3_server.endpoint
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "region_name": REGION,
                "endpoint_url": s3_server.endpoint,
                "default_acl": None,
                "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"},
                "signature_version": "s3v4",
                "client_config": settings.S3_CLIENT_CONFIG,
                **S3_CREDENTIALS,
            },
        },
    }
    s3_server.bucket = bucket
    return s3_server


class _Body:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs):
        yield self._body

    def read(self, *_args) -> bytes:
        return self._body


class S3Fault:
    """Fails every attempt of one S3 operation of our client, as an outage would: ``slow-down``
    answers S3's 503 SlowDown, ``unreachable`` raises a connection error. Installed as a
    botocore ``before-send`` handler, so botocore's own retries run; ``attempts`` counts them.

        with S3Fault("HeadObject", "unreachable") as fault: ...
    """

    def __init__(self, operation: str, kind: str = "slow-down") -> None:
        self.operation, self.kind = operation, kind
        self.attempts = 0
        self._lock = threading.Lock()

    def __call__(self, request, **_kwargs):
        with self._lock:
            self.attempts += 1
        if self.kind == "unreachable":
            raise EndpointConnectionError(endpoint_url=request.url)
        body = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
        return AWSResponse(request.url, 503, {"Content-Type": "application/xml"}, _Body(body))

    def _events(self):
        from files.storage import _s3_client

        return _s3_client().meta.events

    def __enter__(self) -> S3Fault:
        self._events().register(f"before-send.s3.{self.operation}", self, unique_id=f"s3-fault-{id(self)}")
        return self

    def __exit__(self, *exc) -> None:
        self._events().unregister(f"before-send.s3.{self.operation}", unique_id=f"s3-fault-{id(self)}")


class LocalStoreFault:
    """Makes local storage (FileSystemStorage) refuse to delete, as a read-only or failing disk
    does: ``os.remove`` raises ``PermissionError`` for the objects under ``media``. (As root a
    read-only mode bit would not stop the deletion, so the refusal is injected.) ``attempts``
    counts the refused deletions.

        with LocalStoreFault(local_media) as fault: ...
    """

    def __init__(self, media) -> None:
        self.media = str(media)
        self.attempts = 0
        self._original = None

    def _remove(self, path, *args, **kwargs):
        if str(path).startswith(self.media):
            self.attempts += 1
            raise PermissionError(13, "Read-only file system (injected)", str(path))
        return self._original(path, *args, **kwargs)

    def __enter__(self) -> LocalStoreFault:
        import os

        self._original = os.remove
        os.remove = self._remove
        return self

    def __exit__(self, *exc) -> None:
        import os

        os.remove = self._original
