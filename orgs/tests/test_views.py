import re
import uuid

from django.core import mail
from django.test import Client

from conftest import PASSWORD
from orgs.models import Membership
from orgs.permissions import membership_id
from welltrack.testing import sign_in


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
    assert admin.post(f"/orgs/{org_world.org.org_id}/members/{org_world.users['VIEWER'].user_id}/remove/").status_code == 302
    assert viewer_client.get(f"/orgs/{org_world.org.org_id}/").status_code == 404


def test_demoted_editor_cannot_edit_on_the_next_request(org_world, client_for, well):
    editor = client_for(org_world.users["EDITOR"])
    assert editor.get(f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/edit/").status_code == 200
    client_for(org_world.users["OWNER"]).post(
        f"/orgs/{org_world.org.org_id}/members/{org_world.users['EDITOR'].user_id}/role/", {"role": "VIEWER"})
    assert editor.get(f"/orgs/{org_world.org.org_id}/wells/{well.well_id}/edit/").status_code == 403


def test_activity_page_reads_in_words(org_world, client_for, well):
    page = client_for(org_world.users["VIEWER"]).get(f"/orgs/{org_world.org.org_id}/activity/").content.decode()
    assert "Erin Editor created well JS-A-12" in page
    assert "127.0.0.1" not in page  # IP addresses are for admins
    admin_page = client_for(org_world.users["ADMIN"]).get(f"/orgs/{org_world.org.org_id}/activity/?type=WELL").content.decode()
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
    client_for(org_world.users["ADMIN"]).post(f"/orgs/{org_world.org.org_id}/members/invite/",
                                              {"email": email, "role": "VIEWER", "org_id": org_world.other_org.org_id})
    from orgs.selectors import invitations_pending

    assert email in [i.email for i in invitations_pending(org_id=org_world.org.org_id)]
    assert email not in [i.email for i in invitations_pending(org_id=org_world.other_org.org_id)]
    assert not Membership.count(membership_id(org_world.other_org.org_id, org_world.users["ADMIN"].user_id))
