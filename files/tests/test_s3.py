"""The same flow against S3 (moto's ThreadedMotoServer on a free port; DynamoDB stays on DynamoDB Local)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from files import storage
from files.models import File
from files.testing import S3Fault
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
    now = datetime.now(UTC)
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
    expiration = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert expiration - now <= timedelta(minutes=10, seconds=5)
    assert answer["fields"]["key"] == key
    assert answer["fields"]["x-amz-server-side-encryption"] == "AES256"
    assert answer["url"].startswith(s3_storage.endpoint)


def test_full_flow_on_s3(editor, well, s3_storage):
    response = ticket(editor, well, data=PDF, name="Mud log.pdf")
    assert response.status_code == 201
    answer = response.json()
    sent = requests.post(
        answer["url"], data=answer["fields"], files={"file": ("Mud log.pdf", PDF, "application/pdf")}, timeout=10
    )
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
    requests.post(
        answer["url"], data=answer["fields"], files={"file": ("report.pdf", PDF, "application/pdf")}, timeout=10
    )
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
    sent = requests.post(
        answer["url"], data=answer["fields"], files={"file": ("log.txt", b"x" * 50, "text/plain")}, timeout=10
    )
    assert sent.status_code in (200, 201, 204)
    key = answer["fields"]["key"]
    assert storage.object_size(key) == 50
    assert complete(editor, answer["fileId"]).status_code == 422
    assert storage.object_size(key) is None
    assert [e for e in latest_events(well_id=well.well_id, limit=50) if e.file_id == answer["fileId"]] == []


def test_delete_removes_the_s3_object(editor, well, s3_storage):
    answer = ticket(editor, well, data=PDF).json()
    requests.post(
        answer["url"], data=answer["fields"], files={"file": ("report.pdf", PDF, "application/pdf")}, timeout=10
    )
    body = complete(editor, answer["fileId"]).json()
    assert editor.delete(f"/api/files/{body['fileId']}").status_code == 204
    assert storage.object_size(body["s3Key"]) is None


def _uploaded(editor, well, data=PDF, name="report.pdf", file_type="application/pdf") -> dict:
    """A ticket whose object has arrived on S3 (not yet completed)."""
    answer = ticket(editor, well, data=data, name=name, file_type=file_type).json()
    sent = requests.post(answer["url"], data=answer["fields"], files={"file": (name, data, file_type)}, timeout=10)
    assert sent.status_code in (200, 201, 204), sent.text
    return answer


def _finished(editor, well, **kwargs) -> dict:
    answer = _uploaded(editor, well, **kwargs)
    response = complete(editor, answer["fileId"])
    assert response.status_code == 201
    return response.json()


def _download(editor, file_id: str, inline: bool = False):
    url = editor.get(f"/api/files/{file_id}/download?redirect=false&inline={str(inline).lower()}").json()["url"]
    return parse_qs(urlsplit(url).query), requests.get(url, timeout=10)


# --- what a presigned GET makes S3 answer (S3 cannot send nosniff: nothing is left to sniff) ---


def test_html_is_served_as_an_octet_stream_attachment_even_when_a_preview_is_asked(editor, well, s3_storage):
    body = _finished(
        editor, well, data=b"<script>alert(document.cookie)</script>", name="page.html", file_type="text/html"
    )
    query, answer = _download(editor, body["fileId"], inline=True)
    assert query["response-content-type"] == ["application/octet-stream"]
    assert query["response-content-disposition"] == ['attachment; filename="page.html"']
    assert answer.headers["Content-Type"] == "application/octet-stream"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="page.html"'


def test_a_text_file_is_served_as_an_octet_stream_not_its_own_type(editor, well, s3_storage):
    body = _finished(editor, well, data=b"depth,rop\n1200,14\n", name="rates.csv", file_type="text/csv")
    query, answer = _download(editor, body["fileId"])
    assert query["response-content-type"] == ["application/octet-stream"]
    assert answer.headers["Content-Type"] == "application/octet-stream"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="rates.csv"'


def test_a_pdf_keeps_its_type_and_is_inline_only_when_previewed(editor, well, s3_storage):
    body = _finished(editor, well)
    saved_query, saved = _download(editor, body["fileId"])
    preview_query, preview = _download(editor, body["fileId"], inline=True)
    assert saved_query["response-content-type"] == ["application/pdf"]
    assert saved.headers["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert preview_query["response-content-type"] == ["application/pdf"]
    assert preview.headers["Content-Disposition"] == 'inline; filename="report.pdf"'
    assert preview.content == PDF


def test_a_download_domain_carries_the_same_signed_path_and_query(editor, well, s3_storage, settings):
    body = _finished(editor, well)
    direct = urlsplit(editor.get(f"/api/files/{body['fileId']}/download?redirect=false").json()["url"])
    settings.WELLTRACK_DOWNLOAD_DOMAIN = "files.welltrack.example.com"
    routed = urlsplit(editor.get(f"/api/files/{body['fileId']}/download?redirect=false").json()["url"])
    assert (routed.scheme, routed.netloc) == ("https", "files.welltrack.example.com")
    assert routed.path == direct.path
    assert parse_qs(routed.query)["response-content-type"] == ["application/pdf"]
    assert "X-Amz-Signature" in parse_qs(routed.query)


# --- S3 failing at each step: a clear 503 naming the file store, and no File without its object ---


def _files_of(well) -> list[File]:
    # A test may scan its own table; the app never does.
    return list(File.scan(File.well_id == well.well_id, consistent_read=True))


class _NoCredentials:
    """The instance role's credentials cannot be refreshed (metadata service down)."""

    def get_frozen_credentials(self):
        from botocore.exceptions import CredentialRetrievalError

        raise CredentialRetrievalError(provider="iam-role", error_msg="metadata service did not answer")


def test_ticket_without_s3_credentials_answers_503_and_reserves_nothing(editor, well, s3_storage, monkeypatch):
    # Presigning happens on our side; what can fail there is the signing credentials.
    monkeypatch.setattr(storage._s3_client()._request_signer, "_credentials", _NoCredentials())
    response = ticket(editor, well, data=PDF)
    assert response.status_code == 503
    assert "file store is not answering" in response.json()["detail"]
    assert response["Retry-After"]
    assert _files_of(well) == []


@pytest.mark.parametrize("kind", ["unreachable", "slow-down"])
def test_completion_while_s3_fails_answers_503_and_records_nothing(editor, well, s3_storage, kind):
    answer = _uploaded(editor, well)
    with S3Fault("HeadObject", kind) as fault:
        response = complete(editor, answer["fileId"])
    assert fault.attempts == 3  # botocore retried twice before giving up
    assert response.status_code == 503
    assert "file store is not answering" in response.json()["detail"]
    assert [f.status for f in _files_of(well)] == ["PENDING"]
    assert [e for e in latest_events(well_id=well.well_id, limit=50) if e.file_id == answer["fileId"]] == []
    assert editor.get(f"/api/files?wellId={well.well_id}").json()["items"] == []
    # S3 back: the same completion goes through, once.
    assert complete(editor, answer["fileId"]).status_code == 201
    assert len([e for e in latest_events(well_id=well.well_id, limit=50) if e.file_id == answer["fileId"]]) == 1


def test_every_recorded_file_has_its_object_after_failed_completions(editor, well, s3_storage):
    failed = _uploaded(editor, well, name="failed.pdf")
    with S3Fault("HeadObject", "unreachable"):
        assert complete(editor, failed["fileId"]).status_code == 503
    done = _finished(editor, well, name="done.pdf")
    ready = [f for f in _files_of(well) if f.status == "READY"]
    assert [f.file_id for f in ready] == [done["fileId"]]
    for file in ready:
        assert storage.object_size(file.s3_key) == int(file.file_size)


def test_download_while_s3_fails_answers_a_503_page_naming_the_file_store(editor, well, s3_storage, org_world):
    body = _finished(editor, well)
    with S3Fault("HeadObject", "slow-down"):
        page = editor.get(f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/download/")
        api = editor.get(f"/api/files/{body['fileId']}/download")
    assert page.status_code == 503
    assert "file store is not answering" in page.content.decode()
    assert api.status_code == 503
    assert "file store is not answering" in api.json()["detail"]
    assert editor.get(f"/api/files/{body['fileId']}/download").status_code == 302


def test_download_of_a_file_whose_object_is_gone_says_so(editor, well, s3_storage):
    body = _finished(editor, well)
    s3_storage.client().delete_object(Bucket=s3_storage.bucket, Key=body["s3Key"])
    response = editor.get(f"/api/files/{body['fileId']}/download")
    assert response.status_code == 404
    assert "stored copy of this file is missing" in response.json()["detail"]


# --- deleting one file: the object goes first, so a failing S3 leaves the file whole ---


@pytest.mark.parametrize("kind", ["unreachable", "slow-down"])
def test_delete_while_s3_fails_answers_503_and_the_file_stays_listed_and_downloadable(editor, well, s3_storage, kind):
    from welltrack.audit import AuditLog

    body = _finished(editor, well)
    with S3Fault("DeleteObject", kind) as fault:
        response = editor.delete(f"/api/files/{body['fileId']}")
    assert fault.attempts == 3  # botocore retried twice before giving up
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "“report.pdf” was not deleted" in response.json()["detail"]
    assert [f["fileId"] for f in editor.get(f"/api/files?wellId={well.well_id}").json()["items"]] == [body["fileId"]]
    _, downloaded = _download(editor, body["fileId"])
    assert downloaded.content == PDF
    assert [e.action for e in AuditLog.entity_history_index.query(body["fileId"])] == ["CREATE"]
    # S3 back: the same DELETE does the whole job.
    assert editor.delete(f"/api/files/{body['fileId']}").status_code == 204
    assert storage.object_size(body["s3Key"]) is None
    assert _files_of(well) == []


def test_delete_page_while_s3_fails_says_the_file_was_not_deleted_and_offers_to_try_again(
    editor, well, s3_storage, org_world
):
    body = _finished(editor, well)
    url = f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/delete/"
    with S3Fault("DeleteObject", "slow-down"):
        page = editor.post(url, {"version": body["version"]})
    assert page.status_code == 503
    text = page.content.decode()
    assert "“report.pdf” was not deleted: it is still listed and can be downloaded" in text
    assert "Try again" in text
    assert editor.get(f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/").status_code == 200
    assert storage.object_size(body["s3Key"]) == len(PDF)
    assert editor.post(url, {"version": body["version"]}).status_code == 302
    assert storage.object_size(body["s3Key"]) is None
    assert _files_of(well) == []


# --- deleting a well ---


def test_deleting_a_well_removes_objects_uploaded_but_never_completed(editor, well, s3_storage, org_world):
    from wells import services
    from wells.selectors import well_get
    from wells.testing import actor_for

    done = _finished(editor, well, name="done.pdf")
    abandoned = _uploaded(editor, well, name="abandoned.pdf")
    prefix = storage.well_prefix(org_id=well.org_id, well_id=well.well_id)
    listed = s3_storage.client().list_objects_v2(Bucket=s3_storage.bucket, Prefix=prefix)
    assert {o["Key"] for o in listed["Contents"]} == {done["s3Key"], abandoned["fields"]["key"]}
    result = services.well_delete(actor=actor_for(org_world.users["ADMIN"]), well=well_get(well_id=well.well_id))
    assert result["files"] == 1
    assert s3_storage.client().list_objects_v2(Bucket=s3_storage.bucket, Prefix=prefix).get("KeyCount") == 0
