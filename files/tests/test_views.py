"""Pages: the file manager with its filters, the embedded lists, the org's recent files, tags and delete."""

from __future__ import annotations

import pytest

from files.tests.helpers import upload

pytestmark = pytest.mark.usefixtures("local_media")


@pytest.fixture
def editor(org_world, client_for):
    return client_for(org_world.users["EDITOR"])


@pytest.fixture
def stage(org_world, well):
    from wells import services
    from wells.testing import actor_for

    return services.stage_create(
        actor=actor_for(org_world.users["EDITOR"]), well=well, name="Completion", stage_type="COMPLETION"
    )


def _url(org_world, well, query=""):
    return f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/files/{query}"


def test_file_manager_shows_name_size_and_uploader(editor, org_world, well):
    upload(editor, well, b"%PDF-1.4 " + b"x" * 2000, name="DDR 8 March.pdf")
    page = editor.get(_url(org_world, well)).content.decode()
    assert "DDR 8 March.pdf" in page
    assert "2.0\xa0KB" in page
    assert "Erin Editor" in page


def test_file_manager_filters_by_stage_and_type(editor, org_world, well, stage):
    upload(editor, well, b"%PDF-1.4 a", name="on-stage.pdf", stage=stage)
    upload(editor, well, b"depth,rop\n1,2\n", name="rates.csv", file_type="text/csv")
    by_stage = editor.get(_url(org_world, well, f"?stage={stage.stage_id}")).content.decode()
    by_type = editor.get(_url(org_world, well, "?type=pdf")).content.decode()
    assert "on-stage.pdf" in by_stage and "rates.csv" not in by_stage
    assert "on-stage.pdf" in by_type and "rates.csv" not in by_type


def test_file_manager_filters_by_date_range(editor, org_world, well):
    upload(editor, well, b"%PDF-1.4 a", name="today.pdf")
    past = editor.get(_url(org_world, well, "?from=2001-01-01&to=2001-01-31")).content.decode()
    everything = editor.get(_url(org_world, well, "?from=2001-01-01")).content.decode()
    assert "today.pdf" not in past
    assert "today.pdf" in everything


def test_file_manager_sorts_by_name(editor, org_world, well):
    upload(editor, well, b"%PDF-1.4 a", name="b-second.pdf")
    upload(editor, well, b"%PDF-1.4 a", name="a-first.pdf")
    page = editor.get(_url(org_world, well, "?sort=name&dir=asc")).content.decode()
    assert page.index("a-first.pdf") < page.index("b-second.pdf")


def test_a_bad_date_is_reported_not_a_crash(editor, org_world, well):
    response = editor.get(_url(org_world, well, "?from=yesterday"))
    assert response.status_code == 200
    assert "Enter a date like" in response.content.decode()


def test_embedded_list_is_only_the_list(editor, org_world, well, stage):
    upload(editor, well, b"%PDF-1.4 a", name="embedded.pdf", stage=stage)
    response = editor.get(_url(org_world, well, f"?embed=1&stage={stage.stage_id}"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "embedded.pdf" in body
    assert "<html" not in body


def test_embedded_list_refuses_a_stage_of_another_org(editor, org_world, well):
    response = editor.get(_url(org_world, well, "?embed=1&stage=does-not-exist"))
    assert response.status_code == 404


def test_well_page_carries_the_uploader_for_editors_only(editor, org_world, well, client_for):
    well_url = f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/"
    assert "data-uploader" in editor.get(well_url).content.decode()
    viewer_page = client_for(org_world.users["VIEWER"]).get(well_url).content.decode()
    assert "data-uploader" not in viewer_page
    assert 'data-testid="file-list"' in viewer_page


def test_stage_and_event_pages_carry_the_file_panel(editor, org_world, well, stage):
    from wells import services
    from wells.testing import actor_for

    event = services.event_create(
        actor=actor_for(org_world.users["EDITOR"]),
        well=well,
        event_type="NOTE",
        title="Pressure test",
        start="2026-03-01T08:00",
    )
    org = org_world.org.org_id
    stage_page = editor.get(f"/orgs/{org}/stages/{stage.stage_id}/").content.decode()
    event_page = editor.get(f"/orgs/{org}/events/{event.event_id}/").content.decode()
    assert f'data-stage-id="{stage.stage_id}"' in stage_page
    assert f'data-event-id="{event.event_id}"' in event_page


def test_org_files_lists_recent_files_with_their_well(editor, org_world, well):
    upload(editor, well, b"%PDF-1.4 a", name="org-wide.pdf")
    page = editor.get(f"/orgs/{org_world.org.org_id}/files/").content.decode()
    assert "org-wide.pdf" in page
    assert well.name in page


def test_tags_form_saves_and_redirects(editor, org_world, well):
    body = upload(editor, well, b"%PDF-1.4 a")
    url = f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/tags/"
    response = editor.post(url, {"tags": "DDR, casing", "version": body["version"]})
    assert response.status_code == 302
    page = editor.get(f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/").content.decode()
    assert 'value="DDR, casing"' in page


def test_stale_tags_form_answers_409_with_the_current_tags(editor, org_world, well):
    body = upload(editor, well, b"%PDF-1.4 a")
    url = f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/tags/"
    editor.post(url, {"tags": "first", "version": body["version"]})
    response = editor.post(url, {"tags": "second", "version": body["version"]})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Current tags: first" in page
    assert 'value="second"' in page


def test_delete_page_removes_the_file(editor, org_world, well, local_media):
    body = upload(editor, well, b"%PDF-1.4 a")
    response = editor.post(f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/delete/")
    assert response.status_code == 302
    assert not (local_media / body["s3Key"]).exists()


def _delete_url(org_world, body) -> str:
    return f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/delete/"


def test_delete_confirmation_posts_the_version_it_shows(editor, org_world, well):
    body = upload(editor, well, b"%PDF-1.4 a")
    page = editor.get(_delete_url(org_world, body)).content.decode()
    assert f'name="version" value="{body["version"]}"' in page


def test_delete_page_with_a_stale_version_shows_the_current_file_and_deletes_nothing(
    editor, org_world, well, stage, local_media
):
    body = upload(editor, well, b"%PDF-1.4 a", name="DDR 9 March.pdf", stage=stage)
    editor.post(
        f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/tags/", {"tags": "casing", "version": body["version"]}
    )
    response = editor.post(_delete_url(org_world, body), {"version": body["version"]})
    assert response.status_code == 409
    page = response.content.decode()
    assert "changed by someone else since you opened it" in page
    assert "Nothing was deleted." in page
    assert '<dt class="col-sm-4">Tags</dt><dd class="col-sm-8 mb-1">casing</dd>' in page
    assert '<dd class="col-sm-8 mb-1">Completion</dd>' in page
    assert f'name="version" value="{body["version"] + 1}"' in page
    assert (local_media / body["s3Key"]).exists()
    assert editor.get(f"/api/files/{body['fileId']}").status_code == 200
    # Delete again: the file as it now is goes.
    assert editor.post(_delete_url(org_world, body), {"version": body["version"] + 1}).status_code == 302
    assert not (local_media / body["s3Key"]).exists()


def test_delete_page_while_the_disk_refuses_keeps_the_file_and_says_so(editor, org_world, well, local_media):
    from files.testing import LocalStoreFault

    body = upload(editor, well, b"%PDF-1.4 a")
    with LocalStoreFault(local_media):
        response = editor.post(_delete_url(org_world, body), {"version": body["version"]})
    assert response.status_code == 503
    assert "“report.pdf” was not deleted" in response.content.decode()
    assert (local_media / body["s3Key"]).exists()
    assert 'data-testid="file-row"' in editor.get(_url(org_world, well)).content.decode()


def test_delete_page_while_dynamodb_fails_after_the_object_went_says_what_happened(
    editor, org_world, well, local_media
):
    from welltrack.faults import Throttler, injected

    body = upload(editor, well, b"%PDF-1.4 a")
    with injected(Throttler(per_call=100, operations={"TransactWriteItems"})):
        response = editor.post(_delete_url(org_world, body), {"version": body["version"]})
    assert response.status_code == 503
    page = response.content.decode()
    assert "stored copy of “report.pdf” was removed, but the database did not answer" in page
    assert "Nothing was saved" not in page
    assert editor.post(_delete_url(org_world, body), {"version": body["version"]}).status_code == 302
    assert editor.get(f"/api/files/{body['fileId']}").status_code == 404


def test_download_page_redirects_to_a_signed_url(editor, org_world, well):
    body = upload(editor, well, b"%PDF-1.4 a")
    response = editor.get(f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/download/")
    assert response.status_code == 302
    assert response["Location"].startswith("/files/download/")


def test_file_manager_cost_does_not_grow_with_the_number_of_files(editor, org_world, well, settings):
    settings.WELLTRACK_DB_METRICS_HEADERS = True
    upload(editor, well, b"%PDF-1.4 a", name="one.pdf")
    few = int(editor.get(_url(org_world, well))["X-DynamoDB-Requests"])
    for n in range(6):
        upload(editor, well, b"%PDF-1.4 a", name=f"more-{n}.pdf")
    many = int(editor.get(_url(org_world, well))["X-DynamoDB-Requests"])
    assert many == few


def _row_names(html: str) -> list[str]:
    import re

    return re.findall(r'data-testid="file-row">\s*<td[^>]*><i[^>]*></i><a href="[^"]*">([^<]+)</a>', html)


@pytest.fixture
def sixty_files(org_world, well):
    """More files than a page: the ten oldest are "a-old-…" (and the biggest), fifty newer "m-new-…"."""
    from files.tests.helpers import recorded_files

    specs = [(f"a-old-{n:02}.pdf", "application/pdf", 90_000 + n) for n in range(10)]
    specs += [(f"m-new-{n:02}.csv", "text/csv", 1_000 + n) for n in range(50)]
    return recorded_files(well, specs, user_id=org_world.users["EDITOR"].user_id)


def test_sort_by_name_orders_the_whole_well_across_pages(editor, org_world, well, sixty_files):
    import re

    first = editor.get(_url(org_world, well, "?sort=name&dir=asc")).content.decode()
    names = _row_names(first)
    assert names[:10] == [f"a-old-{n:02}.pdf" for n in range(10)]
    assert names == sorted(names) and len(names) == 50
    next_link = re.search(r'href="\?([^"]*cursor=[^"]*)"', first).group(1).replace("&amp;", "&")
    second = _row_names(editor.get(_url(org_world, well, f"?{next_link}")).content.decode())
    assert second == [f"m-new-{n:02}.csv" for n in range(40, 50)]


def test_sort_by_size_puts_the_biggest_first_even_when_it_is_old(editor, org_world, well, sixty_files):
    names = _row_names(editor.get(_url(org_world, well, "?sort=size&dir=desc")).content.decode())
    assert names[0] == "a-old-09.pdf"
    assert names[-1] == "m-new-10.csv"  # the 50 biggest of 60: 10 old ones, then new ones 49 … 10


def test_sort_beyond_the_cap_tells_the_user(editor, org_world, well, sixty_files, monkeypatch):
    from files import selectors

    monkeypatch.setattr(selectors, "SORT_MAX_FILES", 40)
    page = editor.get(_url(org_world, well, "?sort=name")).content.decode()
    assert "More than 40 files match" in page


def test_type_filter_finds_files_older_than_the_newest_page(editor, org_world, well, sixty_files):
    names = _row_names(editor.get(_url(org_world, well, "?type=pdf")).content.decode())
    assert names == [f"a-old-{n:02}.pdf" for n in reversed(range(10))]


def test_an_empty_filtered_page_offers_to_look_further_back(editor, org_world, well, sixty_files, monkeypatch):
    from files import selectors

    monkeypatch.setattr(selectors, "FILTER_MAX_REQUESTS", 1)
    monkeypatch.setattr(selectors, "FILTER_PAGE_SIZE", 20)
    page = editor.get(_url(org_world, well, "?type=pdf&embed=0")).content.decode()
    assert _row_names(page) == []
    assert "Look further back" in page


def test_sorted_pages_cost_a_bounded_number_of_requests(editor, org_world, well, sixty_files, settings):
    from files.tests.helpers import recorded_files

    settings.WELLTRACK_DB_METRICS_HEADERS = True
    few = int(editor.get(_url(org_world, well, "?sort=name"))["X-DynamoDB-Requests"])
    recorded_files(
        well, [(f"z-{n:03}.pdf", "application/pdf", 5) for n in range(200)], user_id=org_world.users["EDITOR"].user_id
    )
    many = int(editor.get(_url(org_world, well, "?sort=name"))["X-DynamoDB-Requests"])
    assert many == few


def test_tags_form_without_its_version_is_refused(editor, org_world, well):
    body = upload(editor, well, b"%PDF-1.4 a")
    response = editor.post(f"/orgs/{org_world.org.org_id}/files/{body['fileId']}/tags/", {"tags": "DDR"})
    assert response.status_code == 422
    assert "no version" in response.content.decode()
    assert editor.get(f"/api/files/{body['fileId']}").json()["tags"] == []


@pytest.mark.parametrize("query", ["?from=0001-01-01", "?to=9999-12-31", "?from=1899-12-31&to=2026-01-01"])
def test_a_date_outside_the_span_is_reported_not_a_crash(editor, org_world, well, query):
    response = editor.get(_url(org_world, well, query))
    assert response.status_code == 200
    assert "Enter a date from 1900-01-01" in response.content.decode()


def test_a_file_of_a_well_whose_deletion_was_interrupted_has_no_page_download_or_listing(editor, org_world, well):
    from wells.models import Well, WellLifecycle

    uploaded = upload(editor, well, name="left-behind.pdf")
    org = org_world.org.org_id
    assert "left-behind.pdf" in editor.get(f"/orgs/{org}/files/").content.decode()
    Well.get(well.well_id).update(actions=[Well.lifecycle.set(WellLifecycle.DELETED)], add_version_condition=False)
    assert editor.get(f"/orgs/{org}/files/{uploaded['fileId']}/").status_code == 404
    assert editor.get(f"/orgs/{org}/files/{uploaded['fileId']}/download/").status_code == 404
    assert "left-behind.pdf" not in editor.get(f"/orgs/{org}/files/").content.decode()
