"""The organization dashboard: counts by status, the drilling wells with their current stage,
the next planned stages (from today on, soonest first) within a fixed cost, activity."""

from datetime import UTC, datetime, timedelta

import pytest

from timeline.tests.helpers import stage
from wells.services import project_update
from wells.testing import actor_for, make_project, make_well
from welltrack.actor import Actor
from welltrack.testing import sign_in

UTC = UTC


@pytest.fixture
def viewer(org_world, client_for):
    return client_for(org_world.users["VIEWER"])


def day(offset: int) -> str:
    return (datetime.now(UTC) + timedelta(days=offset)).strftime("%Y-%m-%dT12:00")


def part(client, org_world, name: str) -> str:
    response = client.get(f"/orgs/{org_world.org.org_id}/dashboard/{name}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_counts_projects_and_wells_by_status(org_world, project, viewer):
    finished = make_project(org_world, name="Karachaganak")
    project_update(
        actor=actor_for(org_world.users["ADMIN"]),
        project=finished,
        version=finished.version,
        name=finished.name,
        location=finished.location,
        description=finished.description,
        status="COMPLETED",
    )
    make_well(org_world, project, name="D-1", status="DRILLING")
    make_well(org_world, project, name="D-2", status="DRILLING")
    make_well(org_world, finished, name="C-1", status="COMPLETED")
    page = viewer.get(f"/orgs/{org_world.org.org_id}/").content.decode()
    assert 'data-testid="count-projects">2<' in page
    assert 'data-testid="count-project-ACTIVE">1 active<' in page
    assert 'data-testid="count-project-COMPLETED">1 completed<' in page
    assert 'data-testid="count-DRILLING">2<' in page and 'data-testid="count-COMPLETED">1<' in page


def test_drilling_wells_are_one_list_with_their_current_stage(org_world, project, viewer):
    drilling = make_well(org_world, project, name="Drill-9", status="DRILLING")
    stage(org_world, drilling, "Intermediate casing", status="IN_PROGRESS")
    make_well(org_world, project, name="Drill-10", status="DRILLING")
    page = viewer.get(f"/orgs/{org_world.org.org_id}/").content.decode()
    assert "Loading the drilling wells" in page and "Drill-9" not in page  # the list comes with its stages
    stages = part(viewer, org_world, "stages")
    assert "<html" not in stages and "Drilling now" not in stages
    assert stages.count('data-testid="drilling-wells"') == 1
    assert "Drill-9" in stages and "Now: <a" in stages and "Intermediate casing" in stages
    assert "Drill-10" in stages and "No stage in progress" in stages
    assert "Tengiz Field" in stages  # the project of each well


def test_next_planned_stages_are_the_coming_ones_soonest_first(org_world, project, viewer):
    drilling = make_well(org_world, project, name="Drill-1", status="DRILLING")
    planning = make_well(org_world, project, name="Plan-1", status="PLANNING")
    done = make_well(org_world, project, name="Done-1", status="COMPLETED")
    stage(org_world, drilling, "Completion in three weeks", start=day(21), stage_type="COMPLETION")
    stage(org_world, planning, "Spud next week", start=day(7))
    stage(org_world, planning, "Overdue planned stage", start=day(-5))
    stage(org_world, planning, "Unscheduled", start=None)
    stage(org_world, drilling, "Running already", start=day(2), status="IN_PROGRESS")
    stage(org_world, done, "Left on a completed well", start=day(3))
    stages = part(viewer, org_world, "stages")
    upcoming = stages[stages.index('data-testid="upcoming-stages"') :]
    assert upcoming.index("Spud next week") < upcoming.index("Completion in three weeks")
    for absent in ("Overdue planned stage", "Unscheduled", "Running already", "Left on a completed well"):
        assert absent not in upcoming, absent


def test_the_stages_fragment_costs_the_same_few_requests_however_many_wells_and_stages(
    org_world, project, viewer, settings
):
    settings.WELLTRACK_DB_METRICS_HEADERS = True
    drilling = make_well(org_world, project, name="Drill-0", status="DRILLING")
    stage(org_world, drilling, "Running", start=day(-1), status="IN_PROGRESS")
    stage(org_world, make_well(org_world, project, name="Plan-0"), "Stage 0", start=day(1))

    def cost() -> int:
        response = viewer.get(f"/orgs/{org_world.org.org_id}/dashboard/stages/", HTTP_HX_REQUEST="true")
        return int(response["X-DynamoDB-Requests"])

    viewer.get(f"/orgs/{org_world.org.org_id}/")  # the session's user is refreshed on a first page
    before = cost()
    for n in range(6):
        more = make_well(org_world, project, name=f"Plan-more-{n}", status="DRILLING" if n % 2 else "PLANNING")
        stage(org_world, more, f"Later {n}", start=day(10 + n))
        stage(org_world, more, f"Now {n}", start=day(-2), status="IN_PROGRESS")
        make_well(org_world, project, name=f"Done-{n}", status="COMPLETED")
    print("stages fragment:", before, "DynamoDB requests")
    assert cost() == before <= 6  # the session, the membership, three Queries and one BatchGetItem
    page = part(viewer, org_world, "stages")
    assert "Stage 0" in page and "Now: <a" in page


def test_activity_fragment_says_what_happened_in_words(org_world, project, viewer):
    make_well(org_world, project, name="Drill-9", status="DRILLING")
    activity = part(viewer, org_world, "activity")
    assert "Erin Editor created well Drill-9" in activity
    assert viewer.get(f"/orgs/{org_world.org.org_id}/dashboard/nonsense/").status_code == 404


def test_new_org_dashboard_says_what_to_do_first(client, make_user):
    from orgs.services import org_create

    owner = make_user(name="Fresh Owner")
    org = org_create(actor=Actor(owner.user_id, "127.0.0.1"), name="Brand New Co")
    sign_in(client, owner)
    page = client.get(f"/orgs/{org.org_id}/").content.decode()
    assert "Create your first project" in page
