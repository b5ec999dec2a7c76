"""API permissions and shapes beyond the access matrix: viewers read, editors write, outsiders see nothing."""

from __future__ import annotations

import pytest

from files.tests.helpers import complete, send_local, ticket, upload

pytestmark = pytest.mark.usefixtures("local_media")

DATA = b"%PDF-1.4 x"


@pytest.fixture
def uploaded(org_world, client_for, well):
    return upload(client_for(org_world.users["EDITOR"]), well, DATA)


def test_viewer_may_list_and_download_but_not_upload_tag_or_delete(org_world, client_for, well, uploaded):
    viewer = client_for(org_world.users["VIEWER"])
    assert viewer.get(f"/api/files?wellId={well.well_id}").status_code == 200
    assert viewer.get(f"/api/files/{uploaded['fileId']}/download").status_code == 302
    assert ticket(viewer, well, data=DATA).status_code == 403
    assert (
        viewer.patch(
            f"/api/files/{uploaded['fileId']}",
            data={"tags": ["x"], "version": uploaded["version"]},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert viewer.delete(f"/api/files/{uploaded['fileId']}").status_code == 403


def test_viewer_cannot_complete_an_editors_upload(org_world, client_for, well):
    editor = client_for(org_world.users["EDITOR"])
    answer = ticket(editor, well, data=DATA).json()
    send_local(editor, answer, DATA)
    assert complete(client_for(org_world.users["VIEWER"]), answer["fileId"]).status_code == 403


def test_outsider_cannot_list_complete_or_download(org_world, client_for, well, uploaded):
    editor = client_for(org_world.users["EDITOR"])
    outsider = client_for(org_world.outsider)
    answer = ticket(editor, well, data=DATA).json()
    send_local(editor, answer, DATA)
    assert outsider.get(f"/api/files?wellId={well.well_id}").status_code == 404
    assert outsider.get(f"/api/files?orgId={org_world.org.org_id}").status_code == 404
    assert complete(outsider, answer["fileId"]).status_code == 404
    assert outsider.get(f"/api/files/{uploaded['fileId']}/download").status_code == 404
    assert outsider.get(f"/api/files/{uploaded['fileId']}").status_code == 404
    assert ticket(outsider, well, data=DATA).status_code == 404


def test_download_without_redirect_answers_the_url(org_world, client_for, uploaded):
    body = client_for(org_world.users["VIEWER"]).get(f"/api/files/{uploaded['fileId']}/download?redirect=false").json()
    assert body["url"].startswith("http://testserver/files/download/")
    assert body["expiresIn"] == 300


def test_lists_by_stage_and_org(org_world, client_for, well):
    from wells import services
    from wells.testing import actor_for

    editor = client_for(org_world.users["EDITOR"])
    stage = services.stage_create(
        actor=actor_for(org_world.users["EDITOR"]), well=well, name="Testing", stage_type="TESTING"
    )
    on_stage = upload(editor, well, DATA, stage=stage)
    off_stage = upload(editor, well, DATA)
    by_stage = [f["fileId"] for f in editor.get(f"/api/files?stageId={stage.stage_id}").json()["items"]]
    by_org = [f["fileId"] for f in editor.get(f"/api/files?orgId={org_world.org.org_id}").json()["items"]]
    assert by_stage == [on_stage["fileId"]]
    assert {on_stage["fileId"], off_stage["fileId"]} <= set(by_org)
    assert by_org.index(off_stage["fileId"]) < by_org.index(on_stage["fileId"])  # newest first


def test_list_needs_exactly_one_scope(org_world, client_for, well):
    editor = client_for(org_world.users["EDITOR"])
    assert editor.get("/api/files").status_code == 422
    assert editor.get(f"/api/files?wellId={well.well_id}&orgId={org_world.org.org_id}").status_code == 422
    assert editor.get(f"/api/files?wellId={well.well_id}&date=08-03-2026").status_code == 422


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_a_date_outside_the_span_is_422_naming_it(org_world, client_for, well, date):
    response = client_for(org_world.users["EDITOR"]).get(f"/api/files?wellId={well.well_id}&date={date}")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "date"


def test_unknown_fields_are_refused(org_world, client_for, well):
    response = ticket(client_for(org_world.users["EDITOR"]), well, data=DATA, s3Key="orgs/other/x")
    assert response.status_code == 422


def test_type_filter_applies_to_a_date_too(org_world, client_for, well):
    from datetime import datetime

    from wells.times import zone

    editor = client_for(org_world.users["EDITOR"])
    pdf = upload(editor, well, DATA, name="report.pdf")
    upload(editor, well, b"depth,rop\n1,2\n", name="rates.csv", file_type="text/csv")
    today = datetime.now(zone(well.time_zone)).date().isoformat()
    items = editor.get(f"/api/files?wellId={well.well_id}&date={today}&type=pdf").json()["items"]
    assert [f["fileId"] for f in items] == [pdf["fileId"]]


def test_an_unknown_type_is_refused_naming_it(org_world, client_for, well):
    response = client_for(org_world.users["EDITOR"]).get(f"/api/files?wellId={well.well_id}&type=movies")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "type"


def test_patch_without_version_is_refused_naming_it_and_changes_nothing(org_world, client_for, uploaded):
    editor = client_for(org_world.users["EDITOR"])
    response = editor.patch(f"/api/files/{uploaded['fileId']}", data={"tags": ["ddr"]}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "version"
    assert editor.get(f"/api/files/{uploaded['fileId']}").json()["tags"] == []


def _interrupt_deletion(well) -> None:
    """What an interrupted well deletion leaves: the well hidden (lifecycle DELETED), its files still there."""
    from wells.models import Well, WellLifecycle

    Well.get(well.well_id).update(actions=[Well.lifecycle.set(WellLifecycle.DELETED)], add_version_condition=False)


def test_a_file_of_a_well_whose_deletion_was_interrupted_is_not_found(org_world, client_for, well, uploaded):
    _interrupt_deletion(well)
    owner = client_for(org_world.users["OWNER"])
    file_id = uploaded["fileId"]
    assert owner.get(f"/api/files/{file_id}").status_code == 404
    assert owner.get(f"/api/files/{file_id}/download").status_code == 404
    assert owner.get(f"/api/files/{file_id}/download?redirect=false").status_code == 404


def test_files_of_a_well_whose_deletion_was_interrupted_are_not_listed(org_world, client_for, well, uploaded):
    owner = client_for(org_world.users["OWNER"])
    listed = owner.get(f"/api/files?orgId={org_world.org.org_id}").json()["items"]
    assert [f["fileId"] for f in listed] == [uploaded["fileId"]]
    _interrupt_deletion(well)
    assert owner.get(f"/api/files?orgId={org_world.org.org_id}").json()["items"] == []
    assert owner.get(f"/api/files?wellId={well.well_id}").status_code == 404


# Each a way to end a name in a program's extension that a plain ``endswith`` misses: the dots
# and spaces Windows drops, case, full-width and other lookalike dots and letters (NFKC), an
# invisible format character, an NTFS stream suffix; and types the list used to miss.
BYPASSES = [
    "tool.exe.",
    "tool.scr.",
    "tool.exe. . ",
    "tool.exe...",
    "TOOL.EXE",
    "tool.ExE.",
    "tool\uff0eexe",
    "tool.\uff45\uff58\uff45",
    "tool.exe\u00a0",
    "tool.exe\ufeff",
    "tool.ex\u00ade",
    "tool.exe::$DATA",
    "tool.pif",
    "tool.msc",
    "help.chm",
    "disk.iso",
    "disk.img",
    "link.url",
    "link.lnk",
    "app.hta",
    "panel.cpl",
    "run.jar",
    "run.vbs",
    "run.vbe",
    "run.js",
    "run.jse",
    "run.wsf",
    "run.wsh",
    "run.ps1",
    "run.psm1",
    "keys.reg",
    "shell.scf",
    "setup.inf",
    "setup.msi",
    "patch.msp",
    "run.com",
    "run.bat",
    "run.cmd",
    "lib.dll",
    "driver.sys",
    "store.appx",
    "store.msix",
]


def test_every_form_of_a_blocked_type_is_refused_naming_the_file_name(org_world, client_for, well):
    editor = client_for(org_world.users["EDITOR"])
    answers = {name: ticket(editor, well, name=name, data=DATA) for name in BYPASSES}
    accepted = {
        name: (response.status_code, response.json())
        for name, response in answers.items()
        if response.status_code != 422 or response.json()["detail"][0]["loc"] != ["body", "fileName"]
    }
    assert accepted == {}


def test_a_report_named_like_a_report_is_accepted(org_world, client_for, well):
    editor = client_for(org_world.users["EDITOR"])
    for name in ("report.pdf", "daily report. final.pdf", "Отчёт.pdf", "exe.pdf", "tool.exe.pdf"):
        assert ticket(editor, well, name=name, data=DATA).status_code == 201, name
