"""A password change or reset revokes the user's private .ics links, as it ends their sessions and
API tokens: whoever took the account may have made or copied one. New links can be made after."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from orgs.testing import add_member
from timeline.models import CalendarToken
from timeline.services import calendar_token_create
from welltrack.actor import Actor
from welltrack.audit import AuditLog

NEW_PASSWORD = "an-entirely-new-secret-9"


@pytest.fixture
def member(org_world, make_user):
    user = make_user(name="Linda Link")
    add_member(org_world.org, user, "VIEWER")
    return user


def _link(org_world, user, well) -> tuple[str, CalendarToken]:
    token, item = calendar_token_create(
        actor=Actor(user.user_id, "127.0.0.1"),
        org_id=org_world.org.org_id,
        scope_type="WELL",
        scope_id=well.well_id,
        scope_name=well.name,
    )
    return f"/ical/{token}.ics", item


def _change_password(client_for, user) -> None:
    response = client_for(user).post(
        reverse("accounts:password-change"), {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def _reset_password(user) -> None:
    client = Client()
    mail.outbox.clear()
    client.post(reverse("accounts:password-reset"), {"email": user.email})
    link = urlsplit(re.search(r"http://\S+/accounts/reset/\S+/", mail.outbox[-1].body).group(0)).path
    assert client.post(link, {"new_password": NEW_PASSWORD}).status_code == 302


def test_a_password_change_on_the_page_revokes_the_ics_links(org_world, member, well, client_for):
    url, _ = _link(org_world, member, well)
    assert Client().get(url).status_code == 200
    _change_password(client_for, member)
    assert Client().get(url).status_code == 404


def test_a_password_reset_by_link_revokes_the_ics_links(org_world, member, well):
    url, _ = _link(org_world, member, well)
    _reset_password(member)
    assert Client().get(url).status_code == 404


def test_the_revocation_is_audited_in_the_links_organization(org_world, member, well, client_for):
    _, item = _link(org_world, member, well)
    _change_password(client_for, member)
    entries = [e for e in AuditLog.entity_history_index.query(item.token_id) if e.action == "DELETE"]
    assert [(e.user_id, e.org_id) for e in entries] == [(member.user_id, org_world.org.org_id)]
    assert entries[0].changes.as_dict()["revokedFor"] == {"old": None, "new": "PASSWORD_CHANGE"}


def test_another_users_links_keep_working(org_world, member, well, client_for):
    url, _ = _link(org_world, org_world.users["VIEWER"], well)
    _change_password(client_for, member)
    assert Client().get(url).status_code == 200


def test_after_the_change_a_new_link_can_be_made_and_works(org_world, member, well, client_for):
    _link(org_world, member, well)
    _change_password(client_for, member)
    client = Client()
    client.post(reverse("accounts:login"), {"email": member.email, "password": NEW_PASSWORD})
    org_id = org_world.org.org_id
    page = client.get(reverse("timeline:subscription-list", args=[org_id])).content.decode()
    assert "changing or resetting your password revokes" in page.lower()
    assert f'name="scope_id" value="{well.well_id}"' in page  # offered again, one click away
    response = client.post(
        reverse("timeline:subscription-create", args=[org_id]), {"scope": "WELL", "scope_id": well.well_id}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    new_url = urlsplit(_new_link(page)).path
    assert Client().get(new_url).status_code == 200
    assert f'name="scope_id" value="{well.well_id}"' not in page  # no longer offered: it has a link again


def _new_link(page: str) -> str:
    return re.search(r'value="(http[^"]+\.ics)"[^>]*data-testid="new-link"', page).group(1)


def test_the_profile_and_password_pages_say_the_links_are_revoked(member, client_for):
    client = client_for(member)
    for name in ("accounts:profile", "accounts:password-change"):
        assert "calendar links" in client.get(reverse(name)).content.decode(), name
