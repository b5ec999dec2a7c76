"""Project and organization calendars: which wells they show (filter first, then the cap),
their feed content and filters, and the pages."""

import pytest

from timeline.calendars import MAX_WELLS
from timeline.tests.helpers import add, events_of, get_feed, stage, titles
from wells.testing import make_project, make_well


@pytest.fixture
def viewer(org_world, client_for):
    return client_for(org_world.users["VIEWER"])


def project_feed(client, project, start="2026-03-01", end="2026-03-08", **params):
    return get_feed(client, f"/api/projects/{project.project_id}/calendar", start, end, **params)


def org_feed(client, org_world, start="2026-03-01", end="2026-03-08", **params):
    return get_feed(client, f"/api/orgs/{org_world.org.org_id}/calendar", start, end, **params)


@pytest.fixture
def two_wells(org_world, project):
    almaty = make_well(org_world, project, name="Tengiz-1", time_zone="Asia/Almaty", status="DRILLING")
    houston = make_well(org_world, project, name="Tengiz-2", time_zone="America/Chicago")
    surface = stage(
        org_world,
        almaty,
        "Surface hole",
        start="2026-03-02T00:00",
        end="2026-03-04T00:00",
        stage_type="DRILLING",
        status="IN_PROGRESS",
    )
    add(org_world, almaty, "Spud", "2026-03-02T09:00", stage=surface)
    add(org_world, houston, "Rig up", "2026-03-03T09:00", kind="NOTE")
    other_project = make_project(org_world, name="Kashagan")
    elsewhere = make_well(org_world, other_project, name="Kashagan-1")
    add(org_world, elsewhere, "Not in this project", "2026-03-03T10:00")
    return almaty, houston


def test_the_project_feed_has_every_wells_events_and_stages_in_each_wells_own_time(viewer, project, two_wells):
    response = project_feed(viewer, project)
    items = response.json()
    assert sorted(titles(items)) == ["Tengiz-1: Spud", "Tengiz-2: Rig up"]
    starts = {i["title"]: (i["start"], i["extendedProps"]["timeZone"]) for i in events_of(items)}
    assert starts == {
        "Tengiz-1: Spud": ("2026-03-02T09:00:00", "Asia/Almaty"),
        "Tengiz-2: Rig up": ("2026-03-03T09:00:00", "America/Chicago"),
    }
    assert [i["title"] for i in items if i["extendedProps"]["kind"] == "stage"] == ["Tengiz-1: Surface hole"]
    assert response["X-Calendar-Wells"] == "2 of 2"


def test_the_project_feed_in_one_zone_converts_every_well(viewer, project, two_wells):
    items = project_feed(viewer, project, timeZone="UTC").json()
    assert {i["title"]: i["start"] for i in events_of(items)} == {
        "Tengiz-1: Spud": "2026-03-02T04:00:00",
        "Tengiz-2: Rig up": "2026-03-03T15:00:00",
    }


def test_the_project_feed_filters_by_well(viewer, project, two_wells):
    almaty, houston = two_wells
    assert titles(project_feed(viewer, project, well=houston.well_id).json()) == ["Tengiz-2: Rig up"]
    both = project_feed(viewer, project, well=f"{houston.well_id},{almaty.well_id}").json()
    assert sorted(titles(both)) == ["Tengiz-1: Spud", "Tengiz-2: Rig up"]


def test_a_well_of_another_project_or_org_cannot_be_ticked_in(viewer, org_world, project, two_wells):
    from wells.testing import make_project as other

    outsider_project = other(org_world, name="Elsewhere")
    stranger = make_well(org_world, outsider_project, name="Stranger")
    add(org_world, stranger, "Stranger's event", "2026-03-03T10:00")
    items = project_feed(viewer, project, well=stranger.well_id).json()
    assert items == []


def test_the_project_feed_filters_by_stage_type(viewer, project, two_wells):
    items = project_feed(viewer, project, stageType="DRILLING").json()
    assert [i["title"] for i in items] == ["Tengiz-1: Spud", "Tengiz-1: Surface hole"]
    assert project_feed(viewer, project, stageType="TESTING").json() == []


def test_past_60_wells_a_ticked_well_is_shown_and_the_cap_is_said(viewer, org_world, project):
    wells = [make_well(org_world, project, name=f"W-{n:02d}") for n in range(MAX_WELLS + 2)]
    add(org_world, wells[-1], "On the last well by name", "2026-03-03T10:00")
    add(org_world, wells[0], "On the first well", "2026-03-03T11:00")
    unfiltered = project_feed(viewer, project)
    assert unfiltered["X-Calendar-Wells"] == f"{MAX_WELLS} of {MAX_WELLS + 2}"
    assert titles(unfiltered.json()) == ["W-00: On the first well"]  # W-61 is past the first 60 by name
    ticked = project_feed(viewer, project, well=wells[-1].well_id)
    assert titles(ticked.json()) == [f"W-{MAX_WELLS + 1}: On the last well by name"]
    assert ticked["X-Calendar-Wells"] == "1 of 1"
    page = viewer.get(f"/orgs/{org_world.org.org_id}/projects/{project.project_id}/calendar/").content.decode()
    assert f"the first {MAX_WELLS} by name of {MAX_WELLS + 2}" in page
    assert f'value="{wells[-1].well_id}"' in page  # every well can be ticked


def test_the_org_calendar_shows_drilling_wells_by_default_and_others_by_status(viewer, org_world, project):
    drilling = make_well(org_world, project, name="Drill-1", status="DRILLING")
    planning = make_well(org_world, project, name="Plan-1", status="PLANNING")
    add(org_world, drilling, "Drilling ahead", "2026-06-02T10:00")
    add(org_world, planning, "Site survey", "2026-06-02T11:00")
    window = ("2026-06-01", "2026-06-05")
    assert [i["extendedProps"]["wellName"] for i in events_of(org_feed(viewer, org_world, *window).json())] == [
        "Drill-1"
    ]
    assert titles(org_feed(viewer, org_world, *window, status="PLANNING").json()) == ["Plan-1: Site survey"]
    assert sorted(titles(org_feed(viewer, org_world, *window, status="ALL").json())) == [
        "Drill-1: Drilling ahead",
        "Plan-1: Site survey",
    ]
    assert titles(org_feed(viewer, org_world, *window, status="ALL", well=planning.well_id).json()) == [
        "Plan-1: Site survey"
    ]
    refused = viewer.get(
        f"/api/orgs/{org_world.org.org_id}/calendar", {"start": window[0], "end": window[1], "status": "X"}
    )
    assert refused.status_code == 422 and "Give ALL or one of" in refused.content.decode()


def test_the_org_calendar_page_has_a_status_filter_that_lists_the_matching_wells(viewer, org_world, project):
    make_well(org_world, project, name="Drill-1", status="DRILLING")
    make_well(org_world, project, name="Done-1", status="COMPLETED")
    base = f"/orgs/{org_world.org.org_id}/calendar/"
    page = viewer.get(base).content.decode()
    assert 'id="wt-calendar-status"' in page and '<option value="COMPLETED"' in page
    assert "Drill-1" in page and "Done-1" not in page
    completed = viewer.get(base, {"status": "COMPLETED"}).content.decode()
    assert "Done-1" in completed and "Drill-1" not in completed and 'data-status="COMPLETED"' in completed
    assert 'value="COMPLETED" selected' in completed


def test_project_and_org_pages_offer_the_stage_type_filter(viewer, org_world, project):
    for url in (
        f"/orgs/{org_world.org.org_id}/calendar/",
        f"/orgs/{org_world.org.org_id}/projects/{project.project_id}/calendar/",
    ):
        page = viewer.get(url).content.decode()
        assert 'name="stageType" value="COMPLETION"' in page, url


def test_a_viewer_sees_only_their_orgs_calendars(org_world, client_for, project):
    outsider = client_for(org_world.outsider)
    window = {"start": "2026-03-01", "end": "2026-03-08"}
    assert outsider.get(f"/api/projects/{project.project_id}/calendar", window).status_code == 404
    assert outsider.get(f"/api/orgs/{org_world.org.org_id}/calendar", window).status_code == 404
    assert outsider.get(f"/orgs/{org_world.org.org_id}/projects/{project.project_id}/calendar/").status_code == 404
