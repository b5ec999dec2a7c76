"""The organizations API: camelCase, 404 for non-members, 403 below the role, 4xx naming the field."""

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from conftest import PASSWORD
from orgs import services
from orgs.models import Invitation, Membership, Organization
from orgs.permissions import membership_id
from welltrack.actor import Actor
from welltrack.audit import AuditLog
from welltrack.testing import sign_in


def api(client: Client, method: str, path: str, body=None, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = getattr(client, method)(
        path, data=json.dumps(body) if body is not None else None, content_type="application/json", **headers
    )
    return response.status_code, (response.json() if response.content else None)


@pytest.fixture
def as_role(org_world):
    def make(role: str) -> Client:
        client = Client()
        sign_in(client, org_world.outsider if role == "outsider" else org_world.users[role])
        return client

    return make


def _fields(detail) -> list[str]:
    return [entry["loc"][-1] for entry in detail]


def _token_from_mail() -> str:
    return re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)


def test_create_returns_201_in_camel_case_and_lists_with_role(user):
    client = Client()
    sign_in(client, user)
    status, body = api(client, "post", "/api/orgs", {"name": "Tengiz Ops", "description": "Onshore"})
    assert status == 201, body
    assert set(body) >= {
        "orgId",
        "name",
        "description",
        "ownerId",
        "createdAt",
        "updatedAt",
        "createdBy",
        "version",
        "role",
    }
    assert (body["role"], body["ownerId"]) == ("OWNER", user.user_id)
    status, listed = api(client, "get", "/api/orgs")
    assert status == 200 and [(o["orgId"], o["role"]) for o in listed] == [(body["orgId"], "OWNER")]


def test_bearer_token_works_like_the_session(user):
    status, login = api(Client(), "post", "/api/auth/login", {"email": user.email, "password": PASSWORD})
    assert status == 200
    status, body = api(Client(), "post", "/api/orgs", {"name": "Token Org"}, token=login["token"])
    assert status == 201 and body["role"] == "OWNER"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"description": "no name"}, "name"),
        ({"name": "X", "ownerId": "someone-else"}, "ownerId"),
    ],
)
def test_bad_org_input_is_422_naming_the_field_and_writes_nothing(user, body, field):
    client = Client()
    sign_in(client, user)
    status, error = api(client, "post", "/api/orgs", body)
    assert status == 422 and field in _fields(error["detail"])
    assert api(client, "get", "/api/orgs")[1] == []


def test_non_members_get_404_like_a_missing_org(org_world, as_role):
    outsider = as_role("outsider")
    assert api(outsider, "get", f"/api/orgs/{org_world.org.org_id}")[0] == 404
    assert api(outsider, "get", f"/api/orgs/{uuid.uuid4()}")[0] == 404
    assert api(outsider, "get", f"/api/orgs/{org_world.org.org_id}/members")[0] == 404


def test_patch_needs_admin_and_the_current_version(org_world, as_role):
    org_id = org_world.org.org_id
    version = Organization.get(org_id).version
    status, _ = api(as_role("EDITOR"), "patch", f"/api/orgs/{org_id}", {"version": version, "description": "x"})
    assert status == 403
    status, body = api(as_role("ADMIN"), "patch", f"/api/orgs/{org_id}", {"version": version, "description": "Updated"})
    assert status == 200 and body["description"] == "Updated" and body["version"] == version + 1
    status, body = api(as_role("OWNER"), "patch", f"/api/orgs/{org_id}", {"version": version, "name": "Stale"})
    assert status == 409 and "changed by someone else" in body["detail"]
    assert Organization.get(org_id).name == "Caspian Drilling"


def test_delete_is_owner_only_and_soft(org_world, as_role):
    org_id = org_world.org.org_id
    assert api(as_role("ADMIN"), "delete", f"/api/orgs/{org_id}")[0] == 403
    assert api(as_role("OWNER"), "delete", f"/api/orgs/{org_id}")[0] == 204
    assert Organization.get(org_id, consistent_read=True).status == "DELETED"
    for role in ("OWNER", "VIEWER"):
        assert api(as_role(role), "get", f"/api/orgs/{org_id}")[0] == 404
    assert api(as_role("OWNER"), "get", "/api/orgs")[1] == []


def test_members_list_names_roles_and_inviters(org_world, as_role):
    status, page = api(as_role("VIEWER"), "get", f"/api/orgs/{org_world.org.org_id}/members")
    assert status == 200 and page["nextCursor"] is None
    by_role = {m["role"]: m for m in page["items"]}
    assert set(by_role) == {"OWNER", "ADMIN", "EDITOR", "VIEWER"}
    assert (
        by_role["EDITOR"]["name"] == "Erin Editor"
        and by_role["EDITOR"]["invitedBy"] == org_world.users["OWNER"].user_id
    )
    assert set(by_role["EDITOR"]) >= {"membershipId", "userId", "email", "status", "invitedAt", "joinedAt"}


def test_role_change_rules(org_world, as_role):
    org_id, users = org_world.org.org_id, org_world.users
    url = f"/api/orgs/{org_id}/members/{users['VIEWER'].user_id}"
    assert api(as_role("EDITOR"), "patch", url, {"role": "EDITOR"})[0] == 403
    status, body = api(as_role("ADMIN"), "patch", url, {"role": "BOSS"})
    assert status == 422 and _fields(body["detail"]) == ["role"]
    assert api(as_role("ADMIN"), "patch", url, {"role": "OWNER"})[0] == 403
    assert (
        api(as_role("ADMIN"), "patch", f"/api/orgs/{org_id}/members/{users['OWNER'].user_id}", {"role": "VIEWER"})[0]
        == 403
    )
    status, body = api(as_role("ADMIN"), "patch", url, {"role": "EDITOR"})
    assert status == 200 and body["role"] == "EDITOR"
    status, body = api(
        as_role("OWNER"), "patch", f"/api/orgs/{org_id}/members/{users['OWNER'].user_id}", {"role": "ADMIN"}
    )
    assert status == 409 and "at least one owner" in body["detail"]
    assert api(as_role("ADMIN"), "patch", f"/api/orgs/{org_id}/members/{uuid.uuid4()}", {"role": "EDITOR"})[0] == 404


def test_removal_and_leaving(org_world, as_role):
    org_id, users = org_world.org.org_id, org_world.users
    viewer = as_role("VIEWER")
    assert api(as_role("ADMIN"), "delete", f"/api/orgs/{org_id}/members/{users['OWNER'].user_id}")[0] == 403
    assert api(as_role("ADMIN"), "delete", f"/api/orgs/{org_id}/members/{users['VIEWER'].user_id}")[0] == 204
    assert api(viewer, "get", f"/api/orgs/{org_id}")[0] == 404  # on the very next request
    assert api(as_role("EDITOR"), "delete", f"/api/orgs/{org_id}/members/{users['EDITOR'].user_id}")[0] == 204
    status, body = api(as_role("OWNER"), "delete", f"/api/orgs/{org_id}/members/{users['OWNER'].user_id}")
    assert status == 409 and "at least one owner" in body["detail"]


def test_invitation_life_cycle_through_the_api(org_world, as_role, make_user):
    org_id = org_world.org.org_id
    email = f"api-inv-{uuid.uuid4().hex[:8]}@example.com"
    mail.outbox.clear()
    status, body = api(
        as_role("ADMIN"), "post", f"/api/orgs/{org_id}/invite", {"email": email.upper(), "role": "EDITOR"}
    )
    assert status == 201, body
    assert set(body) >= {"invitationId", "email", "role", "expiresAt"} and body["email"] == email
    token = _token_from_mail()
    assert token not in json.dumps(body)
    status, pending = api(as_role("ADMIN"), "get", f"/api/orgs/{org_id}/invitations")
    assert status == 200 and email in [i["email"] for i in pending]
    status, again = api(as_role("ADMIN"), "post", f"/api/orgs/{org_id}/invite", {"email": email, "role": "VIEWER"})
    assert status == 422 and _fields(again["detail"]) == ["email"] and "pending" in again["detail"][0]["msg"]

    invitee = Client()
    sign_in(invitee, make_user(name="Api Invitee", email=email))
    status, membership = api(invitee, "post", f"/api/invitations/{token}/accept")
    assert status == 200, membership
    assert (membership["orgId"], membership["role"], membership["status"]) == (org_id, "EDITOR", "ACTIVE")
    status, body = api(invitee, "post", f"/api/invitations/{token}/accept")
    assert status == 409 and "already been used" in body["detail"]
    assert api(invitee, "get", f"/api/orgs/{org_id}")[1]["role"] == "EDITOR"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "not-an-email", "role": "VIEWER"}, "email"),
        ({"email": "ok@example.com", "role": "CHIEF"}, "role"),
        ({"email": "ok@example.com", "role": "OWNER"}, "role"),
        ({"role": "VIEWER"}, "email"),
        ({"email": "ok@example.com", "role": "VIEWER", "orgId": "elsewhere"}, "orgId"),
    ],
)
def test_bad_invitation_input_is_422_naming_the_field_and_sends_nothing(org_world, as_role, body, field):
    mail.outbox.clear()
    status, error = api(as_role("ADMIN"), "post", f"/api/orgs/{org_world.org.org_id}/invite", body)
    assert status == 422 and field in _fields(error["detail"])
    assert mail.outbox == []


def test_invitations_are_for_admins(org_world, as_role):
    org_id = org_world.org.org_id
    assert (
        api(as_role("EDITOR"), "post", f"/api/orgs/{org_id}/invite", {"email": "e@example.com", "role": "VIEWER"})[0]
        == 403
    )
    assert api(as_role("EDITOR"), "get", f"/api/orgs/{org_id}/invitations")[0] == 403
    assert api(as_role("outsider"), "get", f"/api/orgs/{org_id}/invitations")[0] == 404


def test_accepting_someone_elses_invitation_is_403(org_world, as_role):
    mail.outbox.clear()
    api(
        as_role("OWNER"),
        "post",
        f"/api/orgs/{org_world.org.org_id}/invite",
        {"email": f"other-{uuid.uuid4().hex[:8]}@example.com", "role": "VIEWER"},
    )
    status, body = api(as_role("outsider"), "post", f"/api/invitations/{_token_from_mail()}/accept")
    assert status == 403 and "is for" in body["detail"]
    assert not Membership.count(membership_id(org_world.org.org_id, org_world.outsider.user_id))


def test_unknown_and_expired_tokens(org_world, as_role, make_user):
    email = f"late-{uuid.uuid4().hex[:8]}@example.com"
    user_client = Client()
    sign_in(user_client, make_user(email=email))
    status, body = api(user_client, "post", "/api/invitations/no-such-token/accept")
    assert status == 404 and body["detail"]
    mail.outbox.clear()
    status, invitation = api(
        as_role("OWNER"), "post", f"/api/orgs/{org_world.org.org_id}/invite", {"email": email, "role": "VIEWER"}
    )
    # Move the invitation's clock back instead of the server's: it was sent eight days ago.
    stored = Invitation.get(invitation["invitationId"])
    stored.update(actions=[Invitation.expires_at.set(datetime.now(UTC) - timedelta(days=1))])
    status, body = api(user_client, "post", f"/api/invitations/{_token_from_mail()}/accept")
    assert status == 410 and "expired" in body["detail"]


def test_revoking_an_invitation_kills_its_link(org_world, as_role, make_user):
    org_id = org_world.org.org_id
    email = f"rev-{uuid.uuid4().hex[:8]}@example.com"
    mail.outbox.clear()
    _, invitation = api(as_role("ADMIN"), "post", f"/api/orgs/{org_id}/invite", {"email": email, "role": "VIEWER"})
    token = _token_from_mail()
    assert api(as_role("ADMIN"), "delete", f"/api/orgs/{org_id}/invitations/{invitation['invitationId']}")[0] == 204
    assert api(as_role("ADMIN"), "delete", f"/api/orgs/{org_id}/invitations/{invitation['invitationId']}")[0] == 404
    invitee = Client()
    sign_in(invitee, make_user(email=email))
    assert api(invitee, "post", f"/api/invitations/{token}/accept")[0] == 409
    # An invitation id of another org is not found through this org.
    assert (
        api(
            as_role("ADMIN"),
            "delete",
            f"/api/orgs/{org_world.other_org.org_id}/invitations/{invitation['invitationId']}",
        )[0]
        == 404
    )


def test_audit_lists_entries_with_ip_only_for_admins(org_world, as_role):
    org_id = org_world.org.org_id
    status, page = api(as_role("VIEWER"), "get", f"/api/orgs/{org_id}/audit?entityType=ORGANIZATION")
    assert status == 200 and set(page) == {"items", "nextCursor"}
    created = page["items"][-1]
    assert (created["action"], created["entityType"], created["entityId"]) == ("CREATE", "ORGANIZATION", org_id)
    assert created["changes"]["name"] == {"old": None, "new": "Caspian Drilling"}
    assert created["ipAddress"] is None
    status, page = api(as_role("ADMIN"), "get", f"/api/orgs/{org_id}/audit?entityId={org_id}")
    assert page["items"][-1]["ipAddress"] == "127.0.0.1"
    owner_id = org_world.users["OWNER"].user_id
    status, page = api(as_role("ADMIN"), "get", f"/api/orgs/{org_id}/audit?userId={owner_id}")
    assert status == 200 and page["items"] and {i["userId"] for i in page["items"]} == {owner_id}
    assert {i["orgId"] for i in page["items"]} == {org_id}


def test_audit_pages_with_a_cursor_and_refuses_a_bad_one(org_world, as_role):
    from welltrack.actor import Actor
    from welltrack.audit import audit_record
    from welltrack.dynamodb import transact_write

    org_id = org_world.org.org_id
    for n in range(3):
        with transact_write() as tx:
            audit_record(
                tx,
                actor=Actor("u-x"),
                org_id=org_id,
                entity_type="NOTE",
                entity_id=f"n{n}",
                action="CREATE",
                changes={},
            )
    client = as_role("VIEWER")
    status, first = api(client, "get", f"/api/orgs/{org_id}/audit?entityType=NOTE")
    assert status == 200 and len(first["items"]) == 3
    # The page size is the server's; page through the unfiltered log with its cursor.
    seen, cursor = [], None
    while True:
        status, page = api(client, "get", f"/api/orgs/{org_id}/audit" + (f"?cursor={cursor}" if cursor else ""))
        assert status == 200
        seen.extend(i["logId"] for i in page["items"])
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 3
    status, body = api(client, "get", f"/api/orgs/{org_id}/audit?cursor=forged")
    assert status == 422 and "cursor" in str(body["detail"])


def test_refused_writes_leave_no_audit(org_world, as_role):
    org_id = org_world.org.org_id
    before = len(list(AuditLog.org_activity_index.query(org_id)))
    api(as_role("EDITOR"), "post", f"/api/orgs/{org_id}/invite", {"email": "e@example.com", "role": "VIEWER"})
    api(as_role("ADMIN"), "patch", f"/api/orgs/{org_id}/members/{org_world.users['OWNER'].user_id}", {"role": "VIEWER"})
    api(as_role("OWNER"), "patch", f"/api/orgs/{org_id}/members/{org_world.users['OWNER'].user_id}", {"role": "VIEWER"})
    assert len(list(AuditLog.org_activity_index.query(org_id))) == before


def test_members_come_in_pages_with_a_signed_cursor(org_world, as_role, make_user, monkeypatch):
    from orgs import selectors
    from orgs.testing import add_member

    monkeypatch.setattr(selectors, "MEMBERS_PAGE_SIZE", 3)
    for n in range(3):
        add_member(org_world.org, make_user(name=f"Api Member {n}"), "EDITOR")
    viewer, url = as_role("VIEWER"), f"/api/orgs/{org_world.org.org_id}/members"
    seen, cursor = [], None
    while True:
        status, page = api(viewer, "get", url + (f"?cursor={cursor}" if cursor else ""))
        assert status == 200 and len(page["items"]) <= 3
        seen += [m["userId"] for m in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    status, body = api(viewer, "get", url + "?cursor=forged")
    assert status == 422 and "cursor" in json.dumps(body)


def test_delete_again_finishes_an_interrupted_deletion(org_world, as_role):
    org_id = org_world.org.org_id
    Organization.get(org_id).update(actions=[Organization.status.set("DELETED")], add_version_condition=False)
    assert api(as_role("ADMIN"), "delete", f"/api/orgs/{org_id}")[0] == 404  # gone for everyone but its owner
    assert api(as_role("OWNER"), "delete", f"/api/orgs/{org_id}")[0] == 204
    assert {Membership.get(membership_id(org_id, u.user_id)).status for u in org_world.users.values()} == {"REMOVED"}
    assert api(as_role("OWNER"), "delete", f"/api/orgs/{org_id}")[0] == 404


def test_creating_more_organizations_in_a_day_than_allowed_is_429_with_retry_after(user):
    client = Client()
    sign_in(client, user)
    limit = settings.WELLTRACK_ORGS_PER_USER_PER_DAY
    for n in range(limit):
        assert api(client, "post", "/api/orgs", {"name": f"Spam Field {n}"})[0] == 201
    response = client.post("/api/orgs", data={"name": "One Too Many"}, content_type="application/json")
    assert response.status_code == 429
    assert "You have created many organizations in the last day" in response.json()["detail"]
    assert 23 * 3600 < int(response["Retry-After"]) <= 24 * 3600 + 24 * 3600 // 15
    assert len(api(client, "get", "/api/orgs")[1]) == limit


def test_invitations_past_the_inviters_hourly_cap_across_organizations_are_429_with_retry_after(user):
    client = Client()
    sign_in(client, user)
    limit = settings.WELLTRACK_INVITES_PER_USER_PER_HOUR
    actor = Actor(user.user_id, "127.0.0.5")
    orgs = [services.org_create(actor=actor, name=f"Field {n}") for n in range(2)]
    for n in range(limit):
        org = orgs[n % 2]  # 25 in each: under the per-organization cap of 30
        status, body = api(
            client,
            "post",
            f"/api/orgs/{org.org_id}/invite",
            {"email": f"m-{n}-{uuid.uuid4().hex[:6]}@example.com", "role": "VIEWER"},
        )
        assert status == 201, body
    mail.outbox.clear()
    response = client.post(
        f"/api/orgs/{orgs[0].org_id}/invite",
        data={"email": "one-more@example.com", "role": "VIEWER"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert "You have sent many invitations in the last hour" in response.json()["detail"]
    assert 3000 < int(response["Retry-After"]) <= 3600 + 3600 // 15
    assert mail.outbox == []
