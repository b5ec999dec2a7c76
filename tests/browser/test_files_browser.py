"""Files in Chromium: upload with progress to a stage, the list and the event appear, the same bytes come back."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("local_media")]

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 60000 + b"%%EOF\n"


# Records the value before each change of an upload's progress bar (aria-valuenow, what a
# screen reader announces). With one upload, the values shown in turn are these minus the
# first (the initial 0) plus the bar's final value.
RECORD_PROGRESS = """() => {
  window.wtProgressBefore = [];
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.target.getAttribute("data-testid") === "upload-progress") {
        window.wtProgressBefore.push(Number(record.oldValue));
      }
    }
  }).observe(document.body, {subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ["aria-valuenow"]});
}"""


def _sign_in(page, base, user, password="correct-horse-battery-staple"):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def stage(org_world, well):
    from wells import services
    from wells.testing import actor_for

    return services.stage_create(
        actor=actor_for(org_world.users["EDITOR"]), well=well, name="Drilling 8½ in", stage_type="DRILLING"
    )


def test_editor_uploads_a_pdf_to_a_stage_and_downloads_the_same_bytes(
    page, live_server_url, org_world, well, stage, screenshot, tmp_path
):
    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    org_id = org_world.org.org_id
    page.goto(f"{live_server_url}/orgs/{org_id}/stages/{stage.stage_id}/")
    screenshot(page, "files-stage-before-upload")

    page.evaluate(RECORD_PROGRESS)
    # Uploads throttled to 2 MB/s, so the 2 MB report takes about a second and the browser
    # reports progress on the way (assertions are on the values seen, not on any timing).
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 2 * 1024 * 1024},
    )
    page.get_by_test_id("file-input").set_input_files(
        files=[{"name": "DDR 2026-03-08.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    item = page.get_by_test_id("upload-item")
    item.and_(page.locator("[data-state=uploaded]")).wait_for()
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    final = int(page.get_by_test_id("upload-progress").get_attribute("aria-valuenow"))
    shown = page.evaluate("() => window.wtProgressBefore")[1:] + [final]
    # The bar moved with the upload's own progress events: values between 0 and 100 on the
    # way, never backwards, and 100 only at the end, when every byte had been sent.
    assert [v for v in shown if 0 < v < 100], shown
    assert shown == sorted(shown)
    assert final == 100 and shown.count(100) == 1
    assert "uploaded" in page.get_by_test_id("upload-status").inner_text()
    rows = page.get_by_test_id("file-list").get_by_test_id("file-row")
    rows.filter(has_text="DDR 2026-03-08.pdf").wait_for()
    screenshot(page, "files-stage-after-upload")

    page.get_by_role("link", name=well.name).first.click()
    expect(page.get_by_test_id("event-row").filter(has_text="File uploaded: DDR 2026-03-08.pdf")).to_have_count(1)
    panel_row = page.get_by_test_id("file-list").get_by_test_id("file-row").filter(has_text="DDR 2026-03-08.pdf")
    panel_row.wait_for()
    screenshot(page, "files-well-page")

    page.get_by_test_id("event-row").get_by_role("link", name="File uploaded: DDR 2026-03-08.pdf").click()
    page.get_by_test_id("event-file-link").wait_for()
    screenshot(page, "files-upload-event")
    page.go_back()
    with page.expect_download() as download_info:
        panel_row.get_by_test_id("file-download").click()
    download = download_info.value
    target = tmp_path / "downloaded.pdf"
    download.save_as(target)
    assert Path(target).read_bytes() == PDF
    assert download.suggested_filename == "DDR 2026-03-08.pdf"

    page.goto(f"{live_server_url}/orgs/{org_id}/wells/{well.well_id}/files/")
    expect(page.get_by_test_id("file-row").filter(has_text="DDR 2026-03-08.pdf")).to_have_count(1)
    screenshot(page, "files-well-manager")
    page.set_viewport_size({"width": 400, "height": 800})
    screenshot(page, "files-well-manager-narrow")
    page.set_viewport_size({"width": 1280, "height": 860})
    page.get_by_role("link", name="DDR 2026-03-08.pdf", exact=True).click()
    page.get_by_label("Tags").fill("DDR, 8½ in section")
    page.get_by_role("button", name="Save tags").click()
    page.get_by_text("Tags saved.").wait_for()
    screenshot(page, "files-file-detail")
    page.get_by_role("link", name="Files", exact=True).first.click()
    screenshot(page, "files-org-recent")
    expect(page.get_by_test_id("file-row").filter(has_text="DDR 2026-03-08.pdf")).to_have_count(1)
    assert page.console_errors == []


def test_a_too_big_file_fails_clearly_while_the_other_uploads(
    page, live_server_url, org_world, well, settings, screenshot
):
    settings.WELLTRACK_MAX_UPLOAD_MB = 1
    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/wells/{well.well_id}/")
    page.get_by_test_id("file-input").set_input_files(
        files=[
            {"name": "huge-log.las", "mimeType": "application/octet-stream", "buffer": b"~" * (1024 * 1024 + 1)},
            {"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"},
            {"name": "mud-report.csv", "mimeType": "text/csv", "buffer": b"depth,weight\n1200,1.18\n"},
        ]
    )
    items = page.get_by_test_id("upload-item")
    items.filter(has_text="mud-report.csv").and_(page.locator("[data-state=uploaded]")).wait_for()
    assert "Too big" in items.filter(has_text="huge-log.las").get_by_test_id("upload-error").inner_text()
    items.filter(has_text="setup.exe").get_by_test_id("upload-error").wait_for()
    assert "not allowed" in items.filter(has_text="setup.exe").get_by_test_id("upload-error").inner_text()
    page.get_by_test_id("file-list").get_by_test_id("file-row").filter(has_text="mud-report.csv").wait_for()
    # The well's latest events refresh too, without a reload.
    page.get_by_test_id("event-row").filter(has_text="File uploaded: mud-report.csv").wait_for()
    screenshot(page, "files-upload-errors")
    # The refused ticket answers 422, which the console reports as a failed resource: nothing else.
    assert [e for e in page.console_errors if "422" not in e] == []


def test_cancelling_one_upload_leaves_the_other_going(page, live_server_url, org_world, well, screenshot):
    held = []

    def hold_the_slow_one(route, request):
        # The slow file's upload is held in flight, so it can be cancelled half-way.
        if b"SLOW-FILE" in (request.post_data_buffer or b""):
            held.append(route)
        else:
            route.continue_()

    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    page.route("**/files/upload/**", hold_the_slow_one)
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/wells/{well.well_id}/files/")
    page.get_by_test_id("file-input").set_input_files(
        files=[
            {"name": "slow-survey.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 SLOW-FILE " + b"s" * 4000},
            {"name": "quick-note.txt", "mimeType": "text/plain", "buffer": b"bit trip at 1432 m"},
        ]
    )
    items = page.get_by_test_id("upload-item")
    items.filter(has_text="quick-note.txt").and_(page.locator("[data-state=uploaded]")).wait_for()
    page.get_by_role("button", name="Cancel slow-survey.pdf").click()
    assert "cancelled" in items.filter(has_text="slow-survey.pdf").get_by_test_id("upload-status").inner_text()
    rows = page.get_by_test_id("file-row")
    rows.filter(has_text="quick-note.txt").wait_for()
    assert rows.filter(has_text="slow-survey.pdf").count() == 0
    screenshot(page, "files-upload-cancelled")
    for route in held:
        try:
            route.abort()
        except Exception:  # the browser already dropped the request
            pass


def test_file_manager_sorts_the_whole_well_and_finds_an_old_type(
    page, live_server_url, org_world, well, screenshot, monkeypatch
):
    from files import selectors
    from files.tests.helpers import recorded_files

    # Sixty files, more than a page: the ten oldest are PDFs named "a-…", fifty newer CSVs "m-…".
    specs = [(f"a-casing-tally-{n:02}.pdf", "application/pdf", 300_000 + n) for n in range(10)]
    specs += [(f"m-mud-check-{n:02}.csv", "text/csv", 2_000 + n) for n in range(50)]
    recorded_files(well, specs, user_id=org_world.users["EDITOR"].user_id)
    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/wells/{well.well_id}/files/")
    rows = page.get_by_test_id("file-row")
    assert "m-mud-check-49.csv" in rows.first.inner_text()

    page.get_by_label("Sort").select_option("name")
    page.get_by_label("Order").select_option("asc")
    rows.first.filter(has_text="a-casing-tally-00.pdf").wait_for()
    expect(rows).to_have_count(50)
    screenshot(page, "files-manager-sorted-by-name")

    page.get_by_label("Sort").select_option("date")
    page.get_by_label("Order").select_option("desc")
    page.get_by_label("Type").select_option("pdf")
    rows.first.filter(has_text="a-casing-tally-09.pdf").wait_for()
    expect(rows).to_have_count(10)
    screenshot(page, "files-manager-old-pdfs")

    # A page whose request budget runs out before a match says so and offers to go on.
    monkeypatch.setattr(selectors, "FILTER_MAX_REQUESTS", 1)
    monkeypatch.setattr(selectors, "FILTER_PAGE_SIZE", 20)
    page.reload()  # one request reads the newest 50 files: all CSVs
    assert rows.count() == 0
    screenshot(page, "files-manager-further-back")
    page.get_by_role("link", name="Look further back").click()
    rows.first.filter(has_text="a-casing-tally-09.pdf").wait_for()
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/files/?type=pdf")
    assert rows.count() == 0
    screenshot(page, "files-org-further-back")
    page.get_by_role("link", name="Look further back").click()
    rows.first.filter(has_text="a-casing-tally-09.pdf").wait_for()
    expect(rows).to_have_count(10)
    monkeypatch.setattr(selectors, "SORT_MAX_FILES", 40)
    page.goto(f"{live_server_url}/orgs/{org_world.org.org_id}/wells/{well.well_id}/files/?sort=size")
    page.get_by_test_id("sort-capped").wait_for()
    screenshot(page, "files-manager-sort-capped")
    assert page.console_errors == []


def test_deleting_a_file_refuses_a_stale_confirmation_and_keeps_the_file_when_the_store_fails(
    page, live_server_url, org_world, well, client_for, local_media, screenshot
):
    from files import services
    from files.models import File
    from files.testing import LocalStoreFault
    from files.tests.helpers import upload
    from wells.testing import actor_for

    body = upload(
        client_for(org_world.users["EDITOR"]), well, b"%PDF-1.4 daily drilling report", name="DDR 10 March.pdf"
    )
    _sign_in(page, live_server_url, org_world.users["EDITOR"])
    org = f"{live_server_url}/orgs/{org_world.org.org_id}"
    page.goto(f"{org}/files/{body['fileId']}/")
    page.get_by_role("link", name="Delete").click()
    screenshot(page, "files-delete-confirm")

    # A colleague tags the file while the confirmation is open: nothing is deleted, the tags are shown.
    services.file_update_tags(
        actor=actor_for(org_world.users["ADMIN"]),
        file=File.get(body["fileId"]),
        tags=["casing", "8½ in"],
        version=body["version"],
    )
    page.get_by_role("button", name="Delete the file").click()
    stale = page.get_by_test_id("stale-delete")
    assert "Nothing was deleted." in stale.inner_text()
    assert "casing, 8½ in" in stale.inner_text()
    screenshot(page, "files-delete-stale")

    # The disk refuses: the file stays, and the page says it was not deleted.
    with LocalStoreFault(local_media):
        page.get_by_role("button", name="Delete the file").click()
        problem = page.get_by_test_id("delete-unavailable")
        problem.wait_for()
    assert "“DDR 10 March.pdf” was not deleted: it is still listed and can be downloaded" in problem.inner_text()
    assert (local_media / body["s3Key"]).exists()
    screenshot(page, "files-delete-store-unavailable")

    page.get_by_role("button", name="Try again").click()
    page.get_by_text("“DDR 10 March.pdf” was deleted.").wait_for()
    assert page.get_by_test_id("file-row").count() == 0
    assert not (local_media / body["s3Key"]).exists()
    screenshot(page, "files-deleted")
    assert page.console_errors == []
