import pytest
from django.test import Client
from icalendar import Calendar

from timeline.services import calendar_token_create, calendar_token_revoke
from welltrack.actor import Actor
from welltrack.testing import sign_in
from wells import services
from wells.models import Well
from wells.testing import actor_for, make_well


@pytest.fixture
def chicago_well(org_world, project):
    return make_well(org_world, project, name="Permian-7", time_zone="America/Chicago")


@pytest.fixture
def viewer(org_world):
    client = Client()
    sign_in(client, org_world.users["VIEWER"])
    return client


def add(org_world, well, title, start, end=None, stage=None, kind="ACTIVITY"):
    return services.event_create(actor=actor_for(org_world.users["EDITOR"]), well=Well.get(well.well_id), event_type=kind,
                                 title=title, start=start, end=end, stage=stage)


def feed(client, well, start, end, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"/api/wells/{well.well_id}/calendar?start={start}&end={end}&{query}")
    assert response.status_code == 200, response.content
    return response.json()


def titles(items):
    return [i["title"] for i in items if i["extendedProps"]["kind"] == "event"]


def test_window_edges_and_ranges_that_began_before(org_world, chicago_well, viewer):
    add(org_world, chicago_well, "Six-day wait on weather", "2026-02-24T08:00", "2026-03-02T08:00")
    add(org_world, chicago_well, "Ends at window start", "2026-02-27T00:00", "2026-03-01T00:00")
    add(org_world, chicago_well, "At window start", "2026-03-01T00:00")
    add(org_world, chicago_well, "At window end", "2026-03-08T00:00")
    items = feed(viewer, chicago_well, "2026-03-01T00:00:00Z", "2026-03-08T00:00:00Z")
    assert titles(items) == ["Six-day wait on weather", "At window start"]
    wait = items[0]
    assert (wait["start"], wait["end"]) == ("2026-02-24T08:00:00", "2026-03-02T08:00:00")
    assert wait["extendedProps"]["isRange"] is True and wait["allDay"] is False


def test_times_follow_the_well_zone_across_the_dst_change(org_world, chicago_well, viewer):
    add(org_world, chicago_well, "Before DST", "2026-03-07T09:00")
    add(org_world, chicago_well, "After DST", "2026-03-09T09:00")
    well_time = feed(viewer, chicago_well, "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z")
    assert [i["start"] for i in well_time if i["extendedProps"]["kind"] == "event"] == ["2026-03-07T09:00:00", "2026-03-09T09:00:00"]
    utc = feed(viewer, chicago_well, "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z", timeZone="UTC")
    assert [i["start"] for i in utc if i["extendedProps"]["kind"] == "event"] == ["2026-03-07T15:00:00", "2026-03-09T14:00:00"]


def test_stages_are_spans_titled_with_the_stage_name(org_world, chicago_well, viewer):
    services.stage_create(actor=actor_for(org_world.users["EDITOR"]), well=chicago_well, name="Drilling 8½ in",
                          stage_type="DRILLING", start="2026-02-10T00:00", end="2026-03-03T12:00")
    items = feed(viewer, chicago_well, "2026-03-01T00:00:00Z", "2026-03-08T00:00:00Z")
    stage = next(i for i in items if i["extendedProps"]["kind"] == "stage")
    assert stage["title"] == "Drilling 8½ in" and stage["allDay"] is True
    assert (stage["start"], stage["end"]) == ("2026-02-10", "2026-03-04")


def test_filters_by_type_and_stage(org_world, chicago_well, viewer):
    stage = services.stage_create(actor=actor_for(org_world.users["EDITOR"]), well=chicago_well, name="Testing",
                                  stage_type="TESTING")
    add(org_world, chicago_well, "On stage", "2026-04-02T10:00", stage=stage, kind="NOTE")
    add(org_world, chicago_well, "Off stage", "2026-04-02T11:00", kind="ACTIVITY")
    window = ("2026-04-01T00:00:00Z", "2026-04-05T00:00:00Z")
    assert titles(feed(viewer, chicago_well, *window, type="NOTE")) == ["On stage"]
    assert titles(feed(viewer, chicago_well, *window, stage=stage.stage_id)) == ["On stage"]


def test_viewer_cannot_drag_and_editor_can(org_world, chicago_well, viewer):
    add(org_world, chicago_well, "Movable", "2026-05-02T10:00")
    item = [i for i in feed(viewer, chicago_well, "2026-05-01T00:00:00Z", "2026-05-05T00:00:00Z") if i["title"] == "Movable"][0]
    assert item["editable"] is False and item["extendedProps"]["rescheduleUrl"] is None
    editor = Client()
    sign_in(editor, org_world.users["EDITOR"])
    item = [i for i in feed(editor, chicago_well, "2026-05-01T00:00:00Z", "2026-05-05T00:00:00Z") if i["title"] == "Movable"][0]
    response = editor.post(item["extendedProps"]["rescheduleUrl"], {
        "start": "2026-05-03T14:00:00", "end": "", "time_zone": "America/Chicago", "version": item["extendedProps"]["version"]})
    assert response.status_code == 200, response.content
    moved = [i for i in feed(editor, chicago_well, "2026-05-01T00:00:00Z", "2026-05-05T00:00:00Z") if i["title"] == "Movable"][0]
    assert moved["start"] == "2026-05-03T14:00:00"
    stale = editor.post(item["extendedProps"]["rescheduleUrl"], {
        "start": "2026-05-04T14:00:00", "time_zone": "America/Chicago", "version": item["extendedProps"]["version"]})
    assert stale.status_code == 409 and "changed by someone else" in stale.json()["detail"]


def test_outsider_gets_404_for_the_feed(org_world, chicago_well):
    outsider = Client()
    sign_in(outsider, org_world.outsider)
    response = outsider.get(f"/api/wells/{chicago_well.well_id}/calendar?start=2026-03-01&end=2026-03-08")
    assert response.status_code == 404


def test_ics_subscription_has_the_events_in_utc_and_dies_when_revoked(org_world, chicago_well, client):
    add(org_world, chicago_well, "Spud", "2026-03-09T09:00")
    token, item = calendar_token_create(actor=Actor(org_world.users["VIEWER"].user_id, "127.0.0.1"), org_id=org_world.org.org_id,
                                        scope_type="WELL", scope_id=chicago_well.well_id, scope_name="Permian-7")
    response = client.get(f"/ical/{token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    spud = [c for c in calendar.walk("VEVENT") if str(c.get("summary")) == "Spud"][0]
    assert spud.decoded("dtstart").isoformat() == "2026-03-09T14:00:00+00:00"
    calendar_token_revoke(actor=Actor(org_world.users["VIEWER"].user_id, "127.0.0.1"), item=item)
    assert client.get(f"/ical/{token}.ics").status_code == 404


def test_ics_link_dies_when_its_owner_leaves_the_org(org_world, chicago_well, client):
    from orgs.models import Membership
    from orgs.permissions import membership_id

    token, _ = calendar_token_create(actor=Actor(org_world.users["VIEWER"].user_id, "127.0.0.1"), org_id=org_world.org.org_id,
                                     scope_type="WELL", scope_id=chicago_well.well_id, scope_name="Permian-7")
    assert client.get(f"/ical/{token}.ics").status_code == 200
    Membership.get(membership_id(org_world.org.org_id, org_world.users["VIEWER"].user_id)).update(
        actions=[Membership.status.set("REMOVED")])
    assert client.get(f"/ical/{token}.ics").status_code == 404


def test_org_calendar_shows_drilling_wells_by_default(org_world, project, viewer):
    drilling = make_well(org_world, project, name="Drill-1", status="DRILLING")
    make_well(org_world, project, name="Plan-1", status="PLANNING")
    add(org_world, drilling, "Drilling ahead", "2026-06-02T10:00")
    response = viewer.get(f"/api/orgs/{org_world.org.org_id}/calendar?start=2026-06-01&end=2026-06-05")
    assert [i["extendedProps"]["wellName"] for i in response.json() if i["extendedProps"]["kind"] == "event"] == ["Drill-1"]


def test_dashboard_sections_show_drilling_wells_stages_activity(org_world, project, viewer):
    drilling = make_well(org_world, project, name="Drill-9", status="DRILLING")
    services.stage_create(actor=actor_for(org_world.users["EDITOR"]), well=drilling, name="Intermediate casing",
                          stage_type="DRILLING", status="IN_PROGRESS")
    services.stage_create(actor=actor_for(org_world.users["EDITOR"]), well=drilling, name="Completion",
                          stage_type="COMPLETION", status="PLANNED", start="2026-12-01T00:00")
    base = f"/orgs/{org_world.org.org_id}"
    page = viewer.get(f"{base}/").content.decode()
    assert "Drill-9" in page and "Loading stages" in page
    stages = viewer.get(f"{base}/dashboard/stages/", HTTP_HX_REQUEST="true").content.decode()
    assert "Intermediate casing" in stages and "Completion" in stages and "<html" not in stages
    activity = viewer.get(f"{base}/dashboard/activity/").content.decode()
    assert "Erin Editor created well Drill-9" in activity
    assert viewer.get(f"{base}/dashboard/nonsense/").status_code == 404


def test_new_org_dashboard_says_what_to_do_first(client, make_user):
    from orgs.services import org_create

    owner = make_user(name="Fresh Owner")
    org = org_create(actor=Actor(owner.user_id, "127.0.0.1"), name="Brand New Co")
    sign_in(client, owner)
    page = client.get(f"/orgs/{org.org_id}/").content.decode()
    assert "Create your first project" in page
