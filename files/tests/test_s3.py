"""The same flow against S3 (moto's ThreadedMotoServer on a free port; DynamoDB stays on DynamoDB Local)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from files import storage
from files.tests.helpers import complete, ticket
from wells.selectors import latest_events

PDF = b"%PDF-1.4\n" + b"mud log " * 200


@pytest.fixture
def editor(org_world, client_for):
    return client_for(org_world.users["EDITOR"])


def _policy(fields: dict) -> dict:
    return json.loads(base64.b64decode(fields["policy"]))


def test_presigned_post_policy_names_exact_key_size_range_type_encryption_and_a_short_expiry(s3_storage):
    key = "orgs/o/wells/w/f/report.pdf"
    now = datetime.now(timezone.utc)
    answer = storage.upload_ticket(file_id="f", key=key, size=123, content_type="application/pdf", now=now)
    policy = _policy(answer["fields"])
    conditions = policy["conditions"]
    assert {"key": key} in conditions
    assert {"bucket": s3_storage.bucket} in conditions
    assert ["content-length-range", 1, storage.max_upload_bytes()] in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert {"x-amz-server-side-encryption": "AES256"} in conditions
    # No "starts-with" condition: nothing in the form can be varied.
    assert not [c for c in conditions if isinstance(c, list) and c[0] == "starts-with"]
    expiration = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert expiration - now <= timedelta(minutes=10, seconds=5)
    assert answer["fields"]["key"] == key
    assert answer["fields"]["x-amz-server-side-encryption"] == "AES256"
    assert answer["url"].startswith(s3_storage.endpoint)


def test_full_flow_on_s3(editor, well, s3_storage):
    response = ticket(editor, well, data=PDF, name="Mud log.pdf")
    assert response.status_code == 201
    answer = response.json()
    sent = requests.post(answer["url"], data=answer["fields"], files={"file": ("Mud log.pdf", PDF, "application/pdf")}, timeout=10)
    assert sent.status_code in (200, 201, 204), sent.text
    finished = complete(editor, answer["fileId"])
    assert finished.status_code == 201
    body = finished.json()
    assert body["s3Bucket"] == s3_storage.bucket
    head = s3_storage.client().head_object(Bucket=s3_storage.bucket, Key=body["s3Key"])
    assert head["ContentLength"] == len(PDF)
    assert head["ContentType"] == "application/pdf"
    # (moto does not record the encryption field of a POST upload; the policy test checks it is required.)
    events = [e for e in latest_events(well_id=well.well_id) if e.file_id == body["fileId"]]
    assert [e.title for e in events] == ["File uploaded: Mud log.pdf"]
    assert complete(editor, answer["fileId"]).status_code == 200


def test_download_is_a_short_lived_presigned_get_with_attachment(editor, well, s3_storage):
    answer = ticket(editor, well, data=PDF, name="report.pdf").json()
    requests.post(answer["url"], data=answer["fields"], files={"file": ("report.pdf", PDF, "application/pdf")}, timeout=10)
    file_id = complete(editor, answer["fileId"]).json()["fileId"]
    redirect = editor.get(f"/api/files/{file_id}/download")
    assert redirect.status_code == 302
    url = redirect["Location"]
    query = parse_qs(urlsplit(url).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert query["response-content-disposition"] == ['attachment; filename="report.pdf"']
    downloaded = requests.get(url, timeout=10)
    assert downloaded.content == PDF
    assert downloaded.headers["Content-Disposition"] == 'attachment; filename="report.pdf"'


def test_an_object_bigger_than_declared_on_s3_is_deleted_and_not_recorded(editor, well, s3_storage):
    answer = ticket(editor, well, size=10, file_type="text/plain", name="log.txt").json()
    # Within content-length-range, so S3 takes it; completion holds it to the declared size.
    sent = requests.post(answer["url"], data=answer["fields"], files={"file": ("log.txt", b"x" * 50, "text/plain")}, timeout=10)
    assert sent.status_code in (200, 201, 204)
    key = answer["fields"]["key"]
    assert storage.object_size(key) == 50
    assert complete(editor, answer["fileId"]).status_code == 422
    assert storage.object_size(key) is None
    assert [e for e in latest_events(well_id=well.well_id, limit=50) if e.file_id == answer["fileId"]] == []


def test_delete_removes_the_s3_object(editor, well, s3_storage):
    answer = ticket(editor, well, data=PDF).json()
    requests.post(answer["url"], data=answer["fields"], files={"file": ("report.pdf", PDF, "application/pdf")}, timeout=10)
    body = complete(editor, answer["fileId"]).json()
    assert editor.delete(f"/api/files/{body['fileId']}").status_code == 204
    assert storage.object_size(body["s3Key"]) is None
