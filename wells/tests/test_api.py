import json
from datetime import UTC

import pytest
from django.test import Client

from wells.models import Event, Well
from welltrack.caches import reset_all
from welltrack.testing import sign_in


def api(client: Client, method: str, path: str, body=None):
    response = getattr(client, method)(
        path, data=json.dumps(body) if body is not None else None, content_type="application/json"
    )
    return response.status_code, (response.json() if response.content else None)


@pytest.fixture
def editor_api(org_world):
    client = Client()
    sign_in(client, org_world.users["EDITOR"])
    return client


def test_well_round_trip_in_camel_case_with_location(editor_api, project):
    status, body = api(
        editor_api,
        "post",
        "/api/wells",
        {
            "projectId": project.project_id,
            "name": "API-1",
            "wellNumber": "N-1",
            "location": {"latitude": 46.5, "longitude": 52.1},
            "depth": 2500,
            "status": "DRILLING",
            "startDate": "2026-02-01",
            "metadata": {"rig": "R2"},
            "timeZone": "Europe/London",
        },
    )
    assert status == 201, body
    assert body["location"] == {"latitude": 46.5, "longitude": 52.1}
    assert body["wellNumber"] == "N-1" and body["version"] == 1
    status, fetched = api(editor_api, "get", f"/api/wells/{body['wellId']}")
    assert status == 200 and fetched["timeZone"] == "Europe/London"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "X", "location": {"latitude": 100, "longitude": 0}}, "latitude"),
        ({"name": "X", "status": "DONE"}, "status"),
        ({"name": "X", "depth": -5}, "depth"),
        ({"name": "X", "startDate": "2026-05-01", "endDate": "2026-04-01"}, "endDate"),
        ({"name": "X", "owner": "me"}, "owner"),
    ],
)
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
    for start, end, title in [
        ("2026-06-01T00:00", "2026-06-20T00:00", "Long job"),
        ("2026-06-10T09:00", None, "Inside"),
        ("2026-06-25T09:00", None, "Later"),
    ]:
        status, body = api(
            editor_api,
            "post",
            "/api/events",
            {"wellId": well.well_id, "type": "ACTIVITY", "title": title, "startTime": start, "endTime": end},
        )
        assert status == 201, body
    status, body = api(
        editor_api, "get", f"/api/events?wellId={well.well_id}&start=2026-06-10T00:00&end=2026-06-11T00:00"
    )
    assert [e["title"] for e in body["items"]] == ["Long job", "Inside"]
    status, body = api(editor_api, "get", f"/api/events?wellId={well.well_id}&date=2026-06-25")
    assert [e["title"] for e in body["items"]] == ["Later"]


def test_event_of_a_stage_of_another_well_is_refused(editor_api, org_world, project, well):
    from wells.testing import make_well

    other = make_well(org_world, project, name="Other-1")
    _, stage = api(editor_api, "post", "/api/stages", {"wellId": other.well_id, "name": "Drill", "type": "DRILLING"})
    status, body = api(
        editor_api,
        "post",
        "/api/events",
        {
            "wellId": well.well_id,
            "stageId": stage["stageId"],
            "type": "NOTE",
            "title": "x",
            "startTime": "2026-01-01T00:00",
        },
    )
    assert status == 422 and "stageId" in json.dumps(body)


def test_viewer_cannot_create_and_outsider_cannot_see(org_world, well):
    viewer, outsider = Client(), Client()
    sign_in(viewer, org_world.users["VIEWER"])
    sign_in(outsider, org_world.outsider)
    status, _ = api(
        viewer,
        "post",
        "/api/events",
        {"wellId": well.well_id, "type": "NOTE", "title": "x", "startTime": "2026-01-01T00:00"},
    )
    assert status == 403
    assert api(outsider, "get", f"/api/wells/{well.well_id}")[0] == 404
    assert not list(Event.well_events_index.query(well.well_id))


def test_file_upload_type_cannot_be_created_through_the_api(editor_api, well):
    status, body = api(
        editor_api,
        "post",
        "/api/events",
        {"wellId": well.well_id, "type": "FILE_UPLOAD", "title": "x", "startTime": "2026-01-01T00:00"},
    )
    assert status == 422 and "type" in json.dumps(body)


def test_stages_are_listed_in_order_and_can_be_moved(editor_api, well):
    ids = [
        api(editor_api, "post", "/api/stages", {"wellId": well.well_id, "name": n, "type": "OTHER"})[1]["stageId"]
        for n in "ABC"
    ]
    status, body = api(editor_api, "patch", f"/api/stages/{ids[2]}", {"version": 1, "order": 0})
    assert status == 200, body
    _, listing = api(editor_api, "get", f"/api/stages?wellId={well.well_id}")
    assert [s["name"] for s in listing["items"]] == ["C", "A", "B"]
    assert [s["order"] for s in listing["items"]] == [0, 1, 2]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"type": "NOTE", "title": "x", "startTime": "yesterday-ish"}, "startTime"),
        ({"type": "NOTE", "title": "x", "startTime": "2026-03-02T10:00", "endTime": "2026-03-02T09:00"}, "endTime"),
        ({"type": "PARTY", "title": "x", "startTime": "2026-03-02T10:00"}, "type"),
        ({"type": "NOTE", "title": "", "startTime": "2026-03-02T10:00"}, "title"),
        ({"type": "NOTE", "title": "x", "startTime": "2026-03-02T10:00", "colour": "red"}, "colour"),
        ({"type": "NOTE", "title": "x", "startTime": "2026-03-02T10:00", "metadata": {"k": {"nested": 1}}}, "metadata"),
    ],
)
def test_bad_event_input_is_422_naming_the_field_and_writes_nothing(editor_api, well, body, field):
    status, response = api(editor_api, "post", "/api/events", {"wellId": well.well_id, **body})
    assert status == 422
    assert field in json.dumps(response["detail"])
    assert not list(Event.well_events_index.query(well.well_id))


def test_event_times_without_an_offset_are_the_wells_local_time_across_dst(editor_api, org_world, project):
    from wells.testing import make_well

    well = make_well(org_world, project, name="Chicago-API", time_zone="America/Chicago")
    status, body = api(
        editor_api,
        "post",
        "/api/events",
        {
            "wellId": well.well_id,
            "type": "ACTIVITY",
            "title": "Night shift",
            "startTime": "2026-03-07T22:00",
            "endTime": "2026-03-08T06:00",
        },
    )
    assert status == 201
    assert (body["startTime"], body["endTime"]) == ("2026-03-08T04:00:00Z", "2026-03-08T11:00:00Z")
    status, body = api(
        editor_api,
        "post",
        "/api/events",
        {"wellId": well.well_id, "type": "NOTE", "title": "Ghost", "startTime": "2026-03-08T02:30"},
    )
    assert status == 422 and "startTime" in json.dumps(body)
    status, body = api(editor_api, "get", f"/api/events?wellId={well.well_id}&date=2026-03-08")
    assert [e["title"] for e in body["items"]] == ["Night shift"]


@pytest.mark.parametrize("kind", ["projects", "stages", "events"])
def test_stale_patch_is_409_for_every_entity(org_world, editor_api, well, kind):
    from wells import services
    from wells.testing import actor_for

    actor = actor_for(org_world.users["EDITOR"])
    if kind == "projects":
        client = Client()
        sign_in(client, org_world.users["ADMIN"])
        item_id, version, field = well.project_id, 1, "name"
    elif kind == "stages":
        client = editor_api
        stage = services.stage_create(actor=actor, well=well, name="S", stage_type="OTHER")
        item_id, version, field = stage.stage_id, stage.version, "name"
    else:
        client = editor_api
        event = services.event_create(actor=actor, well=well, event_type="NOTE", title="E", start="2026-03-02T10:00")
        item_id, version, field = event.event_id, event.version, "title"
    assert api(client, "patch", f"/api/{kind}/{item_id}", {"version": version, field: "First"})[0] == 200
    status, body = api(client, "patch", f"/api/{kind}/{item_id}", {"version": version, field: "Second"})
    assert status == 409 and "changed by someone else" in body["detail"]
    assert api(client, "get", f"/api/{kind}/{item_id}")[1][field] == "First"


def test_status_change_through_the_api_writes_the_event_and_counts(editor_api, well):
    status, body = api(
        editor_api, "patch", f"/api/wells/{well.well_id}", {"version": well.version, "status": "DRILLING"}
    )
    assert status == 200 and body["version"] == well.version + 1
    _, events = api(
        editor_api, "get", f"/api/events?wellId={well.well_id}&start=2000-01-01T00:00Z&end=2100-01-01T00:00Z"
    )
    assert [e["title"] for e in events["items"]] == ["Status changed from PLANNING to DRILLING"]
    _, project = api(editor_api, "get", f"/api/projects/{well.project_id}")
    assert project["wellCounts"]["DRILLING"] == 1 and project["wellCounts"]["PLANNING"] == 0


def test_wells_search_by_prefix_and_events_of_a_stage(editor_api, org_world, well):
    _, body = api(editor_api, "get", f"/api/wells?orgId={org_world.org.org_id}&q=JS-A")
    assert well.well_id in [w["wellId"] for w in body["items"]]
    _, stage = api(editor_api, "post", "/api/stages", {"wellId": well.well_id, "name": "Drill", "type": "DRILLING"})
    api(
        editor_api,
        "post",
        "/api/events",
        {
            "wellId": well.well_id,
            "stageId": stage["stageId"],
            "type": "NOTE",
            "title": "On it",
            "startTime": "2026-03-02T10:00",
        },
    )
    _, body = api(editor_api, "get", f"/api/events?stageId={stage['stageId']}")
    assert [e["title"] for e in body["items"]] == ["On it"]


def test_editor_may_not_delete_a_well_or_manage_projects(editor_api, org_world, well):
    assert api(editor_api, "delete", f"/api/wells/{well.well_id}")[0] == 403
    assert api(editor_api, "post", "/api/projects", {"orgId": org_world.org.org_id, "name": "Nope"})[0] == 403
    assert Well.count(well.well_id) == 1


def test_deleting_a_stage_through_the_api_can_delete_its_events(editor_api, well):
    _, stage = api(editor_api, "post", "/api/stages", {"wellId": well.well_id, "name": "Drill", "type": "DRILLING"})
    _, event = api(
        editor_api,
        "post",
        "/api/events",
        {
            "wellId": well.well_id,
            "stageId": stage["stageId"],
            "type": "NOTE",
            "title": "x",
            "startTime": "2026-03-02T10:00",
        },
    )
    assert api(editor_api, "delete", f"/api/stages/{stage['stageId']}?events=shred")[0] == 422
    assert api(editor_api, "delete", f"/api/stages/{stage['stageId']}?events=delete")[0] == 204
    assert api(editor_api, "get", f"/api/events/{event['eventId']}")[0] == 404


def test_delete_again_through_the_api_finishes_an_interrupted_well_deletion(org_world, project):
    from wells import services
    from wells.testing import actor_for, make_well
    from welltrack.errors import DependencyUnavailable
    from welltrack.faults import Throttler, injected

    well = make_well(org_world, project, name="Stuck-API")
    services.stage_create(actor=actor_for(org_world.users["EDITOR"]), well=well, name="S", stage_type="OTHER")
    with injected(Throttler(per_call=10, operations={"BatchWriteItem"})), pytest.raises(DependencyUnavailable):
        services.well_delete(actor=actor_for(org_world.users["ADMIN"]), well=Well.get(well.well_id))
    admin, editor = Client(), Client()
    sign_in(admin, org_world.users["ADMIN"])
    sign_in(editor, org_world.users["EDITOR"])
    assert api(admin, "get", f"/api/wells/{well.well_id}")[0] == 404
    assert api(editor, "delete", f"/api/wells/{well.well_id}")[0] == 404  # hidden from whoever cannot finish it
    assert api(admin, "delete", f"/api/wells/{well.well_id}")[0] == 204
    assert Well.count(well.well_id) == 0


def test_a_project_patch_answers_the_current_well_counts(org_world, project):
    from wells.testing import make_well

    admin = Client()
    sign_in(admin, org_world.users["ADMIN"])
    _, opened = api(admin, "get", f"/api/projects/{project.project_id}")
    make_well(org_world, project, name="Counted-1")
    status, body = api(
        admin, "patch", f"/api/projects/{project.project_id}", {"version": opened["version"], "name": "Renamed"}
    )
    assert status == 200 and body["name"] == "Renamed" and body["wellCounts"] == {"PLANNING": 1}
    assert api(admin, "get", f"/api/projects/{project.project_id}")[1]["wellCounts"] == {"PLANNING": 1}


def _three_stages(client, well):
    return [api(client, "post", "/api/stages", {"wellId": well.well_id, "name": n, "type": "OTHER"})[1] for n in "ABC"]


def test_a_stage_patch_with_a_position_out_of_range_writes_nothing(editor_api, well):
    a, _, _ = _three_stages(editor_api, well)
    status, body = api(
        editor_api, "patch", f"/api/stages/{a['stageId']}", {"version": a["version"], "name": "X", "order": 99}
    )
    assert status == 422 and body["detail"][0]["loc"] == ["body", "order"]
    assert "from 0 to 2" in body["detail"][0]["msg"]
    _, after = api(editor_api, "get", f"/api/stages/{a['stageId']}")
    assert (after["name"], after["order"], after["version"]) == ("A", 0, a["version"])


def test_a_stage_patch_renames_and_moves_in_one_write(editor_api, well):
    _, _, c = _three_stages(editor_api, well)
    status, body = api(
        editor_api, "patch", f"/api/stages/{c['stageId']}", {"version": c["version"], "name": "C2", "order": 0}
    )
    assert status == 200 and (body["name"], body["order"], body["version"]) == ("C2", 0, c["version"] + 1)
    _, listing = api(editor_api, "get", f"/api/stages?wellId={well.well_id}")
    assert [(s["name"], s["order"]) for s in listing["items"]] == [("C2", 0), ("A", 1), ("B", 2)]


def test_a_stage_deleted_during_a_move_makes_it_a_409_that_ends(editor_api, org_world, well):
    """The listing the move is planned on is older than a deletion: the write is refused whole
    (the old loop kept asking to move past the end, which quietly did nothing, for ever)."""
    from unittest import mock

    from wells import selectors, services
    from wells.testing import actor_for

    a, b, c = _three_stages(editor_api, well)
    stale = selectors.stage_list_all(well_id=well.well_id)
    services.stage_delete(
        actor=actor_for(org_world.users["EDITOR"]), stage=selectors.stage_get(stage_id=b["stageId"]), events="keep"
    )
    real, calls = selectors.stage_list_all, []

    def listing(*, well_id):
        calls.append(well_id)
        assert len(calls) < 10, "the move did not stop"
        return stale if len(calls) == 1 else real(well_id=well_id)

    with mock.patch("wells.selectors.stage_list_all", listing):
        status, body = api(editor_api, "patch", f"/api/stages/{a['stageId']}", {"version": a["version"], "order": 2})
    assert status == 409 and "changed by someone else" in body["detail"]
    _, listing_now = api(editor_api, "get", f"/api/stages?wellId={well.well_id}")
    assert [(s["name"], s["order"]) for s in listing_now["items"]] == [("A", 0), ("C", 1)]


def test_stages_are_listed_fifty_a_page_with_a_signed_cursor(editor_api, org_world, well):
    import uuid
    from datetime import datetime

    from wells.models import Stage

    now = datetime.now(UTC)
    with Stage.batch_write() as batch:  # straight to the table: 52 audited creations would take long
        for n in range(52):
            batch.save(
                Stage(
                    str(uuid.uuid4()),
                    well_id=well.well_id,
                    org_id=well.org_id,
                    name=f"Stage {n:02d}",
                    stage_type="OTHER",
                    order=n,
                    created_at=now,
                    updated_at=now,
                    created_by="test",
                    updated_by="test",
                    version=1,
                )
            )
    status, first = api(editor_api, "get", f"/api/stages?wellId={well.well_id}")
    assert status == 200 and len(first["items"]) == 50 and first["nextCursor"]
    status, second = api(editor_api, "get", f"/api/stages?wellId={well.well_id}&cursor={first['nextCursor']}")
    assert status == 200 and second["nextCursor"] is None
    assert [s["order"] for s in first["items"] + second["items"]] == list(range(52))
    tampered = first["nextCursor"][:-2] + ("AA" if not first["nextCursor"].endswith("AA") else "BB")
    status, body = api(editor_api, "get", f"/api/stages?wellId={well.well_id}&cursor={tampered}")
    assert status == 422 and "cursor" in json.dumps(body)


def test_a_date_answers_what_ran_that_day_and_starting_only_what_began_on_it(editor_api, well):
    for title, start, end in [
        ("Waiting on weather", "2026-03-02T00:00", "2026-03-05T12:00"),
        ("Casing run", "2026-03-04T09:30", None),
        ("Next day", "2026-03-05T00:00", None),
    ]:
        assert (
            api(
                editor_api,
                "post",
                "/api/events",
                {"wellId": well.well_id, "type": "ACTIVITY", "title": title, "startTime": start, "endTime": end},
            )[0]
            == 201
        )
    _, overlapping = api(editor_api, "get", f"/api/events?wellId={well.well_id}&date=2026-03-04")
    assert [e["title"] for e in overlapping["items"]] == ["Waiting on weather", "Casing run"]
    _, starting = api(editor_api, "get", f"/api/events?wellId={well.well_id}&date=2026-03-04&startingOnly=true")
    assert [e["title"] for e in starting["items"]] == ["Casing run"]
    status, body = api(
        editor_api,
        "get",
        f"/api/events?wellId={well.well_id}&start=2026-03-04T00:00&end=2026-03-05T00:00&startingOnly=true",
    )
    assert status == 422 and "startingOnly" in json.dumps(body)


@pytest.mark.parametrize("kind", ["projects", "wells", "stages", "events"])
def test_a_delete_of_a_version_changed_since_is_409_with_the_current_values(org_world, well, kind):
    from wells import services
    from wells.models import Project, Stage
    from wells.testing import actor_for

    admin = Client()
    sign_in(admin, org_world.users["ADMIN"])
    actor = actor_for(org_world.users["EDITOR"])
    if kind == "projects":
        item_id, field, model = well.project_id, "name", Project
    elif kind == "wells":
        item_id, field, model = well.well_id, "name", Well
    elif kind == "stages":
        item_id, field, model = (
            services.stage_create(actor=actor, well=well, name="S", stage_type="OTHER").stage_id,
            "name",
            Stage,
        )
    else:
        item_id, field, model = (
            services.event_create(
                actor=actor, well=well, event_type="NOTE", title="E", start="2026-03-02T10:00"
            ).event_id,
            "title",
            Event,
        )
    _, opened = api(admin, "get", f"/api/{kind}/{item_id}")
    assert (
        api(admin, "patch", f"/api/{kind}/{item_id}", {"version": opened["version"], field: "Changed meanwhile"})[0]
        == 200
    )
    status, body = api(admin, "delete", f"/api/{kind}/{item_id}?version={opened['version']}")
    assert status == 409 and "changed by someone else since you opened it" in body["detail"]
    assert body["current"][field] == "Changed meanwhile" and body["current"]["version"] == opened["version"] + 1
    assert model.count(item_id) == 1
    assert api(admin, "delete", f"/api/{kind}/{item_id}?version={opened['version'] + 1}")[0] == 204
    assert model.count(item_id) == 0


def test_a_well_known_to_the_process_is_read_with_the_membership_in_one_request(org_world, well, settings):
    from orgs.models import Membership, Organization
    from orgs.permissions import membership_id
    from orgs.services import member_remove
    from wells.testing import actor_for

    settings.WELLTRACK_DB_METRICS_HEADERS = True
    viewer = Client()
    sign_in(viewer, org_world.users["VIEWER"])
    reset_all()  # as on an instance that has not read this well yet
    viewer.get("/api/me")  # but has seen the session
    first = viewer.get(f"/api/wells/{well.well_id}")
    again = viewer.get(f"/api/wells/{well.well_id}")
    assert first.status_code == again.status_code == 200
    assert int(again["X-DynamoDB-Requests"]) == int(first["X-DynamoDB-Requests"]) - 1
    # The membership is still read on every request: a removal applies at once.
    org_id = org_world.org.org_id
    member_of = {
        role: Membership.get(membership_id(org_id, org_world.users[role].user_id)) for role in ("OWNER", "VIEWER")
    }
    member_remove(
        actor=actor_for(org_world.users["OWNER"]),
        actor_membership=member_of["OWNER"],
        org=Organization.get(org_id),
        target=member_of["VIEWER"],
    )
    assert viewer.get(f"/api/wells/{well.well_id}").status_code == 404


def test_delete_again_through_the_api_finishes_an_interrupted_project_deletion(org_world):
    from wells import services
    from wells.models import Project, Stage
    from wells.testing import actor_for, make_project, make_well
    from welltrack.errors import DependencyUnavailable
    from welltrack.faults import Throttler, injected

    project = make_project(org_world, name="Stuck-API-Field")
    well = make_well(org_world, project, name="Stuck-API-P")
    stage = services.stage_create(actor=actor_for(org_world.users["EDITOR"]), well=well, name="S", stage_type="OTHER")
    with injected(Throttler(per_call=10, operations={"BatchWriteItem"})), pytest.raises(DependencyUnavailable):
        services.project_delete(actor=actor_for(org_world.users["ADMIN"]), project=Project.get(project.project_id))
    editor, admin = Client(), Client()
    sign_in(editor, org_world.users["EDITOR"])
    sign_in(admin, org_world.users["ADMIN"])
    assert api(admin, "get", f"/api/projects/{project.project_id}")[0] == 404
    assert project.project_id not in [
        p["projectId"] for p in api(admin, "get", f"/api/projects?orgId={org_world.org.org_id}")[1]["items"]
    ]
    assert (
        api(editor, "delete", f"/api/projects/{project.project_id}")[0] == 404
    )  # hidden, not 403: it is not there for them
    assert Project.count(project.project_id) == 1
    assert api(admin, "delete", f"/api/projects/{project.project_id}")[0] == 204
    assert Project.count(project.project_id) == 0 and Well.count(well.well_id) == 0 and Stage.count(stage.stage_id) == 0
    assert api(admin, "delete", f"/api/projects/{project.project_id}")[0] == 404


def _events_of_day(client: Client, well_id: str, day: str) -> list[str]:
    response = client.get(f"/api/events?wellId={well_id}&date={day}")
    assert response.status_code == 200, response.content
    return [e["title"] for e in response.json()["items"]]


def test_the_day_query_reads_its_events_in_the_same_round_trip_as_the_authorization(editor_api, well, settings):
    settings.WELLTRACK_DB_METRICS_HEADERS = True
    api(
        editor_api,
        "post",
        "/api/events",
        {
            "wellId": well.well_id,
            "type": "ACTIVITY",
            "title": "Long job",
            "startTime": "2026-06-01T00:00",
            "endTime": "2026-06-20T00:00",
        },
    )
    _events_of_day(editor_api, well.well_id, "2026-06-10")  # the process learns the well
    response = editor_api.get(f"/api/events?wellId={well.well_id}&date=2026-06-10")
    assert [e["title"] for e in response.json()["items"]] == ["Long job"]
    # One BatchGetItem (session, membership, organization, well) and the two Queries of the day.
    assert response["X-DynamoDB-Requests"] == "3"


def test_a_day_read_ahead_with_a_time_zone_the_well_no_longer_has_is_read_again(editor_api, org_world, well):
    api(
        editor_api,
        "post",
        "/api/events",
        {"wellId": well.well_id, "type": "NOTE", "title": "Late on the 10th", "startTime": "2026-06-10T23:30"},
    )  # Asia/Almaty: 18:30 UTC
    assert _events_of_day(editor_api, well.well_id, "2026-06-10") == ["Late on the 10th"]
    # Another instance changes the well's zone (this process still remembers Asia/Almaty): in
    # Pacific/Auckland the 10th ends at 12:00 UTC, before the event, which is on the 11th there.
    Well.get(well.well_id).update(actions=[Well.time_zone.set("Pacific/Auckland")], add_version_condition=False)
    assert _events_of_day(editor_api, well.well_id, "2026-06-10") == []
    assert _events_of_day(editor_api, well.well_id, "2026-06-11") == ["Late on the 10th"]


def test_a_day_read_ahead_with_a_shorter_longest_range_than_the_wells_is_read_again(editor_api, org_world, well):
    assert _events_of_day(editor_api, well.well_id, "2026-06-10") == []  # remembered: no range yet
    api(
        editor_api,
        "post",
        "/api/events",
        {
            "wellId": well.well_id,
            "type": "ACTIVITY",
            "title": "Long job",
            "startTime": "2026-06-01T00:00",
            "endTime": "2026-06-20T00:00",
        },
    )
    # Read ahead as remembered from before the 19-day job (no Query of the ranges begun earlier),
    # then again: the well's longest range is no longer what the read ahead assumed.
    assert _events_of_day(editor_api, well.well_id, "2026-06-10") == ["Long job"]


def test_events_read_ahead_for_someone_who_may_not_see_them_are_not_given_out(editor_api, org_world, well):
    api(
        editor_api,
        "post",
        "/api/events",
        {"wellId": well.well_id, "type": "NOTE", "title": "Private", "startTime": "2026-06-10T09:00"},
    )
    assert _events_of_day(editor_api, well.well_id, "2026-06-10") == ["Private"]
    # This process has seen the well, so the outsider's request reads the day ahead.
    outsider = Client()
    sign_in(outsider, org_world.outsider)
    response = outsider.get(f"/api/events?wellId={well.well_id}&date=2026-06-10")
    assert response.status_code == 404 and b"Private" not in response.content
    response = outsider.get(f"/api/events?wellId={well.well_id}&start=2026-06-10T00:00&end=2026-06-11T00:00")
    assert response.status_code == 404 and b"Private" not in response.content


# --- the span of times ------------------------------------------------------------------------


def _post_event(client, well, start, end=None):
    return api(
        client,
        "post",
        "/api/events",
        {"wellId": well.well_id, "type": "ACTIVITY", "title": "Job", "startTime": start, "endTime": end},
    )


@pytest.mark.parametrize(
    "start, end, field",
    [
        ("9999-12-31T23:00:00Z", None, "startTime"),
        ("0001-01-01T00:00", None, "startTime"),  # Almaty: before year 1 in UTC
        ("0999-06-01T00:00:00Z", None, "startTime"),
        ("1899-12-31T23:59:59Z", None, "startTime"),
        ("2026-06-01T00:00:00Z", "9999-06-01T00:00:00Z", "endTime"),
        ("2026-06-01T00:00:00Z", "9999-12-31T23:59:59-05:00", "endTime"),
    ],
)
def test_an_event_time_outside_the_span_is_422_naming_the_field(editor_api, well, start, end, field):
    status, body = _post_event(editor_api, well, start, end)
    assert status == 422 and field in json.dumps(body["detail"])
    assert "1900-01-01" in json.dumps(body["detail"])
    assert not list(Event.well_events_index.query(well.well_id))


def test_a_range_longer_than_two_years_is_refused_saying_to_record_a_stage(editor_api, well):
    status, body = _post_event(editor_api, well, "2026-01-01T00:00:00Z", "2029-01-01T00:00:00Z")
    assert status == 422 and "endTime" in json.dumps(body["detail"]) and "stage" in json.dumps(body["detail"])
    assert _post_event(editor_api, well, "2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z")[0] == 201
    assert Well.get(well.well_id).longest_event_seconds == 730 * 86400


def test_an_event_moved_outside_the_span_by_patch_is_422_and_unchanged(editor_api, well):
    _, created = _post_event(editor_api, well, "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z")
    status, body = api(
        editor_api,
        "patch",
        f"/api/events/{created['eventId']}",
        {"version": created["version"], "endTime": "9999-12-31T23:00:00Z"},
    )
    assert status == 422 and "endTime" in json.dumps(body["detail"])
    assert Event.get(created["eventId"]).end_time == "2026-06-02T00:00:00Z"


def test_the_first_moment_of_the_span_is_stored_with_a_four_digit_year(editor_api, well):
    status, body = _post_event(editor_api, well, "1900-01-01T00:00:00Z")
    assert status == 201, body
    assert body["startTime"] == Event.get(body["eventId"]).start_time == "1900-01-01T00:00:00Z"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"startDate": "2026-06-01T00:00:00Z", "endDate": "9999-12-31T23:00:00Z"}, "endDate"),
        ({"startDate": "0001-01-01T00:00"}, "startDate"),
        ({"startDate": "2200-01-01T00:00:01Z"}, "startDate"),
    ],
)
def test_a_stage_date_outside_the_span_is_422_naming_the_field(editor_api, well, fields, field):
    status, body = api(
        editor_api, "post", "/api/stages", {"wellId": well.well_id, "name": "Drill", "type": "DRILLING", **fields}
    )
    assert status == 422 and field in json.dumps(body["detail"])


@pytest.mark.parametrize(
    "query, field",
    [
        ("start=0001-01-01T00:00&end=0001-01-02T00:00", "start"),
        ("start=2026-01-01T00:00&end=9999-12-31T23:59", "end"),
        ("start=1899-12-31T00:00&end=1900-01-02T00:00", "start"),
        ("date=9999-12-31", "date"),
        ("date=0001-01-01", "date"),
        ("date=1899-12-31&startingOnly=true", "date"),
    ],
)
def test_a_window_or_date_outside_the_span_is_422_naming_the_parameter(editor_api, well, query, field):
    status, body = api(editor_api, "get", f"/api/events?wellId={well.well_id}&{query}")
    assert status == 422 and field in json.dumps(body["detail"])


def test_a_well_date_outside_the_span_is_422_naming_the_field(editor_api, project):
    status, body = api(
        editor_api, "post", "/api/wells", {"projectId": project.project_id, "name": "X", "startDate": "0999-01-01"}
    )
    assert status == 422 and "startDate" in json.dumps(body["detail"])
