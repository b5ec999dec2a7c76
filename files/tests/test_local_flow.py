"""The whole upload flow on local storage, through our own upload view."""

from __future__ import annotations

import pytest

from files import storage
from files.models import File
from files.tests.helpers import complete, send_local, ticket, upload
from wells.selectors import latest_events, stage_get

pytestmark = pytest.mark.usefixtures("local_media")

PDF = b"%PDF-1.4\n" + b"drilling report " * 64


@pytest.fixture
def editor(org_world, client_for):
    return client_for(org_world.users["EDITOR"])


@pytest.fixture
def stage(org_world, well):
    from wells import services
    from wells.testing import actor_for

    return services.stage_create(
        actor=actor_for(org_world.users["EDITOR"]), well=well, name="Drilling", stage_type="DRILLING"
    )


def test_ticket_answers_a_signed_post_to_our_upload_view(editor, well):
    response = ticket(editor, well, data=PDF)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"fileId", "url", "fields", "expiresAt"}
    assert body["url"].startswith("http://testserver/files/upload/")
    assert body["fields"] == {"Content-Type": "application/pdf"}


def test_full_flow_records_the_file_its_event_and_the_bytes(editor, well, stage, org_world, local_media):
    answer = ticket(editor, well, data=PDF, stage=stage, name="DDR 2026-03-08.pdf").json()
    assert send_local(editor, answer, PDF).status_code == 204
    response = complete(editor, answer["fileId"])
    assert response.status_code == 201
    body = response.json()
    assert body["fileName"] == "DDR 2026-03-08.pdf"
    assert body["fileSize"] == len(PDF)
    assert body["stageId"] == stage.stage_id
    assert body["uploadedBy"] == org_world.users["EDITOR"].user_id
    assert body["s3Key"] == f"orgs/{well.org_id}/wells/{well.well_id}/{body['fileId']}/DDR_2026-03-08.pdf"
    assert body["s3Bucket"] == "local"
    assert (local_media / body["s3Key"]).read_bytes() == PDF
    events = [e for e in latest_events(well_id=well.well_id) if e.file_id == body["fileId"]]
    assert len(events) == 1
    assert events[0].event_type == "FILE_UPLOAD"
    assert events[0].title == "File uploaded: DDR 2026-03-08.pdf"
    assert events[0].stage_id == stage.stage_id
    assert events[0].event_id == body["eventId"]
    listed = editor.get(f"/api/files?wellId={well.well_id}").json()["items"]
    assert body["fileId"] in [f["fileId"] for f in listed]


def test_completion_is_audited_with_the_file(editor, well, org_world):
    from welltrack.audit import AuditLog

    body = upload(editor, well, PDF)
    entries = list(AuditLog.entity_history_index.query(body["fileId"]))
    assert [(e.entity_type, e.action) for e in entries] == [("FILE", "CREATE")]


def test_completing_twice_makes_one_file_and_one_event(editor, well):
    answer = ticket(editor, well, data=PDF).json()
    send_local(editor, answer, PDF)
    first = complete(editor, answer["fileId"])
    second = complete(editor, answer["fileId"])
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["eventId"] == second.json()["eventId"]
    assert first.json()["version"] == second.json()["version"]
    events = [e for e in latest_events(well_id=well.well_id, limit=50) if e.file_id == answer["fileId"]]
    assert len(events) == 1


def test_an_object_bigger_than_declared_is_refused_and_not_kept(editor, well, local_media):
    answer = ticket(editor, well, size=10).json()
    response = send_local(editor, answer, b"x" * 20)
    assert response.status_code == 413
    key = File.get(answer["fileId"]).s3_key
    assert not (local_media / key).exists()
    assert complete(editor, answer["fileId"]).status_code == 422


def test_a_wrong_sized_object_found_at_completion_is_deleted_and_nothing_recorded(editor, well, local_media):
    # S3 accepts anything within content-length-range; completion is where the size is held to the declaration.
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    answer = ticket(editor, well, size=100).json()
    key = File.get(answer["fileId"]).s3_key
    default_storage.save(key, ContentFile(b"y" * 150))
    response = complete(editor, answer["fileId"])
    assert response.status_code == 422
    assert "150 bytes" in response.json()["detail"][0]["msg"]
    assert not (local_media / key).exists()
    assert File.get(answer["fileId"]).status == "PENDING"
    assert [e for e in latest_events(well_id=well.well_id, limit=50) if e.file_id == answer["fileId"]] == []


def test_completion_before_the_upload_arrived_is_refused(editor, well):
    answer = ticket(editor, well, data=PDF).json()
    assert complete(editor, answer["fileId"]).status_code == 422


def test_upload_view_refuses_a_forged_token(client, editor, well):
    answer = ticket(editor, well, data=PDF).json()
    answer["url"] = answer["url"][:-4] + "xx/"
    assert send_local(client, answer, PDF).status_code == 403


def test_upload_view_refuses_another_content_type(editor, well):
    answer = ticket(editor, well, data=PDF).json()
    answer["fields"]["Content-Type"] = "text/html"
    assert send_local(editor, answer, PDF).status_code == 403


def test_upload_view_refuses_a_second_upload_to_the_same_key(editor, well):
    answer = ticket(editor, well, data=PDF).json()
    assert send_local(editor, answer, PDF).status_code == 204
    assert send_local(editor, answer, PDF).status_code == 409


def test_upload_view_refuses_a_body_bigger_than_declared_before_reading_it(client, editor, well):
    answer = ticket(editor, well, data=PDF).json()
    response = client.generic(
        "POST",
        answer["url"].replace("http://testserver", ""),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(len(PDF) + 1024 * 1024),
    )
    assert response.status_code == 413


def test_upload_view_stops_reading_a_file_part_bigger_than_declared(editor, well, local_media):
    # Within the form overhead allowance, so the header check lets it in: the streaming handler stops it.
    answer = ticket(editor, well, size=1000).json()
    assert send_local(editor, answer, b"z" * 5000).status_code == 413
    assert not (local_media / File.get(answer["fileId"]).s3_key).exists()


@pytest.mark.parametrize(
    "fields, message_field",
    [
        ({"fileSize": 101 * 1024 * 1024}, "fileSize"),
        ({"fileSize": 0}, "fileSize"),
        ({"fileName": "   "}, "fileName"),
        ({"fileName": "setup.exe"}, "fileName"),
        ({"fileType": "not a type"}, "fileType"),
    ],
)
def test_ticket_refuses_bad_declarations(editor, well, fields, message_field):
    response = ticket(editor, well, data=PDF, **fields)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", message_field]


def test_ticket_refuses_a_stage_of_another_well(editor, org_world, well, project):
    from wells import services
    from wells.testing import actor_for, make_well

    other = make_well(org_world, project, name="Other-1")
    stage = services.stage_create(
        actor=actor_for(org_world.users["EDITOR"]), well=other, name="Elsewhere", stage_type="OTHER"
    )
    response = ticket(editor, well, data=PDF, stage=stage)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "stageId"]


def test_ticket_refuses_an_event_of_another_well(editor, org_world, well, project):
    from wells import services
    from wells.testing import actor_for, make_well

    other = make_well(org_world, project, name="Other-2")
    event = services.event_create(
        actor=actor_for(org_world.users["EDITOR"]), well=other, event_type="NOTE", title="x", start="2026-03-01T08:00"
    )
    response = ticket(editor, well, data=PDF, event=event)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "eventId"]


def test_file_attached_to_an_event_is_listed_with_it_and_on_its_stage(editor, org_world, well, stage):
    from files.selectors import event_files
    from wells import services
    from wells.testing import actor_for

    event = services.event_create(
        actor=actor_for(org_world.users["EDITOR"]),
        well=well,
        stage=stage_get(stage_id=stage.stage_id),
        event_type="ACTIVITY",
        title="Casing run",
        start="2026-03-01T08:00",
    )
    body = upload(editor, well, PDF, event=event)
    assert body["attachedEventId"] == event.event_id
    assert body["stageId"] == stage.stage_id
    assert [f.file_id for f in event_files(event_id=event.event_id)[0]] == [body["fileId"]]


def test_pending_tickets_are_not_listed(editor, well):
    answer = ticket(editor, well, data=PDF).json()
    listed = editor.get(f"/api/files?wellId={well.well_id}").json()["items"]
    assert answer["fileId"] not in [f["fileId"] for f in listed]
    assert editor.get(f"/api/files/{answer['fileId']}").status_code == 404


def test_download_streams_the_same_bytes_as_an_attachment(editor, well):
    body = upload(editor, well, PDF, name="report.pdf")
    response = editor.get(f"/api/files/{body['fileId']}/download")
    assert response.status_code == 302
    download = editor.get(response["Location"].replace("http://testserver", ""))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"


def test_pdf_preview_is_inline_but_html_never_is(editor, well):
    pdf = upload(editor, well, PDF, name="report.pdf")
    html = upload(editor, well, b"<script>alert(1)</script>", name="page.html", file_type="text/html")
    pdf_url = editor.get(f"/api/files/{pdf['fileId']}/download?inline=true&redirect=false").json()["url"]
    html_url = editor.get(f"/api/files/{html['fileId']}/download?inline=true&redirect=false").json()["url"]
    pdf_response = editor.get(pdf_url.replace("http://testserver", ""))
    html_response = editor.get(html_url.replace("http://testserver", ""))
    assert pdf_response["Content-Disposition"].startswith("inline")
    assert html_response["Content-Disposition"].startswith("attachment")
    assert html_response["Content-Type"] == "application/octet-stream"
    assert "sandbox" in html_response["Content-Security-Policy"]


def test_download_link_is_refused_once_tampered(editor, well):
    body = upload(editor, well, PDF)
    url = editor.get(f"/api/files/{body['fileId']}/download?redirect=false").json()["url"]
    assert editor.get(url.replace("http://testserver", "")[:-3] + "zz/").status_code == 404


def test_tags_are_edited_with_a_version_and_audited(editor, well):
    body = upload(editor, well, PDF)
    response = editor.patch(
        f"/api/files/{body['fileId']}",
        data={"tags": ["DDR", " mud log ", "ddr"], "version": body["version"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["tags"] == ["DDR", "mud log"]
    stale = editor.patch(
        f"/api/files/{body['fileId']}",
        data={"tags": ["x"], "version": body["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_delete_removes_the_object_and_the_item(editor, well, local_media):
    body = upload(editor, well, PDF)
    assert editor.delete(f"/api/files/{body['fileId']}").status_code == 204
    assert not (local_media / body["s3Key"]).exists()
    assert editor.get(f"/api/files/{body['fileId']}").status_code == 404


def test_deleting_the_well_removes_its_files(editor, well, org_world, local_media):
    from wells import services
    from wells.selectors import well_get
    from wells.testing import actor_for

    body = upload(editor, well, PDF)
    result = services.well_delete(actor=actor_for(org_world.users["ADMIN"]), well=well_get(well_id=well.well_id))
    assert result["files"] == 1
    assert not (local_media / body["s3Key"]).exists()
    with pytest.raises(File.DoesNotExist):
        File.get(body["fileId"])


def test_files_of_a_date_in_the_wells_zone(editor, well):
    from datetime import datetime

    from wells.times import zone

    body = upload(editor, well, PDF)
    today = datetime.now(zone(well.time_zone)).date()
    on_day = editor.get(f"/api/files?wellId={well.well_id}&date={today.isoformat()}").json()["items"]
    other_day = editor.get(f"/api/files?wellId={well.well_id}&date=2001-01-01").json()["items"]
    assert body["fileId"] in [f["fileId"] for f in on_day]
    assert other_day == []


def test_concurrent_completions_make_one_file_and_one_event(editor, well, org_world):
    from concurrent.futures import ThreadPoolExecutor

    from files import services
    from wells.testing import actor_for

    answer = ticket(editor, well, data=PDF).json()
    send_local(editor, answer, PDF)
    actor = actor_for(org_world.users["EDITOR"])

    def finish(_):
        return services.file_complete(actor=actor, file=File.get(answer["fileId"], consistent_read=True))

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(finish, range(4)))
    assert sorted(created for _, created in results) == [False, False, False, True]
    assert len({file.event_id for file, _ in results}) == 1
    assert len([e for e in latest_events(well_id=well.well_id, limit=50) if e.file_id == answer["fileId"]]) == 1


def test_deleting_the_well_removes_objects_uploaded_but_never_completed(editor, well, org_world, local_media):
    from wells import services
    from wells.selectors import well_get
    from wells.testing import actor_for

    done = upload(editor, well, PDF, name="done.pdf")
    abandoned = ticket(editor, well, data=PDF, name="abandoned.pdf").json()
    assert send_local(editor, abandoned, PDF).status_code == 204  # arrived, never completed
    folder = local_media / storage.well_prefix(org_id=well.org_id, well_id=well.well_id)
    assert len([p for p in folder.rglob("*") if p.is_file()]) == 2
    result = services.well_delete(actor=actor_for(org_world.users["ADMIN"]), well=well_get(well_id=well.well_id))
    assert result["files"] == 1
    assert not folder.exists()
    assert not (local_media / done["s3Key"]).exists()


# --- deleting one file: the object first, then the item; a version that is stale deletes nothing ---


def _actions(file_id: str) -> list[str]:
    from welltrack.audit import AuditLog

    return sorted(e.action for e in AuditLog.entity_history_index.query(file_id))


def _downloaded(client, file_id: str) -> bytes:
    redirect = client.get(f"/api/files/{file_id}/download")
    assert redirect.status_code == 302
    return b"".join(client.get(redirect["Location"]).streaming_content)


def test_delete_while_the_disk_refuses_answers_503_and_the_file_stays_whole(editor, well, local_media):
    from files.testing import LocalStoreFault

    body = upload(editor, well, PDF)
    with LocalStoreFault(local_media) as fault:
        response = editor.delete(f"/api/files/{body['fileId']}")
    assert fault.attempts == 1
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "“report.pdf” was not deleted" in response.json()["detail"]
    assert "Nothing was changed" in response.json()["detail"]
    listed = editor.get(f"/api/files?wellId={well.well_id}").json()["items"]
    assert [f["fileId"] for f in listed] == [body["fileId"]]
    assert _downloaded(editor, body["fileId"]) == PDF
    assert _actions(body["fileId"]) == ["CREATE"]
    # The disk back: the same DELETE does the whole job.
    assert editor.delete(f"/api/files/{body['fileId']}").status_code == 204
    assert not (local_media / body["s3Key"]).exists()
    assert editor.get(f"/api/files/{body['fileId']}").status_code == 404
    assert _actions(body["fileId"]) == ["CREATE", "DELETE"]


def test_delete_while_dynamodb_fails_after_the_object_went_says_so_and_deleting_again_finishes(
    editor, well, local_media
):
    from welltrack.faults import Throttler, injected

    body = upload(editor, well, PDF)
    with injected(Throttler(per_call=100, operations={"TransactWriteItems"})):
        response = editor.delete(f"/api/files/{body['fileId']}")
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert "stored copy of “report.pdf” was removed" in detail
    assert "still listed" in detail
    assert "Nothing was saved" not in detail
    assert [f["fileId"] for f in editor.get(f"/api/files?wellId={well.well_id}").json()["items"]] == [body["fileId"]]
    assert editor.get(f"/api/files/{body['fileId']}/download").status_code == 404
    assert _actions(body["fileId"]) == ["CREATE"]
    assert editor.delete(f"/api/files/{body['fileId']}").status_code == 204
    assert editor.get(f"/api/files?wellId={well.well_id}").json()["items"] == []
    assert _actions(body["fileId"]) == ["CREATE", "DELETE"]


def test_a_tag_edit_landing_while_the_object_is_deleted_does_not_keep_a_file_without_bytes(
    editor, well, org_world, monkeypatch
):
    from files import services
    from wells.testing import actor_for

    body = upload(editor, well, PDF)
    delete_object = storage.delete_object

    def then_a_colleague_tags_it(key):
        delete_object(key)
        services.file_update_tags(
            actor=actor_for(org_world.users["ADMIN"]),
            file=File.get(body["fileId"]),
            tags=["late tag"],
            version=body["version"],
        )

    monkeypatch.setattr(storage, "delete_object", then_a_colleague_tags_it)
    assert editor.delete(f"/api/files/{body['fileId']}?version={body['version']}").status_code == 204
    assert editor.get(f"/api/files/{body['fileId']}").status_code == 404
    assert _actions(body["fileId"]) == ["CREATE", "DELETE", "UPDATE"]


def test_delete_with_a_stale_version_answers_409_with_the_current_file_and_deletes_nothing(editor, well, local_media):
    body = upload(editor, well, PDF)
    tagged = editor.patch(
        f"/api/files/{body['fileId']}",
        data={"tags": ["DDR"], "version": body["version"]},
        content_type="application/json",
    ).json()
    stale = editor.delete(f"/api/files/{body['fileId']}?version={body['version']}")
    assert stale.status_code == 409
    assert "changed by someone else since you opened it" in stale.json()["detail"]
    assert stale.json()["current"]["tags"] == ["DDR"]
    assert stale.json()["current"]["version"] == tagged["version"]
    assert (local_media / body["s3Key"]).read_bytes() == PDF
    assert editor.get(f"/api/files/{body['fileId']}").status_code == 200
    assert _actions(body["fileId"]) == ["CREATE", "UPDATE"]
    assert editor.delete(f"/api/files/{body['fileId']}?version={tagged['version']}").status_code == 204
    assert not (local_media / body["s3Key"]).exists()


def test_delete_with_a_version_that_is_not_a_number_is_422_and_deletes_nothing(editor, well):
    body = upload(editor, well, PDF)
    response = editor.delete(f"/api/files/{body['fileId']}?version=latest")
    assert response.status_code == 422
    assert editor.get(f"/api/files/{body['fileId']}").status_code == 200
