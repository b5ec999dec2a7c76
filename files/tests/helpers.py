"""Helpers of the files tests: the three upload steps as a browser does them."""

from __future__ import annotations

import json
from datetime import UTC

from django.test import Client


def ticket(
    client: Client,
    well,
    *,
    name="report.pdf",
    file_type="application/pdf",
    size=None,
    data=b"",
    stage=None,
    event=None,
    **extra,
):
    body = {
        "wellId": well.well_id,
        "fileName": name,
        "fileType": file_type,
        "fileSize": size if size is not None else len(data),
    }
    if stage is not None:
        body["stageId"] = stage.stage_id
    if event is not None:
        body["eventId"] = event.event_id
    body.update(extra)
    return client.post("/api/files/upload", data=json.dumps(body), content_type="application/json")


def send_local(client: Client, answer: dict, data: bytes, name: str = "report.pdf"):
    """Step 2 against our own upload view: the ticket's fields, then the file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields = dict(answer["fields"])
    fields["file"] = SimpleUploadedFile(name, data, content_type=fields.get("Content-Type", "application/octet-stream"))
    return client.post(answer["url"].replace("http://testserver", ""), data=fields)


def complete(client: Client, file_id: str):
    return client.post(f"/api/files/{file_id}/complete", content_type="application/json")


def upload(client: Client, well, data: bytes = b"%PDF-1.4 daily drilling report", **kwargs) -> dict:
    """All three steps; returns the completed file (JSON)."""
    answer = ticket(client, well, data=data, **kwargs).json()
    assert send_local(client, answer, data, kwargs.get("name", "report.pdf")).status_code == 204
    response = complete(client, answer["fileId"])
    assert response.status_code == 201, response.content
    return response.json()


def recorded_files(well, names_and_types, *, user_id: str, start=None) -> list:
    """READY File items written straight to the table, one minute apart (oldest first), for
    lists longer than a page without uploading each one. No objects: for list tests only."""
    import uuid
    from datetime import datetime, timedelta

    from files.models import READY, File

    start = start or datetime.now(UTC) - timedelta(days=2)
    files = []
    with File.batch_write() as batch:
        for n, (name, file_type, size) in enumerate(names_and_types):
            file_id = str(uuid.uuid4())
            file = File(
                file_id,
                well_id=well.well_id,
                org_id=well.org_id,
                file_name=name,
                file_type=file_type,
                file_size=size,
                s3_key=f"orgs/{well.org_id}/wells/{well.well_id}/{file_id}/{name}",
                s3_bucket="local",
                uploaded_by=user_id,
                tags=[],
                metadata={},
                status=READY,
                requested_at=start,
                uploaded_at=start + timedelta(minutes=n),
                version=1,
            )
            batch.save(file)
            files.append(file)
    return files
