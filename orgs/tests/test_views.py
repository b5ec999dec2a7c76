import random
import re
import uuid
from datetime import UTC

from django.conf import settings
from django.core import mail
from django.test import Client

from accounts import services as account_services
from conftest import PASSWORD
from orgs import selectors, services
from orgs.models import Membership
from orgs.permissions import membership_id
from welltrack.actor import Actor


def _invite(client, org_id, email, role="VIEWER"):
    mail.outbox.clear()
    response = client.post(f"/orgs/{org_id}/members/invite/", {"email": email, "role": role})
    assert response.status_code == 302, response.content.decode()[:500]
    return re.search(r"(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)


def test_home_sends_a_signed_in_user_to_their_organizations(signed_in_client):
    assert signed_in_client.get("/")["Location"] == "/orgs/"


def test_creating_an_org_from_the_empty_list(signed_in_client, user):
    page = signed_in_client.get("/orgs/").content.decode()
    assert "not in any organization yet" in page
    response = signed_in_client.post("/orgs/new/", {"name": "Aktobe Field Services", "description": ""})
    assert response.status_code == 302
    assert "Aktobe Field Services" in signed_in_client.get("/orgs/").content.decode()


def test_newcomer_registers_through_the_invitation_and_joins_as_viewer(org_world, client_for):
    email = f"newbie-{uuid.uuid4().hex[:8]}@example.com"
    link = _invite(client_for(org_world.users["ADMIN"]), org_world.org.org_id, email)
    visitor = Client()
    page = visitor.get(link).content.decode()
    assert "Caspian Drilling" in page and "Adam Admin" in page and "viewer" in page
    assert f'value="{email}" readonly' in page
    response = visitor.post(link, {"name": "Nina Newbie", "password": PASSWORD, "email": "attacker@example.com"})
    assert response.status_code == 302
    orgs_page = visitor.get("/orgs/").content.decode()
    assert "Caspian Drilling" in orgs_page and "Viewer" in orgs_page


def test_signed_in_user_with_another_email_is_told_so(org_world, client_for):
    link = _invite(client_for(org_world.users["OWNER"]), org_world.org.org_id, f"x-{uuid.uuid4().hex[:8]}@example.com")
    page = client_for(org_world.outsider).get(link).content.decode()
    assert "is for" in page and "you are signed in as" in page


def test_used_link_says_it_cannot_be_used(org_world, client_for, make_user):
    email = f"once-{uuid.uuid4().hex[:8]}@example.com"
    link = _invite(client_for(org_world.users["OWNER"]), org_world.org.org_id, email)
    invitee = make_user(email=email)
    c = client_for(invitee)
    assert c.post(link).status_code == 302
    again = c.post(link)
    assert again.status_code == 409
    assert "already been used" in again.content.decode()


def test_removed_member_is_refused_on_the_very_next_request(org_world, client_for):
    viewer_client = client_for(org_world.users["VIEWER"])
    assert viewer_client.get(f"/orgs/{org_world.org.org_id}/").status_code == 200
    admin = client_for(org_world.users["ADMIN"])
    assert (
        admin.post(f"/orgs/{org_world.org.org_id}/members/{org_world.users['VIEWER'].user_id}/remove/").status_code
        == 302
    )
    assert viewer_client.get(f"/orgs/{org_world.org.org_id}/").status_code == 404


def test_demoted_editor_cannot_edit_on_the_next_request(org_world, client_for, well):
    editor = client_for(org_world.users["EDITOR"])
    assert editor.get(f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/edit/").status_code == 200
    client_for(org_world.users["OWNER"]).post(
        f"/orgs/{org_world.org.org_id}/members/{org_world.users['EDITOR'].user_id}/role/", {"role": "VIEWER"}
    )
    assert editor.get(f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/edit/").status_code == 403


def test_activity_page_reads_in_words(org_world, client_for, well):
    page = client_for(org_world.users["VIEWER"]).get(f"/orgs/{org_world.org.org_id}/activity/").content.decode()
    assert "Erin Editor created well JS-A-12" in page
    assert "127.0.0.1" not in page  # IP addresses are for admins
    admin_page = (
        client_for(org_world.users["ADMIN"]).get(f"/orgs/{org_world.org.org_id}/activity/?type=WELL").content.decode()
    )
    assert "from 127.0.0.1" in admin_page and "created project" not in admin_page


def test_org_switcher_fragment_lists_my_orgs_with_roles(org_world, client_for):
    fragment = client_for(org_world.users["EDITOR"]).get("/orgs/switcher/", HTTP_HX_REQUEST="true").content.decode()
    assert "Caspian Drilling" in fragment and "Editor" in fragment
    assert "<html" not in fragment


def test_member_list_shows_inviter_and_role(org_world, client_for):
    page = client_for(org_world.users["VIEWER"]).get(f"/orgs/{org_world.org.org_id}/members/").content.decode()
    assert "Erin Editor" in page and "Olga Owner" in page
    assert "Send invitation" not in page  # viewers do not manage members


def test_invite_with_smuggled_org_is_ignored(org_world, client_for):
    email = f"s-{uuid.uuid4().hex[:8]}@example.com"
    client_for(org_world.users["ADMIN"]).post(
        f"/orgs/{org_world.org.org_id}/members/invite/",
        {"email": email, "role": "VIEWER", "org_id": org_world.other_org.org_id},
    )
    from orgs.selectors import invitations_pending

    assert email in [i.email for i in invitations_pending(org_id=org_world.org.org_id)]
    assert email not in [i.email for i in invitations_pending(org_id=org_world.other_org.org_id)]
    assert not Membership.count(membership_id(org_world.other_org.org_id, org_world.users["ADMIN"].user_id))


def test_org_home_names_my_role_and_links(org_world, client_for):
    page = client_for(org_world.users["EDITOR"]).get(f"/orgs/{org_world.org.org_id}/").content.decode()
    assert 'data-testid="my-role">Editor<' in page
    assert f"/orgs/{org_world.org.org_id}/members/" in page and f"/orgs/{org_world.org.org_id}/activity/" in page
    assert f"/orgs/{org_world.org.org_id}/settings/" not in page
    admin_page = client_for(org_world.users["ADMIN"]).get(f"/orgs/{org_world.org.org_id}/").content.decode()
    assert f"/orgs/{org_world.org.org_id}/settings/" in admin_page


def test_settings_save_and_a_stale_form_gets_409_with_current_values(org_world, client_for):
    from orgs.models import Organization

    url = f"/orgs/{org_world.org.org_id}/settings/"
    version = Organization.get(org_world.org.org_id).version
    owner, admin = client_for(org_world.users["OWNER"]), client_for(org_world.users["ADMIN"])
    assert (
        owner.post(url, {"name": "Caspian Drilling", "description": "First words", "version": version}).status_code
        == 302
    )
    stale = admin.post(url, {"name": "Caspian Drilling Ltd", "description": "Mine", "version": version})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "changed by someone else" in page and "First words" in page
    assert 'value="Caspian Drilling Ltd"' in page  # the user's input is kept
    assert f'name="version" value="{version + 1}"' in page
    assert (
        admin.post(url, {"name": "Caspian Drilling Ltd", "description": "Mine", "version": version + 1}).status_code
        == 302
    )
    assert Organization.get(org_world.org.org_id).name == "Caspian Drilling Ltd"


def test_delete_needs_the_exact_name_then_everyone_loses_access(org_world, client_for):
    owner, viewer = client_for(org_world.users["OWNER"]), client_for(org_world.users["VIEWER"])
    url = f"/orgs/{org_world.org.org_id}/delete/"
    wrong = owner.post(url, {"confirm_name": "caspian drilling"})
    assert wrong.status_code == 422 and "Type the organization" in wrong.content.decode()
    assert viewer.get(f"/orgs/{org_world.org.org_id}/").status_code == 200
    assert owner.post(url, {"confirm_name": "Caspian Drilling"})["Location"] == "/orgs/"
    assert viewer.get(f"/orgs/{org_world.org.org_id}/").status_code == 404
    assert owner.get(f"/orgs/{org_world.org.org_id}/").status_code == 404
    assert f"/orgs/{org_world.org.org_id}/" not in owner.get("/orgs/").content.decode()


def test_transfer_of_ownership_from_the_members_page(org_world, client_for):
    owner = client_for(org_world.users["OWNER"])
    editor_id = org_world.users["EDITOR"].user_id
    response = owner.post(f"/orgs/{org_world.org.org_id}/members/{editor_id}/transfer/")
    assert response.status_code == 302
    page = owner.get(response["Location"]).content.decode()
    assert "is now an owner" in page
    # The former owner is an admin now: no more transfers, and owners are out of reach.
    assert owner.post(f"/orgs/{org_world.org.org_id}/members/{editor_id}/transfer/").status_code == 403
    owner.post(f"/orgs/{org_world.org.org_id}/members/{editor_id}/role/", {"role": "VIEWER"})
    assert Membership.get(membership_id(org_world.org.org_id, editor_id)).role == "OWNER"


def test_the_only_owner_cannot_leave_but_others_can(org_world, client_for):
    owner = client_for(org_world.users["OWNER"])
    response = owner.post(f"/orgs/{org_world.org.org_id}/leave/", follow=True)
    assert "at least one owner" in response.content.decode()
    viewer = client_for(org_world.users["VIEWER"])
    assert viewer.post(f"/orgs/{org_world.org.org_id}/leave/")["Location"] == "/orgs/"
    assert viewer.get(f"/orgs/{org_world.org.org_id}/members/").status_code == 404


def test_admin_cannot_remove_an_owner_from_the_page(org_world, client_for):
    admin = client_for(org_world.users["ADMIN"])
    owner_id = org_world.users["OWNER"].user_id
    response = admin.post(f"/orgs/{org_world.org.org_id}/members/{owner_id}/remove/", follow=True)
    assert "Only an owner" in response.content.decode()
    assert Membership.get(membership_id(org_world.org.org_id, owner_id)).status == "ACTIVE"
    htmx = admin.post(f"/orgs/{org_world.org.org_id}/members/{owner_id}/remove/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 403


def test_invite_form_errors_stay_on_the_page(org_world, client_for):
    admin = client_for(org_world.users["ADMIN"])
    response = admin.post(
        f"/orgs/{org_world.org.org_id}/members/invite/", {"email": org_world.users["EDITOR"].email, "role": "VIEWER"}
    )
    assert response.status_code == 422
    assert "already a member" in response.content.decode()


def test_resend_and_revoke_from_the_members_page(org_world, client_for):
    from orgs.selectors import invitations_pending

    admin = client_for(org_world.users["ADMIN"])
    email = f"rr-{uuid.uuid4().hex[:8]}@example.com"
    old_link = _invite(admin, org_world.org.org_id, email)
    invitation = next(i for i in invitations_pending(org_id=org_world.org.org_id) if i.email == email)
    assert email in admin.get(f"/orgs/{org_world.org.org_id}/members/").content.decode()
    mail.outbox.clear()
    assert admin.post(f"/orgs/{org_world.org.org_id}/invitations/{invitation.invitation_id}/resend/").status_code == 302
    new_link = re.search(r"(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)
    assert new_link != old_link
    assert Client().get(old_link).status_code == 404
    assert Client().get(new_link).status_code == 200
    assert admin.post(f"/orgs/{org_world.org.org_id}/invitations/{invitation.invitation_id}/revoke/").status_code == 302
    gone = Client().get(new_link)
    assert gone.status_code == 409 and "cannot be used" in gone.content.decode()


def test_signed_in_invitee_accepts_with_one_click(org_world, client_for, make_user):
    email = f"click-{uuid.uuid4().hex[:8]}@example.com"
    link = _invite(client_for(org_world.users["OWNER"]), org_world.org.org_id, email)
    invitee = client_for(make_user(name="Ivy Invitee", email=email))
    page = invitee.get(link).content.decode()
    assert "Accept and join Caspian Drilling" in page and "Olga Owner" in page
    response = invitee.post(link)
    assert response["Location"] == f"/orgs/{org_world.org.org_id}/"
    assert invitee.get(response["Location"]).status_code == 200


def test_registering_through_the_link_with_an_existing_address_says_sign_in(org_world, client_for, make_user):
    email = f"known-{uuid.uuid4().hex[:8]}@example.com"
    make_user(email=email)
    link = _invite(client_for(org_world.users["OWNER"]), org_world.org.org_id, email)
    response = Client().post(link, {"name": "Someone", "password": PASSWORD})
    assert response.status_code == 422
    assert "Sign in instead" in response.content.decode()


def test_invitation_link_of_a_deleted_org_is_not_found(org_world, client_for):
    owner = client_for(org_world.users["OWNER"])
    link = _invite(owner, org_world.org.org_id, f"late-{uuid.uuid4().hex[:8]}@example.com")
    owner.post(f"/orgs/{org_world.org.org_id}/delete/", {"confirm_name": "Caspian Drilling"})
    response = Client().get(link)
    assert response.status_code == 404 and "no longer exists" in response.content.decode()


def test_activity_filters_by_user_and_refuses_a_forged_cursor(org_world, client_for, well):
    client = client_for(org_world.users["VIEWER"])
    url = f"/orgs/{org_world.org.org_id}/activity/"
    page = client.get(url, {"user": org_world.users["OWNER"].user_id}).content.decode()
    assert "Olga Owner created organization Caspian Drilling" in page
    assert "Erin Editor created well" not in page
    forged = client.get(url, {"cursor": "forged"})
    assert forged.status_code == 200 and "not valid" in forged.content.decode()


def test_activity_older_loads_the_next_entries_as_a_fragment(user, client_for):
    from datetime import datetime, timedelta

    from orgs.services import org_create
    from welltrack.actor import Actor
    from welltrack.audit import audit_record
    from welltrack.dynamodb import transact_write

    org = org_create(actor=Actor(user.user_id), name="Busy Org")
    start = datetime.now(UTC) + timedelta(minutes=1)
    for n in range(30):
        with transact_write() as tx:
            audit_record(
                tx,
                actor=Actor(user.user_id),
                org_id=org.org_id,
                entity_type="WELL",
                entity_id=f"w{n}",
                entity_name=f"W-{n:02d}",
                action="CREATE",
                changes={},
                timestamp=start + timedelta(seconds=n),
            )
    client = client_for(user)
    page = client.get(f"/orgs/{org.org_id}/activity/").content.decode()
    assert page.count('data-testid="activity-row"') == 25 and "created well W-29" in page
    older = re.search(r'href="(\?type=&amp;user=&amp;cursor=[^"]+)"', page).group(1).replace("&amp;", "&")
    fragment = client.get(f"/orgs/{org.org_id}/activity/{older}", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and body.count('data-testid="activity-row"') == 6
    assert "created well W-04" in body and "created organization Busy Org" in body and "activity-more" not in body
    assert "HX-Request" in fragment["Vary"]
    full = client.get(f"/orgs/{org.org_id}/activity/{older}").content.decode()
    assert "<html" in full and 'data-testid="activity-newest"' in full


def _cut_short(org_world):
    """The state an outage leaves right after the organization became DELETED."""
    from orgs.models import Organization

    Organization.get(org_world.org.org_id).update(
        actions=[Organization.status.set("DELETED")], add_version_condition=False
    )


def test_an_interrupted_deletion_is_offered_to_its_owner_and_finished_from_the_page(org_world, client_for):
    _cut_short(org_world)
    owner, admin = client_for(org_world.users["OWNER"]), client_for(org_world.users["ADMIN"])
    listing = owner.get("/orgs/").content.decode()
    assert "Deleting <strong>Caspian Drilling</strong> was interrupted" in listing
    url = f"/orgs/{org_world.org.org_id}/delete/"
    assert "Finish deleting" in owner.get(url).content.decode()
    assert "interrupted" not in admin.get("/orgs/").content.decode()  # only owners are asked
    assert admin.get(url).status_code == 404 and admin.post(url).status_code == 404
    assert owner.get(f"/orgs/{org_world.org.org_id}/members/").status_code == 404  # nothing else of it opens
    assert owner.post(url)["Location"] == "/orgs/"
    for user in org_world.users.values():
        assert Membership.get(membership_id(org_world.org.org_id, user.user_id)).status == "REMOVED"
    assert "interrupted" not in owner.get("/orgs/").content.decode()
    assert owner.get(url).status_code == 404


def test_the_members_page_comes_a_page_at_a_time(org_world, client_for, make_user, monkeypatch):
    from orgs import selectors
    from orgs.testing import add_member

    monkeypatch.setattr(selectors, "MEMBERS_PAGE_SIZE", 3)
    for n in range(4):
        add_member(org_world.org, make_user(name=f"Paged Member {n}"), "VIEWER")
    admin = client_for(org_world.users["ADMIN"])
    url = f"/orgs/{org_world.org.org_id}/members/"
    names, page, pages = [], admin.get(url).content.decode(), 0
    while True:
        pages += 1
        assert page.count('data-testid="member-row"') <= 3
        names += re.findall(r'<span data-testid="member-name">([^<]+)', page)
        more = re.search(r'href="\?cursor=([^"]+)" data-testid="members-next"', page)
        if not more:
            break
        page = admin.get(f"{url}?cursor={more.group(1)}").content.decode()
        assert 'data-testid="members-first"' in page
    assert pages == 3
    assert sorted(n.strip() for n in names) == sorted(
        ["Olga Owner", "Adam Admin", "Erin Editor", "Victor Viewer"] + [f"Paged Member {n}" for n in range(4)]
    )


def test_a_forged_members_cursor_shows_the_first_page_and_says_so(org_world, client_for):
    page = (
        client_for(org_world.users["VIEWER"])
        .get(f"/orgs/{org_world.org.org_id}/members/?cursor=forged")
        .content.decode()
    )
    assert "not valid" in page and page.count('data-testid="member-row"') == 4


def test_each_member_links_to_their_activity(org_world, client_for):
    page = client_for(org_world.users["VIEWER"]).get(f"/orgs/{org_world.org.org_id}/members/").content.decode()
    editor = org_world.users["EDITOR"].user_id
    assert f'/orgs/{org_world.org.org_id}/activity/?user={editor}"' in page
    activity = (
        client_for(org_world.users["VIEWER"])
        .get(f"/orgs/{org_world.org.org_id}/activity/?user={editor}")
        .content.decode()
    )
    assert f'<option value="{editor}" selected>Erin Editor</option>' in activity


def test_activity_of_someone_who_never_was_a_member_names_no_one(org_world, client_for):
    outsider = org_world.outsider.user_id
    page = (
        client_for(org_world.users["VIEWER"])
        .get(f"/orgs/{org_world.org.org_id}/activity/", {"user": outsider})
        .content.decode()
    )
    assert "Oscar Outsider" not in page and 'data-testid="activity-row"' not in page


def test_activity_of_a_removed_member_still_names_them_with_their_past_entries(org_world, client_for, well):
    editor = org_world.users["EDITOR"].user_id
    admin = client_for(org_world.users["ADMIN"])
    assert admin.post(f"/orgs/{org_world.org.org_id}/members/{editor}/remove/").status_code == 302
    page = admin.get(f"/orgs/{org_world.org.org_id}/activity/", {"user": editor}).content.decode()
    assert f'<option value="{editor}" selected>Erin Editor</option>' in page
    assert "Erin Editor created well" in page


def _new_orgs(user, count: int) -> list:
    return [services.org_create(actor=Actor(user.user_id, "127.0.0.5"), name=f"Field {n}") for n in range(count)]


def _invite_many(user, org, count: int) -> None:
    for n in range(count):
        services.invitation_create(
            actor=Actor(user.user_id, "127.0.0.5"),
            actor_role="OWNER",
            org=org,
            email=f"many-{n}-{uuid.uuid4().hex[:6]}@example.com",
            role="VIEWER",
            inviter_name=user.name,
        )


def test_creating_more_organizations_in_a_day_than_allowed_is_refused_with_429_on_the_form(user, client_for):
    client = client_for(user)
    limit = settings.WELLTRACK_ORGS_PER_USER_PER_DAY
    for n in range(limit):
        assert client.post("/orgs/new/", {"name": f"Spam Field {n}", "description": ""}).status_code == 302
    response = client.post("/orgs/new/", {"name": "One Field Too Many", "description": ""})
    page = response.content.decode()
    assert response.status_code == 429
    assert "You have created many organizations in the last day. Please try again in" in page
    assert 'value="One Field Too Many"' in page
    assert 23 * 3600 < int(response["Retry-After"]) <= 24 * 3600 + 24 * 3600 // 15
    assert len(selectors.user_orgs(user_id=user.user_id)) == limit


def test_invitations_past_the_inviters_hourly_cap_across_organizations_are_refused_with_429_on_the_form(
    user, client_for
):
    # The per-organization cap (30 an hour) is not reached in either organization: the inviter's own is.
    limit = settings.WELLTRACK_INVITES_PER_USER_PER_HOUR
    first, second = _new_orgs(user, 2)
    _invite_many(user, first, limit // 2)
    _invite_many(user, second, limit - limit // 2)
    mail.outbox.clear()
    email = f"one-too-many-{uuid.uuid4().hex[:6]}@example.com"
    response = client_for(user).post(f"/orgs/{second.org_id}/members/invite/", {"email": email, "role": "VIEWER"})
    page = response.content.decode()
    assert response.status_code == 429
    assert "You have sent many invitations in the last hour. Please try again in" in page
    assert f'value="{email}"' in page
    assert 3000 < int(response["Retry-After"]) <= 3600 + 3600 // 15
    assert mail.outbox == []
    assert email not in [i.email for i in selectors.invitations_pending(org_id=second.org_id)]


def test_a_resend_past_the_inviters_hourly_cap_is_refused_with_429_on_the_members_page(user, client_for, settings):
    settings.WELLTRACK_INVITES_PER_USER_PER_HOUR = 1
    (org,) = _new_orgs(user, 1)
    _invite_many(user, org, 1)
    (invitation,) = selectors.invitations_pending(org_id=org.org_id)
    mail.outbox.clear()
    response = client_for(user).post(f"/orgs/{org.org_id}/invitations/{invitation.invitation_id}/resend/")
    assert response.status_code == 429
    assert "You have sent many invitations in the last hour. Please try again in" in response.content.decode()
    assert invitation.email in response.content.decode()  # the members page, with the pending invitation
    assert int(response["Retry-After"]) > 3000
    assert mail.outbox == []


def _invitation_links(user, org, count: int) -> list[str]:
    mail.outbox.clear()
    _invite_many(user, org, count)
    return [re.search(r"(/invitations/[^/\s]+/)", message.body).group(1) for message in mail.outbox]


def _plain_sign_up(address: str):
    return Client(REMOTE_ADDR=address).post(
        "/accounts/register/",
        {
            "name": "Plain Signup",
            "email": f"plain-{uuid.uuid4().hex[:8]}@example.com",
            "password": PASSWORD,
            "time_zone": "UTC",
        },
    )


def test_forty_invited_sign_ups_from_one_office_address_all_succeed_while_plain_ones_stay_limited(make_user):
    office = f"10.70.{random.randint(1, 254)}.{random.randint(1, 254)}"
    for _ in range(account_services.REGISTER_LIMIT_PER_HOUR):
        assert _plain_sign_up(office).status_code == 302
    inviter = make_user(name="Ingrid Inviter")
    links = [link for org in _new_orgs(inviter, 2) for link in _invitation_links(inviter, org, 20)]
    statuses = [
        Client(REMOTE_ADDR=office).post(link, {"name": "New Engineer", "password": PASSWORD}).status_code
        for link in links
    ]
    assert statuses == [302] * 40
    assert _plain_sign_up(office).status_code == 429


def test_sign_up_tries_on_one_invitation_link_are_limited(make_user):
    email = f"known-{uuid.uuid4().hex[:8]}@example.com"
    make_user(email=email)  # every try is refused as "Sign in instead", after a bcrypt run
    inviter = make_user(name="Ingrid Inviter")
    (org,) = _new_orgs(inviter, 1)
    services.invitation_create(
        actor=Actor(inviter.user_id, "127.0.0.5"),
        actor_role="OWNER",
        org=org,
        email=email,
        role="VIEWER",
        inviter_name=inviter.name,
    )
    link = re.search(r"(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)
    tries = [
        Client(REMOTE_ADDR=f"10.71.{n}.{random.randint(1, 254)}").post(link, {"name": "Someone", "password": PASSWORD})
        for n in range(services.INVITED_SIGN_UPS_PER_HOUR + 1)
    ]
    assert [r.status_code for r in tries] == [422] * services.INVITED_SIGN_UPS_PER_HOUR + [429]
    assert "Too many sign-up attempts with this invitation. Please try again in" in tries[-1].content.decode()
    assert int(tries[-1]["Retry-After"]) > 3000
