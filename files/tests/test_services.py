"""files.services when DynamoDB's answer to a write is lost on the way back."""

import json

import boto3
import pytest
from django.conf import settings

from files import services
from files.models import PENDING, File
from wells.testing import actor_for
from welltrack.faults import error_response, injected

pytestmark = pytest.mark.usefixtures("local_media")


class LandsThenLosesTheAnswer:
    """Sends the first PutItem to ``table`` to DynamoDB itself, then answers 500 as if the answer
    had been lost on its way back (a timeout does the same): botocore retries a write that has
    already landed, as the outage run (bench/outage.py) saw when DynamoDB came back."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.landed = False

    def __call__(self, request, **_kwargs):
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        body = json.loads(request.body or b"{}")
        if self.landed or not target.endswith(".PutItem") or body.get("TableName") != self.table:
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


def test_a_ticket_whose_reservation_landed_but_whose_answer_was_lost_is_issued(org_world, well):
    with injected(LandsThenLosesTheAnswer(File.Meta.table_name)) as hook:
        file, _ticket = services.file_ticket_create(
            actor=actor_for(org_world.users["EDITOR"]),
            well=well,
            file_name="DDR.pdf",
            file_type="application/pdf",
            file_size=100,
        )
    assert hook.landed
    stored = File.get(file.file_id, consistent_read=True)
    assert (stored.status, stored.s3_key, stored.requested_at) == (PENDING, file.s3_key, file.requested_at)
