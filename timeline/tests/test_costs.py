"""What a project or org calendar feed costs in DynamoDB requests: a fixed number per well
shown (events in the window, ranges begun before it, the well's stages), whatever the wells'
history outside the window."""

from datetime import UTC, datetime, timedelta

import pytest

from timeline.tests.helpers import add, bulk_instants, stage
from wells.testing import make_well

UTC = UTC
PER_WELL = 3  # WellEventsIndex page, RangeEventsIndex reach-back, WellStagesIndex


@pytest.fixture(autouse=True)
def metrics_headers(settings):
    settings.WELLTRACK_DB_METRICS_HEADERS = True


def _well_with_history(org_world, project, name: str):
    well = make_well(org_world, project, name=name, time_zone="UTC", status="DRILLING")
    stage(org_world, well, "Surface hole", start="2026-02-20T00:00", end="2026-03-20T00:00")
    add(org_world, well, "Wait on weather", "2026-02-27T00:00", "2026-03-02T00:00")  # a range: the reach-back is read
    add(org_world, well, "In the window", "2026-03-03T10:00")
    return well


def _older_history(wells, count: int) -> None:
    for well in wells:
        bulk_instants(well, count, first=datetime(2025, 1, 1, tzinfo=UTC), every=timedelta(hours=2), title="Old")


def _requests(client, url: str) -> int:
    response = client.get(url, {"start": "2026-03-01", "end": "2026-04-01", "status": "ALL"})
    assert response.status_code == 200, response.content
    return int(response["X-DynamoDB-Requests"])


@pytest.mark.parametrize("scope", ["project", "org"])
def test_feed_cost_grows_with_the_wells_shown_not_with_their_history(scope, org_world, project, client_for):
    client = client_for(org_world.users["VIEWER"])
    url = (
        f"/api/projects/{project.project_id}/calendar"
        if scope == "project"
        else f"/api/orgs/{org_world.org.org_id}/calendar"
    )
    client.get(f"/orgs/{org_world.org.org_id}/")  # the first page refreshes the session's user
    _requests(client, url)  # and the process has seen the project once (orgs.reads remembers its org)
    n = 3
    wells = [_well_with_history(org_world, project, f"W-{i}") for i in range(n)]
    with_n = _requests(client, url)
    _older_history(wells, 400)
    assert _requests(client, url) == with_n  # 1,200 older events cost nothing
    wells += [_well_with_history(org_world, project, f"W-{i}") for i in range(n, 2 * n)]
    with_2n = _requests(client, url)
    print(f"{scope} feed: {with_n} requests with {n} wells, {with_2n} with {2 * n}")
    assert with_2n - with_n == PER_WELL * n
    assert with_n <= PER_WELL * n + 4  # plus the session, the membership check and the list of wells
