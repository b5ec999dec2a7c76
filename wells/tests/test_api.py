import json

import pytest
from django.test import Client

from welltrack.testing import sign_in
from wells.models import Event, Well


def api(client: Client, method: str, path: str, body=None):
    response = getattr(client, method)(path, data=json.dumps(body) if body is not None else None, content_type="application/json")
    return response.status_code, (response.json() if response.content else None)


@pytest.fixture
def editor_api(org_world):
    client = Client()
    sign_in(client, org_world.users["EDITOR"])
    return client


def test_well_round_trip_in_camel_case_with_location(editor_api, project):
    status, body = api(editor_api, "post", "/api/wells", {
        "projectId": project.project_id, "name": "API-1", "wellNumber": "N-1", "location": {"latitude": 46.5, "longitude": 52.1},
        "depth": 2500, "status": "DRILLING", "startDate": "2026-02-01", "metadata": {"rig": "R2"}, "timeZone": "Europe/London"})
    assert status == 201, body
    assert body["location"] == {"latitude": 46.5, "longitude": 52.1}
    assert body["wellNumber"] == "N-1" and body["version"] == 1
    status, fetched = api(editor_api, "get", f"/api/wells/{body['wellId']}")
    assert status == 200 and fetched["timeZone"] == "Europe/London"


@pytest.mark.parametrize("body, field", [
    ({"name": "X", "location": {"latitude": 100, "longitude": 0}}, "latitude"),
    ({"name": "X", "status": "DONE"}, "status"),
    ({"name": "X", "depth": -5}, "depth"),
    ({"name": "X", "startDate": "2026-05-01", "endDate": "2026-04-01"}, "endDate"),
    ({"name": "X", "owner": "me"}, "owner"),
])
def test_bad_well_input_is_422_naming_the_field(editor_api, project, body, field):
    status, response = api(editor_api, "post", "/api/wells", {"projectId": project.project_id, **body})
    assert status == 422
    assert field in json.dumps(response["detail"])


def test_patch_with_a_stale_version_is_409_and_changes_nothing(editor_api, well):
    status, _ = api(editor_api, "patch", f"/api/wells/{well.well_id}", {"version": well.version, "name": "Renamed"})
    assert status == 200
    status, body = api(editor_api, "patch", f"/api/wells/{well.well_id}", {"version": well.version, "name": "Stale"})
    assert status == 409
    assert "changed by someone else" in body["detail"]
    assert Well.get(well.well_id).name == "Renamed"


def test_events_window_and_date_queries(editor_api, well):
    for start, end, title in [("2026-06-01T00:00", "2026-06-20T00:00", "Long job"), ("2026-06-10T09:00", None, "Inside"),
                              ("2026-06-25T09:00", None, "Later")]:
        status, body = api(editor_api, "post", "/api/events", {"wellId": well.well_id, "type": "ACTIVITY", "title": title,
                                                               "startTime": start, "endTime": end})
        assert status == 201, body
    status, body = api(editor_api, "get", f"/api/events?wellId={well.well_id}&start=2026-06-10T00:00&end=2026-06-11T00:00")
    assert [e["title"] for e in body["items"]] == ["Long job", "Inside"]
    status, body = api(editor_api, "get", f"/api/events?wellId={well.well_id}&date=2026-06-25")
    assert [e["title"] for e in body["items"]] == ["Later"]


def test_event_of_a_stage_of_another_well_is_refused(editor_api, org_world, project, well):
    from wells.testing import make_well

    other = make_well(org_world, project, name="Other-1")
    _, stage = api(editor_api, "post", "/api/stages", {"wellId": other.well_id, "name": "Drill", "type": "DRILLING"})
    status, body = api(editor_api, "post", "/api/events", {"wellId": well.well_id, "stageId": stage["stageId"], "type": "NOTE",
                                                           "title": "x", "startTime": "2026-01-01T00:00"})
    assert status == 422 and "stageId" in json.dumps(body)


def test_viewer_cannot_create_and_outsider_cannot_see(org_world, well):
    viewer, outsider = Client(), Client()
    sign_in(viewer, org_world.users["VIEWER"])
    sign_in(outsider, org_world.outsider)
    status, _ = api(viewer, "post", "/api/events", {"wellId": well.well_id, "type": "NOTE", "title": "x", "startTime": "2026-01-01T00:00"})
    assert status == 403
    assert api(outsider, "get", f"/api/wells/{well.well_id}")[0] == 404
    assert not list(Event.well_events_index.query(well.well_id))


def test_file_upload_type_cannot_be_created_through_the_api(editor_api, well):
    status, body = api(editor_api, "post", "/api/events", {"wellId": well.well_id, "type": "FILE_UPLOAD", "title": "x",
                                                           "startTime": "2026-01-01T00:00"})
    assert status == 422 and "type" in json.dumps(body)


def test_stages_are_listed_in_order_and_can_be_moved(editor_api, well):
    ids = [api(editor_api, "post", "/api/stages", {"wellId": well.well_id, "name": n, "type": "OTHER"})[1]["stageId"] for n in "ABC"]
    status, body = api(editor_api, "patch", f"/api/stages/{ids[2]}", {"version": 1, "order": 0})
    assert status == 200, body
    _, listing = api(editor_api, "get", f"/api/stages?wellId={well.well_id}")
    assert [s["name"] for s in listing["items"]] == ["C", "A", "B"]
    assert [s["order"] for s in listing["items"]] == [0, 1, 2]
