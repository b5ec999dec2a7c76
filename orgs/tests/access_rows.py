"""Access rows for organizations, members, invitations and activity (see tests/access.py)."""

import uuid

from tests.access import Access, expect


def _org(w):
    return f"/orgs/{w.org.org_id}"


SIGNED_IN = {"anonymous": 302, "outsider": 200, "VIEWER": 200, "EDITOR": 200, "ADMIN": 200, "OWNER": 200}
API_SIGNED_IN = {**SIGNED_IN, "anonymous": 401}
API = lambda role, ok=200: expect(role, ok, api=True)  # noqa: E731


def fresh_member(w, role="VIEWER"):
    """A new member of the world's org, to be removed or changed by an allowed visitor."""
    from accounts.services import user_register
    from orgs.testing import add_member

    user = user_register(email=f"m-{uuid.uuid4().hex[:10]}@example.com", password="correct-horse-battery-staple", name="Temp Member")
    add_member(w.org, user, role)
    return user


def fresh_invitation(w):
    from orgs.services import invitation_create
    from welltrack.actor import Actor

    owner = w.users["OWNER"]
    return invitation_create(actor=Actor(owner.user_id, "127.0.0.2"), actor_role="OWNER", org=w.org,
                             email=f"inv-{uuid.uuid4().hex[:10]}@example.com", role="VIEWER", inviter_name=owner.name)


def throwaway_org(w):
    """An org owned by the world's OWNER, to be deleted."""
    from orgs.services import org_create
    from welltrack.actor import Actor

    return org_create(actor=Actor(w.users["OWNER"].user_id, "127.0.0.2"), name=f"Throwaway {uuid.uuid4().hex[:6]}")


def _org_version(w) -> int:
    from orgs.models import Organization

    return Organization.get(w.org.org_id).version


def org_with_everyone(w):
    """A throwaway org with the world's users in their roles, for visitors to leave."""
    from orgs.testing import add_member

    org = throwaway_org(w)
    for role in ("ADMIN", "EDITOR", "VIEWER"):
        add_member(org, w.users[role], role)
    return org


ROWS = [
    Access("orgs/", "GET", lambda w: "/orgs/", SIGNED_IN),
    Access("orgs/new/", "GET", lambda w: "/orgs/new/", SIGNED_IN),
    Access("orgs/new/", "POST", lambda w: "/orgs/new/", {**SIGNED_IN, **{k: 422 for k in SIGNED_IN if k != "anonymous"}},
           data=lambda w: {"name": ""}, note="invalid"),
    Access("orgs/switcher/", "GET", lambda w: "/orgs/switcher/", SIGNED_IN),
    Access("orgs/<str:org_id>/", "GET", lambda w: f"{_org(w)}/", expect("VIEWER")),
    Access("orgs/<str:org_id>/settings/", "GET", lambda w: f"{_org(w)}/settings/", expect("ADMIN")),
    Access("orgs/<str:org_id>/settings/", "POST", lambda w: f"{_org(w)}/settings/", expect("ADMIN", 422),
           data=lambda w: {"name": "", "version": "1"}, note="invalid"),
    Access("orgs/<str:org_id>/delete/", "GET", lambda w: f"{_org(w)}/delete/", expect("OWNER")),
    Access("orgs/<str:org_id>/delete/", "POST", lambda w: f"{_org(w)}/delete/", expect("OWNER", 422),
           data=lambda w: {"confirm_name": "not the name"}, note="wrong name"),
    Access("orgs/<str:org_id>/leave/", "POST", lambda w: f"/orgs/{org_with_everyone(w).org_id}/leave/", expect("VIEWER", 302),
           note="in a throwaway org; its only owner is refused and sent back"),
    Access("orgs/<str:org_id>/members/", "GET", lambda w: f"{_org(w)}/members/", expect("VIEWER")),
    Access("orgs/<str:org_id>/members/invite/", "POST", lambda w: f"{_org(w)}/members/invite/", expect("ADMIN", 422),
           data=lambda w: {"email": "not-an-email", "role": "VIEWER"}, note="invalid"),
    Access("orgs/<str:org_id>/members/<str:user_id>/role/", "POST",
           lambda w: f"{_org(w)}/members/{fresh_member(w).user_id}/role/", expect("ADMIN", 302), data=lambda w: {"role": "EDITOR"}),
    Access("orgs/<str:org_id>/members/<str:user_id>/remove/", "POST",
           lambda w: f"{_org(w)}/members/{fresh_member(w).user_id}/remove/", expect("ADMIN", 302)),
    Access("orgs/<str:org_id>/members/<str:user_id>/transfer/", "POST",
           lambda w: f"{_org(w)}/members/no-such-user/transfer/", expect("OWNER", 404), note="unknown member"),
    Access("orgs/<str:org_id>/invitations/<str:invitation_id>/resend/", "POST",
           lambda w: f"{_org(w)}/invitations/{fresh_invitation(w).invitation_id}/resend/", expect("ADMIN", 302)),
    Access("orgs/<str:org_id>/invitations/<str:invitation_id>/revoke/", "POST",
           lambda w: f"{_org(w)}/invitations/{fresh_invitation(w).invitation_id}/revoke/", expect("ADMIN", 302)),
    Access("orgs/<str:org_id>/activity/", "GET", lambda w: f"{_org(w)}/activity/", expect("VIEWER")),
    Access("invitations/<str:token>/", "GET", lambda w: "/invitations/not-a-real-token/", expect(None, 404)),
    # API
    Access("api/orgs", "POST", lambda w: "/api/orgs", {**API_SIGNED_IN, **{k: 422 for k in SIGNED_IN if k != "anonymous"}},
           json=True, data=lambda w: {"name": ""}, note="invalid"),
    Access("api/orgs", "GET", lambda w: "/api/orgs", API_SIGNED_IN),
    Access("api/orgs/<org_id>", "GET", lambda w: f"/api/orgs/{w.org.org_id}", API("VIEWER")),
    Access("api/orgs/<org_id>", "PATCH", lambda w: f"/api/orgs/{w.org.org_id}", API("ADMIN", 422), json=True,
           data=lambda w: {"version": _org_version(w), "name": ""}, note="invalid"),
    Access("api/orgs/<org_id>", "DELETE", lambda w: f"/api/orgs/{throwaway_org(w).org_id}",
           {**API("OWNER", 204), "OWNER": 204, "ADMIN": 404, "EDITOR": 404, "VIEWER": 404},
           note="a throwaway org owned by the world's owner: other members are not in it"),
    Access("api/orgs/<org_id>/members", "GET", lambda w: f"/api/orgs/{w.org.org_id}/members", API("VIEWER")),
    Access("api/orgs/<org_id>/members/<user_id>", "PATCH", lambda w: f"/api/orgs/{w.org.org_id}/members/{fresh_member(w).user_id}",
           API("ADMIN"), json=True, data=lambda w: {"role": "EDITOR"}),
    Access("api/orgs/<org_id>/members/<user_id>", "DELETE", lambda w: f"/api/orgs/{w.org.org_id}/members/{fresh_member(w).user_id}",
           API("ADMIN", 204)),
    Access("api/orgs/<org_id>/invite", "POST", lambda w: f"/api/orgs/{w.org.org_id}/invite", API("ADMIN", 201), json=True,
           data=lambda w: {"email": f"api-inv-{uuid.uuid4().hex[:8]}@example.com", "role": "EDITOR"}),
    Access("api/orgs/<org_id>/invitations", "GET", lambda w: f"/api/orgs/{w.org.org_id}/invitations", API("ADMIN")),
    Access("api/orgs/<org_id>/invitations/<invitation_id>", "DELETE",
           lambda w: f"/api/orgs/{w.org.org_id}/invitations/{fresh_invitation(w).invitation_id}", API("ADMIN", 204)),
    Access("api/invitations/<token>/accept", "POST", lambda w: "/api/invitations/not-a-token/accept",
           {**API_SIGNED_IN, **{k: 404 for k in SIGNED_IN if k != "anonymous"}}, json=True),
    Access("api/orgs/<org_id>/audit", "GET", lambda w: f"/api/orgs/{w.org.org_id}/audit?entityType=WELL", API("VIEWER")),
]
