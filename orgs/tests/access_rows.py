"""Access rows for organizations, members, invitations and activity (see tests/access.py)."""

import uuid

from tests.access import VISITORS, Access, expect


def _org(w):
    return f"/orgs/{w.org.org_id}"


SIGNED_IN = {"anonymous": 302, "outsider": 200, "VIEWER": 200, "EDITOR": 200, "ADMIN": 200, "OWNER": 200}
API_SIGNED_IN = {**SIGNED_IN, "anonymous": 401}
API = lambda role, ok=200: expect(role, ok, api=True)  # noqa: E731
MEMBERS_AND_OUTSIDER = ("outsider", "VIEWER", "EDITOR", "ADMIN", "OWNER")
MANAGERS = ("ADMIN", "OWNER")


def fresh_member(w, role="VIEWER"):
    """A new member of the world's org, to be removed or changed by an allowed visitor."""
    from accounts.services import user_register
    from orgs.testing import add_member

    user = user_register(
        email=f"m-{uuid.uuid4().hex[:10]}@example.com", password="correct-horse-battery-staple", name="Temp Member"
    )
    add_member(w.org, user, role)
    return user


def fresh_invitation(w):
    from orgs.services import invitation_create
    from welltrack.actor import Actor

    owner = w.users["OWNER"]
    return invitation_create(
        actor=Actor(owner.user_id, "127.0.0.2"),
        actor_role="OWNER",
        org=w.org,
        email=f"inv-{uuid.uuid4().hex[:10]}@example.com",
        role="VIEWER",
        inviter_name=owner.name,
    )


def throwaway_org(w):
    """An org owned by the world's OWNER, to be deleted."""
    from orgs.services import org_create
    from welltrack.actor import Actor

    return org_create(actor=Actor(w.users["OWNER"].user_id, "127.0.0.2"), name=f"Throwaway {uuid.uuid4().hex[:6]}")


def _host(w):
    """A user none of the visitors shares an org with, who sends the invitations visitors open."""
    if "invitation_host" not in w.extra:
        from accounts.services import user_register

        w.extra["invitation_host"] = user_register(
            email=f"host-{uuid.uuid4().hex[:10]}@example.com",
            password="correct-horse-battery-staple",
            name="Hilda Host",
        )
    return w.extra["invitation_host"]


def invitation_link(w, email: str) -> str:
    """A live invitation of ``email`` into a fresh org of the host, as the emailed link."""
    import re

    from django.core import mail

    from orgs.services import invitation_create, org_create
    from welltrack.actor import Actor

    host = _host(w)
    org = org_create(actor=Actor(host.user_id, "127.0.0.2"), name=f"Host Drilling {uuid.uuid4().hex[:6]}")
    invitation_create(
        actor=Actor(host.user_id, "127.0.0.2"),
        actor_role="OWNER",
        org=org,
        email=email,
        role="EDITOR",
        inviter_name=host.name,
    )
    token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    return f"/invitations/{token}/"


def _visitor_email(w, visitor: str) -> str:
    """The visitor's own address; for an anonymous visitor, an address without an account."""
    if visitor == "anonymous":
        return f"newcomer-{uuid.uuid4().hex[:10]}@example.com"
    return (w.outsider if visitor == "outsider" else w.users[visitor]).email


def _someone_else() -> str:
    return f"someone-else-{uuid.uuid4().hex[:10]}@example.com"


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
    Access(
        "orgs/new/",
        "POST",
        lambda w: "/orgs/new/",
        {**SIGNED_IN, **{k: 422 for k in SIGNED_IN if k != "anonymous"}},
        data=lambda w: {"name": ""},
        writes=(),
        note="invalid",
    ),
    Access("orgs/switcher/", "GET", lambda w: "/orgs/switcher/", SIGNED_IN),
    Access("orgs/<str:org_id>/", "GET", lambda w: f"{_org(w)}/", expect("VIEWER")),
    Access("orgs/<str:org_id>/settings/", "GET", lambda w: f"{_org(w)}/settings/", expect("ADMIN")),
    Access(
        "orgs/<str:org_id>/settings/",
        "POST",
        lambda w: f"{_org(w)}/settings/",
        expect("ADMIN", 422),
        data=lambda w: {"name": "", "version": "1"},
        writes=(),
        note="invalid",
    ),
    Access("orgs/<str:org_id>/delete/", "GET", lambda w: f"{_org(w)}/delete/", expect("OWNER")),
    Access(
        "orgs/<str:org_id>/delete/",
        "POST",
        lambda w: f"{_org(w)}/delete/",
        expect("OWNER", 422),
        data=lambda w: {"confirm_name": "not the name"},
        writes=(),
        note="wrong name",
    ),
    Access(
        "orgs/<str:org_id>/leave/",
        "POST",
        lambda w: f"/orgs/{org_with_everyone(w).org_id}/leave/",
        expect("VIEWER", 302),
        writes=("VIEWER", "EDITOR", "ADMIN"),
        note="in a throwaway org; its only owner is refused and sent back",
    ),
    Access("orgs/<str:org_id>/members/", "GET", lambda w: f"{_org(w)}/members/", expect("VIEWER")),
    Access(
        "orgs/<str:org_id>/members/invite/",
        "POST",
        lambda w: f"{_org(w)}/members/invite/",
        expect("ADMIN", 422),
        data=lambda w: {"email": "not-an-email", "role": "VIEWER"},
        writes=(),
        note="invalid",
    ),
    Access(
        "orgs/<str:org_id>/members/<str:user_id>/role/",
        "POST",
        lambda w: f"{_org(w)}/members/{fresh_member(w).user_id}/role/",
        expect("ADMIN", 302),
        data=lambda w: {"role": "EDITOR"},
        writes=MANAGERS,
    ),
    Access(
        "orgs/<str:org_id>/members/<str:user_id>/remove/",
        "POST",
        lambda w: f"{_org(w)}/members/{fresh_member(w).user_id}/remove/",
        expect("ADMIN", 302),
        writes=MANAGERS,
    ),
    Access(
        "orgs/<str:org_id>/members/<str:user_id>/transfer/",
        "POST",
        lambda w: f"{_org(w)}/members/no-such-user/transfer/",
        expect("OWNER", 404),
        writes=(),
        note="unknown member",
    ),
    Access(
        "orgs/<str:org_id>/invitations/<str:invitation_id>/resend/",
        "POST",
        lambda w: f"{_org(w)}/invitations/{fresh_invitation(w).invitation_id}/resend/",
        expect("ADMIN", 302),
        writes=MANAGERS,
    ),
    Access(
        "orgs/<str:org_id>/invitations/<str:invitation_id>/revoke/",
        "POST",
        lambda w: f"{_org(w)}/invitations/{fresh_invitation(w).invitation_id}/revoke/",
        expect("ADMIN", 302),
        writes=MANAGERS,
    ),
    Access("orgs/<str:org_id>/activity/", "GET", lambda w: f"{_org(w)}/activity/", expect("VIEWER")),
    Access(
        "invitations/<str:token>/",
        "GET",
        lambda w: "/invitations/not-a-real-token/",
        expect(None, 404),
        note="unknown token",
    ),
    Access(
        "invitations/<str:token>/",
        "GET",
        lambda w, v: invitation_link(w, _visitor_email(w, v)),
        expect(None, 200),
        for_visitor=True,
        note="to the visitor's own address (anonymous: the register form)",
    ),
    Access(
        "invitations/<str:token>/",
        "POST",
        lambda w, v: invitation_link(w, _visitor_email(w, v)),
        expect(None, 302),
        for_visitor=True,
        data=lambda w, v: {"name": "New Colleague", "password": "correct-horse-battery-staple"},
        writes=VISITORS,
        note="to the visitor's own address: accepted (anonymous: registers and joins)",
    ),
    Access(
        "invitations/<str:token>/",
        "POST",
        lambda w: invitation_link(w, _someone_else()),
        {**expect(None, 403), "anonymous": 422},
        writes=(),
        note="to someone else's address: refused (anonymous: the register form asks for name and password)",
    ),
    # API
    Access(
        "api/orgs",
        "POST",
        lambda w: "/api/orgs",
        {**API_SIGNED_IN, **{k: 422 for k in SIGNED_IN if k != "anonymous"}},
        json=True,
        data=lambda w: {"name": ""},
        writes=(),
        note="invalid",
    ),
    Access("api/orgs", "GET", lambda w: "/api/orgs", API_SIGNED_IN),
    Access("api/orgs/<org_id>", "GET", lambda w: f"/api/orgs/{w.org.org_id}", API("VIEWER")),
    Access(
        "api/orgs/<org_id>",
        "PATCH",
        lambda w: f"/api/orgs/{w.org.org_id}",
        API("ADMIN", 422),
        json=True,
        data=lambda w: {"version": _org_version(w), "name": ""},
        writes=(),
        note="invalid",
    ),
    Access(
        "api/orgs/<org_id>",
        "DELETE",
        lambda w: f"/api/orgs/{throwaway_org(w).org_id}",
        {**API("OWNER", 204), "OWNER": 204, "ADMIN": 404, "EDITOR": 404, "VIEWER": 404},
        writes=("OWNER",),
        note="a throwaway org owned by the world's owner: other members are not in it",
    ),
    Access("api/orgs/<org_id>/members", "GET", lambda w: f"/api/orgs/{w.org.org_id}/members", API("VIEWER")),
    Access(
        "api/orgs/<org_id>/members/<user_id>",
        "PATCH",
        lambda w: f"/api/orgs/{w.org.org_id}/members/{fresh_member(w).user_id}",
        API("ADMIN"),
        json=True,
        data=lambda w: {"role": "EDITOR"},
        writes=MANAGERS,
    ),
    Access(
        "api/orgs/<org_id>/members/<user_id>",
        "DELETE",
        lambda w: f"/api/orgs/{w.org.org_id}/members/{fresh_member(w).user_id}",
        API("ADMIN", 204),
        writes=MANAGERS,
    ),
    Access(
        "api/orgs/<org_id>/invite",
        "POST",
        lambda w: f"/api/orgs/{w.org.org_id}/invite",
        API("ADMIN", 201),
        json=True,
        data=lambda w: {"email": f"api-inv-{uuid.uuid4().hex[:8]}@example.com", "role": "EDITOR"},
        writes=MANAGERS,
    ),
    Access("api/orgs/<org_id>/invitations", "GET", lambda w: f"/api/orgs/{w.org.org_id}/invitations", API("ADMIN")),
    Access(
        "api/orgs/<org_id>/invitations/<invitation_id>",
        "DELETE",
        lambda w: f"/api/orgs/{w.org.org_id}/invitations/{fresh_invitation(w).invitation_id}",
        API("ADMIN", 204),
        writes=MANAGERS,
    ),
    Access(
        "api/invitations/<token>/accept",
        "POST",
        lambda w: "/api/invitations/not-a-token/accept",
        {**API_SIGNED_IN, **{k: 404 for k in SIGNED_IN if k != "anonymous"}},
        json=True,
        writes=(),
        note="unknown token",
    ),
    Access(
        "api/invitations/<token>/accept",
        "POST",
        lambda w, v: "/api" + invitation_link(w, _visitor_email(w, v)).rstrip("/") + "/accept",
        API_SIGNED_IN,
        json=True,
        for_visitor=True,
        writes=MEMBERS_AND_OUTSIDER,
        note="to the visitor's own address",
    ),
    Access(
        "api/invitations/<token>/accept",
        "POST",
        lambda w: "/api" + invitation_link(w, _someone_else()).rstrip("/") + "/accept",
        {**API_SIGNED_IN, **{k: 403 for k in SIGNED_IN if k != "anonymous"}},
        json=True,
        writes=(),
        note="to someone else's address",
    ),
    Access(
        "api/orgs/<org_id>/audit", "GET", lambda w: f"/api/orgs/{w.org.org_id}/audit?entityType=WELL", API("VIEWER")
    ),
]
