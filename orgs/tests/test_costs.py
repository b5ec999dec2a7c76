"""The DynamoDB requests an orgs page costs do not grow with the org's history or size."""

import uuid

import pytest

from orgs.testing import add_member
from welltrack.audit import ACTIVITY_MAX_REQUESTS

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
    from welltrack.actor import Actor
    from welltrack.audit import audit_record
    from welltrack.dynamodb import transact_write

    for n in range(entries):
        with transact_write() as tx:
            audit_record(
                tx,
                actor=Actor(org_world.users["EDITOR"].user_id),
                org_id=org_world.org.org_id,
                entity_type="WELL",
                entity_id=f"w{n}",
                entity_name=f"W{n}",
                action="CREATE",
                changes={},
            )


@pytest.mark.parametrize("page", list(PAGES))
def test_page_cost_does_not_grow_with_members_and_history(page, org_world, client_for, make_user):
    client = client_for(org_world.users["ADMIN"])
    url = PAGES[page](org_world.org)
    small = _requests(client, url)
    for n in range(12):
        add_member(
            org_world.org, make_user(name=f"Member {n}", email=f"cost-{uuid.uuid4().hex[:8]}@example.com"), "VIEWER"
        )
    _add_history(org_world, 150)
    large = _requests(client, url)
    _add_history(org_world, 150)
    larger = _requests(client, url)
    print(f"{page}: {small} -> {large} -> {larger} DynamoDB requests")
    assert large <= small + FILTER_ALLOWANCE.get(page, 0)
    assert larger == large


def _cost(client, url) -> tuple[int, float, str]:
    response = client.get(url)
    assert response.status_code == 200
    return int(response["X-DynamoDB-Requests"]), float(response["X-DynamoDB-Read-Units"]), response.content.decode()


def test_the_members_page_reads_one_page_of_members_however_many_there_are(
    org_world, client_for, make_user, monkeypatch
):
    """Requests alone would not show it (one Query returns up to 1 MB): the read units, and
    the users named, must not grow either once the org is larger than a page."""
    from orgs import selectors

    monkeypatch.setattr(selectors, "MEMBERS_PAGE_SIZE", 5)
    client = client_for(org_world.users["ADMIN"])
    url = f"/orgs/{org_world.org.org_id}/members/"

    def grow(count):
        for n in range(count):
            add_member(
                org_world.org, make_user(name=f"Crowd {n}", email=f"crowd-{uuid.uuid4().hex[:8]}@example.com"), "VIEWER"
            )

    grow(4)  # 8 members: more than a page
    requests, units, page = _cost(client, url)
    assert page.count('data-testid="member-row"') == 5
    grow(12)  # 20 members
    assert _cost(client, url)[:2] == (requests, units)
    api_requests = int(client.get(f"/api/orgs/{org_world.org.org_id}/members")["X-DynamoDB-Requests"])
    grow(6)
    assert int(client.get(f"/api/orgs/{org_world.org.org_id}/members")["X-DynamoDB-Requests"]) == api_requests
