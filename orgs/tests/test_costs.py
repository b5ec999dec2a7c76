"""The DynamoDB requests an orgs page costs do not grow with the org's history or size."""

import uuid

import pytest

from orgs.selectors import ACTIVITY_MAX_REQUESTS
from orgs.testing import add_member

PAGES = {
    "org list": lambda org: "/orgs/",
    "switcher": lambda org: "/orgs/switcher/",
    "members": lambda org: f"/orgs/{org.org_id}/members/",
    "activity": lambda org: f"/orgs/{org.org_id}/activity/",
    "activity of one kind": lambda org: f"/orgs/{org.org_id}/activity/?type=MEMBERSHIP",
}


@pytest.fixture(autouse=True)
def metrics_headers(settings):
    settings.WELLTRACK_DB_METRICS_HEADERS = True


def _requests(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return int(response["X-DynamoDB-Requests"])


# A filtered activity page reads up to ACTIVITY_MAX_REQUESTS Query pages to fill itself from a
# history where the kind asked for is rare; beyond that bound it stops and offers "Older".
FILTER_ALLOWANCE = {"activity of one kind": ACTIVITY_MAX_REQUESTS - 1}


def _add_history(org_world, entries: int) -> None:
    from orgs.audit import audit_record
    from welltrack.actor import Actor
    from welltrack.dynamodb import transact_write

    for n in range(entries):
        with transact_write() as tx:
            audit_record(tx, actor=Actor(org_world.users["EDITOR"].user_id), org_id=org_world.org.org_id,
                         entity_type="WELL", entity_id=f"w{n}", entity_name=f"W{n}", action="CREATE", changes={})


@pytest.mark.parametrize("page", list(PAGES))
def test_page_cost_does_not_grow_with_members_and_history(page, org_world, client_for, make_user):
    client = client_for(org_world.users["ADMIN"])
    url = PAGES[page](org_world.org)
    small = _requests(client, url)
    for n in range(12):
        add_member(org_world.org, make_user(name=f"Member {n}", email=f"cost-{uuid.uuid4().hex[:8]}@example.com"), "VIEWER")
    _add_history(org_world, 150)
    large = _requests(client, url)
    _add_history(org_world, 150)
    larger = _requests(client, url)
    print(f"{page}: {small} -> {large} -> {larger} DynamoDB requests")
    assert large <= small + FILTER_ALLOWANCE.get(page, 0)
    assert larger == large
