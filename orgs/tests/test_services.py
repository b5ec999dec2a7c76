import re
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from django.core import mail

from orgs import selectors, services
from orgs.models import AuditLog, Invitation, Membership, Organization
from orgs.permissions import membership_id
from orgs.testing import add_member
from welltrack.actor import Actor
from welltrack.errors import Conflict, Forbidden, Gone, NotFound, ValidationFailed


def actor(user):
    return Actor(user.user_id, "127.0.0.5")


def membership(org, user):
    return Membership.get(membership_id(org.org_id, user.user_id), consistent_read=True)


def org_of(world):
    return Organization.get(world.org.org_id, consistent_read=True)


def test_creating_an_org_makes_the_creator_owner_atomically(user):
    org = services.org_create(actor=actor(user), name="  Kashagan   Ops ", description="Offshore")
    assert org.name == "Kashagan Ops"
    assert membership(org, user).role == "OWNER"
    assert [e.action for e in AuditLog.entity_history_index.query(org.org_id)] == ["CREATE"]


def test_empty_name_is_refused_and_nothing_is_written(user):
    with pytest.raises(ValidationFailed) as caught:
        services.org_create(actor=actor(user), name="   ")
    assert "name" in caught.value.errors
    assert selectors.user_orgs(user_id=user.user_id) == []


def test_admin_cannot_grant_or_touch_owner(org_world):
    admin = org_world.users["ADMIN"]
    with pytest.raises(Forbidden):
        services.member_change_role(actor=actor(admin), actor_membership=membership(org_world.org, admin), org=org_of(org_world),
                                    target=membership(org_world.org, org_world.users["EDITOR"]), role="OWNER")
    with pytest.raises(Forbidden):
        services.member_remove(actor=actor(admin), actor_membership=membership(org_world.org, admin), org=org_of(org_world),
                               target=membership(org_world.org, org_world.users["OWNER"]))


def test_the_last_owner_can_be_neither_demoted_nor_removed(org_world):
    owner = org_world.users["OWNER"]
    mine = membership(org_world.org, owner)
    with pytest.raises(Conflict) as caught:
        services.member_change_role(actor=actor(owner), actor_membership=mine, org=org_of(org_world), target=mine, role="ADMIN")
    assert "at least one owner" in caught.value.message
    with pytest.raises(Conflict):
        services.member_remove(actor=actor(owner), actor_membership=None, org=org_of(org_world),
                               target=membership(org_world.org, owner), leaving=True)
    assert membership(org_world.org, owner).role == "OWNER"


def test_two_racing_demotions_of_two_owners_leave_exactly_one_owner(org_world, make_user):
    second = make_user(name="Second Owner")
    add_member(org_world.org, second, "OWNER")
    owners = [org_world.users["OWNER"], second]
    outcomes = []
    barrier = threading.Barrier(2)

    def demote(me, other):
        barrier.wait()
        try:
            services.member_change_role(actor=actor(me), actor_membership=membership(org_world.org, me), org=org_of(org_world),
                                        target=membership(org_world.org, other), role="ADMIN")
            outcomes.append("demoted")
        except Conflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=demote, args=(owners[0], owners[1])), threading.Thread(target=demote, args=(owners[1], owners[0]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    roles = [membership(org_world.org, u).role for u in owners]
    assert sorted(outcomes) == ["demoted", "refused"]
    assert roles.count("OWNER") == 1
    assert org_of(org_world).owner_count == 1


def test_transfer_of_ownership_swaps_roles_atomically(org_world):
    owner, editor = org_world.users["OWNER"], org_world.users["EDITOR"]
    services.ownership_transfer(actor=actor(owner), actor_membership=membership(org_world.org, owner), org=org_of(org_world),
                                target=membership(org_world.org, editor))
    assert (membership(org_world.org, editor).role, membership(org_world.org, owner).role) == ("OWNER", "ADMIN")
    assert org_of(org_world).owner_id == editor.user_id
    assert org_of(org_world).owner_count == 1


def _invite(world, email, role="VIEWER"):
    owner = world.users["OWNER"]
    return services.invitation_create(actor=actor(owner), actor_role="OWNER", org=org_of(world), email=email, role=role,
                                      inviter_name=owner.name)


def _token_from_mail() -> str:
    match = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_invitation_life_cycle_by_email(org_world, make_user):
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    mail.outbox.clear()
    invitation = _invite(org_world, email, "EDITOR")
    assert mail.outbox[-1].to == [email]
    assert "Caspian Drilling" in mail.outbox[-1].subject
    token = _token_from_mail()
    assert len(token) >= 43  # 256 bits, url-safe base64
    stored = Invitation.get(invitation.invitation_id)
    assert token not in (stored.token_hash, stored.invitation_id)

    with pytest.raises(ValidationFailed) as caught:
        _invite(org_world, email)
    assert "pending invitation" in caught.value.errors["email"]

    newcomer = make_user(name="New Comer", email=email)
    joined = services.invitation_accept(actor=actor(newcomer), user=newcomer, token=token)
    assert joined.role == "EDITOR" and joined.status == "ACTIVE"
    with pytest.raises(Conflict):
        services.invitation_accept(actor=actor(newcomer), user=newcomer, token=token)


def test_invitation_for_someone_else_is_forbidden(org_world, make_user):
    mail.outbox.clear()
    _invite(org_world, f"a-{uuid.uuid4().hex[:8]}@example.com")
    intruder = make_user(name="Intruder")
    with pytest.raises(Forbidden):
        services.invitation_accept(actor=actor(intruder), user=intruder, token=_token_from_mail())


def test_expired_invitation_is_gone(org_world, make_user):
    email = f"late-{uuid.uuid4().hex[:8]}@example.com"
    mail.outbox.clear()
    _invite(org_world, email)
    token = _token_from_mail()
    later = datetime.now(timezone.utc) + timedelta(days=7, minutes=1)
    with pytest.raises(Gone):
        services.invitation_for_token(token=token, now=later)
    user = make_user(email=email)
    with pytest.raises(Gone):
        services.invitation_accept(actor=actor(user), user=user, token=token, now=later)


def test_resend_kills_the_old_link(org_world):
    email = f"re-{uuid.uuid4().hex[:8]}@example.com"
    mail.outbox.clear()
    invitation = _invite(org_world, email)
    old = _token_from_mail()
    services.invitation_resend(actor=actor(org_world.users["OWNER"]), org=org_of(org_world), invitation=invitation,
                               inviter_name="Olga Owner")
    new = _token_from_mail()
    assert new != old
    with pytest.raises(NotFound):
        services.invitation_for_token(token=old)
    assert services.invitation_for_token(token=new).email == email


def test_double_accept_race_creates_one_membership(org_world, make_user):
    email = f"race-{uuid.uuid4().hex[:8]}@example.com"
    mail.outbox.clear()
    _invite(org_world, email)
    token = _token_from_mail()
    user = make_user(email=email)
    outcomes = []
    barrier = threading.Barrier(4)

    def accept():
        barrier.wait()
        try:
            services.invitation_accept(actor=actor(user), user=user, token=token)
            outcomes.append("ok")
        except (Conflict, NotFound):
            outcomes.append("refused")

    threads = [threading.Thread(target=accept) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    creations = [e for e in AuditLog.entity_history_index.query(membership_id(org_world.org.org_id, user.user_id))
                 if e.action == "CREATE"]
    assert len(creations) == 1


def test_inviting_an_existing_member_says_so(org_world):
    with pytest.raises(ValidationFailed) as caught:
        _invite(org_world, org_world.users["EDITOR"].email)
    assert "already a member" in caught.value.errors["email"]


def test_a_failed_transaction_writes_neither_change_nor_audit(org_world):
    from welltrack.faults import Canceller, injected

    org = org_of(org_world)
    before = len(list(AuditLog.entity_history_index.query(org.org_id)))
    with injected(Canceller("ConditionalCheckFailed")), pytest.raises(Conflict):
        services.org_update(actor=actor(org_world.users["OWNER"]), org=org, name="Renamed", description="", version=org.version)
    assert org_of(org_world).name == "Caspian Drilling"
    assert len(list(AuditLog.entity_history_index.query(org.org_id))) == before


def test_deleting_an_org_makes_it_unreachable_for_everyone(org_world):
    from django.test import RequestFactory

    from orgs.permissions import membership_for

    owner = org_world.users["OWNER"]
    with pytest.raises(ValidationFailed):
        services.org_delete(actor=actor(owner), org=org_of(org_world), confirm_name="wrong")
    services.org_delete(actor=actor(owner), org=org_of(org_world), confirm_name="Caspian Drilling")
    request = RequestFactory().get("/")
    request.user = owner
    assert membership_for(request, org_world.org.org_id) is None
    assert selectors.user_orgs(user_id=owner.user_id) == []
