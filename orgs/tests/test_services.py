import contextlib
import re
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from orgs import selectors, services
from orgs.models import Invitation, Membership, Organization
from orgs.permissions import membership_id
from orgs.testing import add_member
from welltrack import ratelimit
from welltrack.actor import Actor
from welltrack.audit import ACTIVITY_MAX_REQUESTS, AuditLog, org_activity
from welltrack.errors import Conflict, Forbidden, Gone, NotFound, RateLimited, ValidationFailed


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
        services.member_change_role(
            actor=actor(admin),
            actor_membership=membership(org_world.org, admin),
            org=org_of(org_world),
            target=membership(org_world.org, org_world.users["EDITOR"]),
            role="OWNER",
        )
    with pytest.raises(Forbidden):
        services.member_remove(
            actor=actor(admin),
            actor_membership=membership(org_world.org, admin),
            org=org_of(org_world),
            target=membership(org_world.org, org_world.users["OWNER"]),
        )


def test_the_last_owner_can_be_neither_demoted_nor_removed(org_world):
    owner = org_world.users["OWNER"]
    mine = membership(org_world.org, owner)
    with pytest.raises(Conflict) as caught:
        services.member_change_role(
            actor=actor(owner), actor_membership=mine, org=org_of(org_world), target=mine, role="ADMIN"
        )
    assert "at least one owner" in caught.value.message
    with pytest.raises(Conflict):
        services.member_remove(
            actor=actor(owner),
            actor_membership=None,
            org=org_of(org_world),
            target=membership(org_world.org, owner),
            leaving=True,
        )
    assert membership(org_world.org, owner).role == "OWNER"


def _race(*calls) -> list[str]:
    """Run the calls at the same moment; each outcome is "done" or the Conflict's message."""
    outcomes: list[str] = []
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            call()
            outcomes.append("done")
        except Conflict as exc:
            outcomes.append(exc.message)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_racing_demotions_of_two_owners_never_leave_the_org_without_an_owner(org_world, make_user):
    from welltrack.errors import STALE_MESSAGE

    second = make_user(name="Second Owner")
    add_member(org_world.org, second, "OWNER")
    first = org_world.users["OWNER"]
    # Each reads its own copies before either writes, as two requests would: the race is
    # between the transactions.
    a = [membership(org_world.org, first), membership(org_world.org, second), org_of(org_world)]
    b = [membership(org_world.org, second), membership(org_world.org, first), org_of(org_world)]
    outcomes = _race(
        lambda: services.member_change_role(
            actor=actor(first), actor_membership=a[0], target=a[1], org=a[2], role="ADMIN"
        ),
        lambda: services.member_change_role(
            actor=actor(second), actor_membership=b[0], target=b[1], org=b[2], role="ADMIN"
        ),
    )
    roles = [membership(org_world.org, u).role for u in (first, second)]
    # At most one wins; DynamoDB refuses the other by ownerCount > 1 ("needs at least one
    # owner"), or cancels both as conflicting ("changed by someone else"; nobody lost a role).
    assert len(outcomes) == 2 and outcomes.count("done") <= 1
    assert set(outcomes) - {"done"} <= {services.LAST_OWNER_MESSAGE, STALE_MESSAGE}
    assert roles.count("OWNER") == 2 - outcomes.count("done") >= 1
    assert org_of(org_world).owner_count == roles.count("OWNER")


def test_a_demotion_cancelled_by_a_concurrent_transaction_is_not_called_the_last_owner(org_world, make_user):
    from welltrack.errors import STALE_MESSAGE
    from welltrack.faults import Canceller, injected

    second = make_user(name="Second Owner")
    add_member(org_world.org, second, "OWNER")
    owner = org_world.users["OWNER"]
    with injected(Canceller("TransactionConflict")), pytest.raises(Conflict) as caught:
        services.member_change_role(
            actor=actor(owner),
            actor_membership=membership(org_world.org, owner),
            org=org_of(org_world),
            target=membership(org_world.org, second),
            role="ADMIN",
        )
    assert caught.value.message == STALE_MESSAGE  # two owners remain: "try again", not "needs an owner"
    assert membership(org_world.org, second).role == "OWNER" and org_of(org_world).owner_count == 2


def test_transfer_of_ownership_swaps_roles_atomically(org_world):
    owner, editor = org_world.users["OWNER"], org_world.users["EDITOR"]
    services.ownership_transfer(
        actor=actor(owner),
        actor_membership=membership(org_world.org, owner),
        org=org_of(org_world),
        target=membership(org_world.org, editor),
    )
    assert (membership(org_world.org, editor).role, membership(org_world.org, owner).role) == ("OWNER", "ADMIN")
    assert org_of(org_world).owner_id == editor.user_id
    assert org_of(org_world).owner_count == 1


def _invite(world, email, role="VIEWER"):
    owner = world.users["OWNER"]
    return services.invitation_create(
        actor=actor(owner), actor_role="OWNER", org=org_of(world), email=email, role=role, inviter_name=owner.name
    )


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
    later = datetime.now(UTC) + timedelta(days=7, minutes=1)
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
    services.invitation_resend(
        actor=actor(org_world.users["OWNER"]), org=org_of(org_world), invitation=invitation, inviter_name="Olga Owner"
    )
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
    creations = [
        e
        for e in AuditLog.entity_history_index.query(membership_id(org_world.org.org_id, user.user_id))
        if e.action == "CREATE"
    ]
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
        services.org_update(
            actor=actor(org_world.users["OWNER"]), org=org, name="Renamed", description="", version=org.version
        )
    assert org_of(org_world).name == "Caspian Drilling"
    assert len(list(AuditLog.entity_history_index.query(org.org_id))) == before


def test_deleting_an_org_makes_it_unreachable_for_everyone(org_world):
    from django.test import RequestFactory

    from orgs.reads import RequestReads

    owner = org_world.users["OWNER"]
    with pytest.raises(ValidationFailed):
        services.org_delete(actor=actor(owner), org=org_of(org_world), confirm_name="wrong")
    services.org_delete(actor=actor(owner), org=org_of(org_world), confirm_name="Caspian Drilling")
    request = RequestFactory().get("/")
    request.user = owner
    assert RequestReads(request).membership(org_world.org.org_id) is None
    assert selectors.user_orgs(user_id=owner.user_id) == []


def test_a_revoked_invitation_can_be_replaced_by_a_new_one(org_world):
    email = f"again-{uuid.uuid4().hex[:8]}@example.com"
    mail.outbox.clear()
    first = _invite(org_world, email)
    services.invitation_revoke(actor=actor(org_world.users["OWNER"]), org=org_of(org_world), invitation=first)
    second = _invite(org_world, email, "EDITOR")
    assert second.invitation_id == first.invitation_id
    stored = Invitation.get(first.invitation_id, consistent_read=True)
    assert (stored.status, stored.role) == ("PENDING", "EDITOR")
    assert services.invitation_for_token(token=_token_from_mail()).role == "EDITOR"


def test_an_expired_invitation_can_be_replaced_by_a_new_one(org_world):
    email = f"stale-{uuid.uuid4().hex[:8]}@example.com"
    owner = org_world.users["OWNER"]
    long_ago = datetime.now(UTC) - timedelta(days=8)
    services.invitation_create(
        actor=actor(owner),
        actor_role="OWNER",
        org=org_of(org_world),
        email=email,
        role="VIEWER",
        inviter_name=owner.name,
        now=long_ago,
    )
    assert _invite(org_world, email).status == "PENDING"


def test_an_expired_invitation_swept_by_ttl_while_being_replaced_is_still_replaced(org_world, monkeypatch):
    from orgs.services import invitations

    email = f"swept-{uuid.uuid4().hex[:8]}@example.com"
    owner = org_world.users["OWNER"]
    services.invitation_create(
        actor=actor(owner),
        actor_role="OWNER",
        org=org_of(org_world),
        email=email,
        role="VIEWER",
        inviter_name=owner.name,
        now=datetime.now(UTC) - timedelta(days=8),
    )
    read = invitations._invitation_or_none
    calls = []

    def read_then_sweep(key):
        # DynamoDB's TTL sweep deletes the expired item just after we read it.
        found = read(key)
        if not calls and found is not None:
            found.delete()
        calls.append(key)
        return found

    monkeypatch.setattr(invitations, "_invitation_or_none", read_then_sweep)
    assert _invite(org_world, email).status == "PENDING"
    assert len(calls) == 2
    stored = Invitation.get(invitations.invitation_id(org_world.org.org_id, email), consistent_read=True)
    assert (stored.status, stored.version) == ("PENDING", 1)


def test_a_removed_member_rejoins_through_a_new_invitation(org_world):
    owner, viewer = org_world.users["OWNER"], org_world.users["VIEWER"]
    services.member_remove(
        actor=actor(owner),
        actor_membership=membership(org_world.org, owner),
        org=org_of(org_world),
        target=membership(org_world.org, viewer),
    )
    assert membership(org_world.org, viewer).status == "REMOVED"
    mail.outbox.clear()
    _invite(org_world, viewer.email, "EDITOR")
    joined = services.invitation_accept(actor=actor(viewer), user=viewer, token=_token_from_mail())
    stored = membership(org_world.org, viewer)
    assert (stored.status, stored.role, stored.version) == ("ACTIVE", "EDITOR", joined.version)


def test_an_active_member_cannot_accept_a_second_membership(org_world, make_user):
    email = f"twice-{uuid.uuid4().hex[:8]}@example.com"
    user = make_user(email=email)
    add_member(org_world.org, user, "VIEWER")
    # The address was no member when invited (a race with another admin's invitation, say).
    owner = org_world.users["OWNER"]
    Invitation(
        services.invitation_id(org_world.org.org_id, email),
        org_id=org_world.org.org_id,
        email=email,
        role="ADMIN",
        token_hash=services.invitations.token_hash("tok-" + email),
        status="PENDING",
        invited_by=owner.user_id,
        created_at=datetime.now(UTC),
        expires_at=datetime.now(UTC) + timedelta(days=1),
    ).save()
    with pytest.raises(Conflict):
        services.invitation_accept(actor=actor(user), user=user, token="tok-" + email)
    assert membership(org_world.org, user).role == "VIEWER"


def test_inviting_as_owner_is_refused_naming_the_role(org_world):
    with pytest.raises(ValidationFailed) as caught:
        _invite(org_world, f"o-{uuid.uuid4().hex[:8]}@example.com", "OWNER")
    assert "role" in caught.value.errors


def test_invitations_are_rate_limited_per_org_and_inviter(org_world, monkeypatch):
    from welltrack.errors import RateLimited

    monkeypatch.setattr(services.invitations, "INVITES_PER_HOUR", 2)
    admin = org_world.users["ADMIN"]
    org = org_of(org_world)

    def invite():
        services.invitation_create(
            actor=actor(admin),
            actor_role="ADMIN",
            org=org,
            role="VIEWER",
            inviter_name=admin.name,
            email=f"rl-{uuid.uuid4().hex[:8]}@example.com",
        )

    invite()
    invite()
    with pytest.raises(RateLimited):
        invite()


def test_an_inviters_invitations_are_capped_across_all_their_organizations(user, settings):
    settings.WELLTRACK_INVITES_PER_USER_PER_HOUR = 3
    orgs = [services.org_create(actor=actor(user), name=f"Field {n}") for n in range(3)]

    def invite(org):
        return services.invitation_create(
            actor=actor(user),
            actor_role="OWNER",
            org=org,
            role="VIEWER",
            inviter_name=user.name,
            email=f"cap-{uuid.uuid4().hex[:8]}@example.com",
        )

    invitation = invite(orgs[0])
    invite(orgs[1])
    services.invitation_resend(actor=actor(user), org=orgs[0], invitation=invitation, inviter_name=user.name)
    with pytest.raises(RateLimited) as caught:
        invite(orgs[2])  # the fourth email of the hour, the first of this organization
    assert "You have sent many invitations in the last hour" in caught.value.message


def test_an_invitation_refused_by_the_inviters_cap_is_not_counted_for_the_organization(user, settings):
    settings.WELLTRACK_INVITES_PER_USER_PER_HOUR = 1
    org = services.org_create(actor=actor(user), name="Field")
    for _ in range(2):
        with contextlib.suppress(RateLimited):
            services.invitation_create(
                actor=actor(user),
                actor_role="OWNER",
                org=org,
                role="VIEWER",
                inviter_name=user.name,
                email=f"cap-{uuid.uuid4().hex[:8]}@example.com",
            )
    assert ratelimit.attempts("invite", f"{org.org_id}:{user.user_id}", window_seconds=3600) == 1


def test_the_organizations_a_user_creates_in_a_day_are_capped(user, settings):
    settings.WELLTRACK_ORGS_PER_USER_PER_DAY = 2
    services.org_create(actor=actor(user), name="First")
    services.org_create(actor=actor(user), name="Second")
    with pytest.raises(RateLimited) as caught:
        services.org_create(actor=actor(user), name="Third")
    assert "You have created many organizations in the last day" in caught.value.message
    assert sorted(org.name for org, _ in selectors.user_orgs(user_id=user.user_id)) == ["First", "Second"]


def test_leaving_an_org_removes_only_your_membership(org_world):
    editor = org_world.users["EDITOR"]
    services.member_remove(
        actor=actor(editor),
        actor_membership=None,
        org=org_of(org_world),
        target=membership(org_world.org, editor),
        leaving=True,
    )
    assert membership(org_world.org, editor).status == "REMOVED"
    assert selectors.user_orgs(user_id=editor.user_id) == []


def test_two_owners_leaving_at_once_never_leave_the_org_without_an_owner(org_world, make_user):
    second = make_user(name="Second Owner")
    add_member(org_world.org, second, "OWNER")
    owners = [org_world.users["OWNER"], second]
    reads = [(membership(org_world.org, u), org_of(org_world)) for u in owners]
    outcomes = _race(
        *[
            (
                lambda u=u, m=m, o=o: services.member_remove(
                    actor=actor(u), actor_membership=None, org=o, target=m, leaving=True
                )
            )
            for u, (m, o) in zip(owners, reads, strict=True)
        ]
    )
    statuses = [membership(org_world.org, u).status for u in owners]
    assert len(outcomes) == 2 and outcomes.count("done") <= 1
    assert statuses.count("ACTIVE") == 2 - outcomes.count("done") >= 1
    assert org_of(org_world).owner_count == statuses.count("ACTIVE")


def _latest_audit(entity_id):
    return next(iter(AuditLog.entity_history_index.query(entity_id, scan_index_forward=False, limit=1)))


def test_every_org_mutation_writes_its_audit_entry(org_world, make_user):
    owner, editor = org_world.users["OWNER"], org_world.users["EDITOR"]
    org = org_of(org_world)
    services.org_update(
        actor=actor(owner), org=org, name="Caspian Drilling", description="New words", version=org.version
    )
    entry = _latest_audit(org.org_id)
    assert (entry.action, entry.user_id, entry.ip_address) == ("UPDATE", owner.user_id, "127.0.0.5")
    assert entry.changes.as_dict()["description"] == {"old": "Test org", "new": "New words"}

    target = membership(org_world.org, editor)
    services.member_change_role(
        actor=actor(owner),
        actor_membership=membership(org_world.org, owner),
        org=org_of(org_world),
        target=target,
        role="VIEWER",
        target_name="Erin Editor",
    )
    entry = _latest_audit(target.membership_id)
    assert (entry.action, entry.changes.as_dict()) == ("UPDATE", {"role": {"old": "EDITOR", "new": "VIEWER"}})

    mail.outbox.clear()
    invitation = _invite(org_world, f"audit-{uuid.uuid4().hex[:8]}@example.com")
    assert _latest_audit(invitation.invitation_id).action == "CREATE"
    services.invitation_resend(
        actor=actor(owner), org=org_of(org_world), invitation=invitation, inviter_name=owner.name
    )
    assert _latest_audit(invitation.invitation_id).action == "UPDATE"
    services.invitation_revoke(
        actor=actor(owner), org=org_of(org_world), invitation=Invitation.get(invitation.invitation_id)
    )
    assert _latest_audit(invitation.invitation_id).action == "DELETE"

    services.member_remove(
        actor=actor(owner),
        actor_membership=membership(org_world.org, owner),
        org=org_of(org_world),
        target=membership(org_world.org, editor),
    )
    assert _latest_audit(target.membership_id).action == "DELETE"

    services.org_delete(actor=actor(owner), org=org_of(org_world), confirm_name="Caspian Drilling")
    assert _latest_audit(org.org_id).action == "DELETE"


def test_a_refused_demotion_of_the_last_owner_writes_no_audit(org_world):
    owner = org_world.users["OWNER"]
    mine = membership(org_world.org, owner)
    before = len(list(AuditLog.entity_history_index.query(mine.membership_id)))
    with pytest.raises(Conflict):
        services.member_change_role(
            actor=actor(owner), actor_membership=mine, org=org_of(org_world), target=mine, role="VIEWER"
        )
    assert len(list(AuditLog.entity_history_index.query(mine.membership_id))) == before
    assert membership(org_world.org, owner).version == mine.version


def test_a_failed_acceptance_writes_neither_membership_nor_audit(org_world, make_user):
    from welltrack.faults import Canceller, injected

    email = f"fail-{uuid.uuid4().hex[:8]}@example.com"
    mail.outbox.clear()
    _invite(org_world, email)
    token = _token_from_mail()
    user = make_user(email=email)
    key = membership_id(org_world.org.org_id, user.user_id)
    with injected(Canceller("ConditionalCheckFailed")), pytest.raises(Conflict):
        services.invitation_accept(actor=actor(user), user=user, token=token)
    assert not Membership.count(key)
    assert list(AuditLog.entity_history_index.query(key)) == []
    assert services.invitation_accept(actor=actor(user), user=user, token=token).status == "ACTIVE"


def _audit_entries(org_id, entity_type, count, user_id="u-filler"):
    from welltrack.audit import audit_record
    from welltrack.dynamodb import transact_write

    start = datetime.now(UTC) + timedelta(minutes=1)  # after the org's own creation entry
    for n in range(count):
        with transact_write() as tx:
            audit_record(
                tx,
                actor=Actor(user_id, "10.0.0.1"),
                org_id=org_id,
                entity_type=entity_type,
                entity_id=f"e-{n}",
                entity_name=f"{entity_type.lower()}-{n}",
                action="CREATE",
                changes={},
                timestamp=start + timedelta(seconds=n),
            )


def test_activity_pages_newest_first_with_a_signed_cursor(user):
    org = services.org_create(actor=actor(user), name="Paged Org")
    _audit_entries(org.org_id, "WELL", 7)
    first, cursor = org_activity(org_id=org.org_id, limit=3)
    assert [e.entity_name for e in first] == ["well-6", "well-5", "well-4"]
    assert cursor and "well" not in cursor  # signed and compressed, not a raw key
    second, cursor = org_activity(org_id=org.org_id, limit=3, cursor=cursor)
    assert [e.entity_name for e in second] == ["well-3", "well-2", "well-1"]
    third, cursor = org_activity(org_id=org.org_id, limit=3, cursor=cursor)
    assert [e.entity_name for e in third] == ["well-0", "Paged Org"] and cursor is None
    with pytest.raises(ValidationFailed):
        org_activity(org_id=org.org_id, limit=3, cursor=cursor or "tampered")


def test_a_filtered_activity_page_is_filled_at_bounded_cost(user):
    from welltrack.dynamodb import counting_requests

    org = services.org_create(actor=actor(user), name="Filtered Org")
    _audit_entries(org.org_id, "WELL", 4)
    _audit_entries(org.org_id, "STAGE", 2)
    with counting_requests() as counter:
        wells, cursor = org_activity(org_id=org.org_id, entity_type="WELL", limit=3)
    assert [e.entity_name for e in wells] == ["well-3", "well-2", "well-1"] and cursor
    assert counter["requests"] <= ACTIVITY_MAX_REQUESTS
    rest, cursor = org_activity(org_id=org.org_id, entity_type="WELL", limit=3, cursor=cursor)
    assert [e.entity_name for e in rest] == ["well-0"] and cursor is None


def test_activity_by_user_stays_inside_the_org(user):
    mine = services.org_create(actor=actor(user), name="Mine")
    other = services.org_create(actor=actor(user), name="Other")
    entries, _ = org_activity(org_id=mine.org_id, user_id=user.user_id)
    assert {e.org_id for e in entries} == {mine.org_id}
    assert other.org_id not in {e.entity_id for e in entries}


def test_a_cursor_of_another_org_is_refused(user):
    first = services.org_create(actor=actor(user), name="First")
    second = services.org_create(actor=actor(user), name="Second")
    _audit_entries(first.org_id, "WELL", 3)
    _, cursor = org_activity(org_id=first.org_id, limit=1)
    with pytest.raises(ValidationFailed) as caught:
        org_activity(org_id=second.org_id, cursor=cursor)
    assert "cursor" in caught.value.errors


def test_an_email_that_cannot_be_sent_is_a_503_and_resend_recovers(org_world, monkeypatch):
    import smtplib

    from welltrack.errors import DependencyUnavailable

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server gone")

    email = f"nomail-{uuid.uuid4().hex[:8]}@example.com"
    monkeypatch.setattr(services.invitations, "send_mail", broken)
    with pytest.raises(DependencyUnavailable) as caught:
        _invite(org_world, email)
    assert "Resend" in caught.value.message
    monkeypatch.undo()
    invitation = Invitation.get(services.invitation_id(org_world.org.org_id, email))
    mail.outbox.clear()
    services.invitation_resend(
        actor=actor(org_world.users["OWNER"]), org=org_of(org_world), invitation=invitation, inviter_name="Olga Owner"
    )
    assert services.invitation_for_token(token=_token_from_mail()).email == email


def test_owner_bookkeeping_does_not_touch_the_settings_version(org_world):
    owner, admin = org_world.users["OWNER"], org_world.users["ADMIN"]
    opened = org_of(org_world)  # an admin opens the settings form
    services.member_change_role(
        actor=actor(owner),
        actor_membership=membership(org_world.org, owner),
        org=org_of(org_world),
        target=membership(org_world.org, admin),
        role="OWNER",
    )
    assert org_of(org_world).owner_count == 2
    services.ownership_transfer(
        actor=actor(owner),
        actor_membership=membership(org_world.org, owner),
        org=org_of(org_world),
        target=membership(org_world.org, org_world.users["EDITOR"]),
    )
    assert (org_of(org_world).owner_count, org_of(org_world).owner_id) == (2, org_world.users["EDITOR"].user_id)
    services.org_update(
        actor=actor(admin), org=opened, name="Caspian Drilling", description="Still saves", version=opened.version
    )
    assert org_of(org_world).description == "Still saves"
    assert org_of(org_world).owner_count == 2  # the rename did not put back the stale owner count


# --- deleting an organization: one transaction and one audit entry per membership ----------


def _membership_deletions(entity_id) -> list:
    return [e for e in AuditLog.entity_history_index.query(entity_id) if e.action == "DELETE"]


def test_deleting_an_org_releases_each_membership_with_its_own_audit_entry(org_world):
    owner = org_world.users["OWNER"]
    released = services.org_delete(actor=actor(owner), org=org_of(org_world), confirm_name="Caspian Drilling")
    assert released == 4
    for role, user in org_world.users.items():
        mine = membership(org_world.org, user)
        assert mine.status == "REMOVED"
        [entry] = _membership_deletions(mine.membership_id)
        assert (entry.user_id, entry.org_id, entry.ip_address) == (owner.user_id, org_world.org.org_id, "127.0.0.5")
        assert entry.changes.as_dict() == {
            "status": {"old": "ACTIVE", "new": "REMOVED"},
            "role": {"old": role, "new": None},
        }
        assert entry.entity_name == user.name


def test_an_org_deletion_cut_short_is_unreachable_and_finished_by_running_it_again(org_world, make_user):
    from orgs.testing import OutageAfter
    from welltrack.errors import DependencyUnavailable
    from welltrack.faults import injected

    owner = org_world.users["OWNER"]
    for n in range(3):
        add_member(org_world.org, make_user(name=f"Member {n}"), "VIEWER")
    everyone = [membership(org_world.org, u) for u in org_world.users.values()]
    everyone += [
        m
        for m in Membership.org_members_index.query(org_world.org.org_id)
        if m.membership_id not in {e.membership_id for e in everyone}
    ]
    assert len(everyone) == 7
    # The organization's own transaction and two memberships go through, then the outage.
    with injected(OutageAfter(3)), pytest.raises(DependencyUnavailable) as caught:
        services.org_delete(actor=actor(owner), org=org_of(org_world), confirm_name="Caspian Drilling")
    assert "Caspian Drilling is deleted" in caught.value.message  # not "nothing was saved"
    assert org_of(org_world).status == "DELETED"
    statuses = [Membership.get(m.membership_id, consistent_read=True).status for m in everyone]
    assert statuses.count("REMOVED") == 2
    assert membership(org_world.org, owner).status == "ACTIVE"  # the owner's own goes last: they can come back
    assert selectors.user_orgs(user_id=org_world.users["VIEWER"].user_id) == []  # unreachable meanwhile
    assert selectors.user_orgs_with_unfinished(user_id=owner.user_id).unfinished[0].org_id == org_world.org.org_id

    assert services.org_delete(actor=actor(owner), org=org_of(org_world), confirm_name="Caspian Drilling") == 5
    for m in everyone:
        assert Membership.get(m.membership_id, consistent_read=True).status == "REMOVED"
        assert len(_membership_deletions(m.membership_id)) == 1  # one entry each, none twice
    assert len(_membership_deletions(org_world.org.org_id)) == 1  # the organization was deleted once
    assert selectors.user_orgs_with_unfinished(user_id=owner.user_id) == ([], [])
    assert services.org_delete(actor=actor(owner), org=org_of(org_world), confirm_name="Caspian Drilling") == 0


def test_no_invitation_is_accepted_into_an_org_deleted_after_it_was_read(org_world, make_user, monkeypatch):
    email = f"late-join-{uuid.uuid4().hex[:8]}@example.com"
    mail.outbox.clear()
    _invite(org_world, email)
    token = _token_from_mail()
    user = make_user(email=email)
    still_active = org_of(org_world)
    services.org_delete(actor=actor(org_world.users["OWNER"]), org=org_of(org_world), confirm_name="Caspian Drilling")
    monkeypatch.setattr(Organization, "get", lambda *args, **kwargs: still_active)  # as read just before the deletion
    with pytest.raises(Conflict):
        services.invitation_accept(actor=actor(user), user=user, token=token)
    monkeypatch.undo()
    assert not Membership.count(membership_id(org_world.org.org_id, user.user_id))


# --- audit entries of the other membership changes -----------------------------------------


def test_ownership_transfer_audits_both_role_changes(org_world):
    owner, editor = org_world.users["OWNER"], org_world.users["EDITOR"]
    services.ownership_transfer(
        actor=actor(owner),
        actor_membership=membership(org_world.org, owner),
        org=org_of(org_world),
        target=membership(org_world.org, editor),
        target_name="Erin Editor",
        actor_name="Olga Owner",
    )
    for user, old, new in ((editor, "EDITOR", "OWNER"), (owner, "OWNER", "ADMIN")):
        entry = _latest_audit(membership_id(org_world.org.org_id, user.user_id))
        assert (entry.action, entry.user_id, entry.org_id) == ("UPDATE", owner.user_id, org_world.org.org_id)
        assert entry.changes.as_dict() == {"role": {"old": old, "new": new}}


def test_accepting_an_invitation_audits_the_new_membership(org_world, make_user):
    email = f"welcome-{uuid.uuid4().hex[:8]}@example.com"
    mail.outbox.clear()
    _invite(org_world, email, "EDITOR")
    newcomer = make_user(name="New Comer", email=email)
    joined = services.invitation_accept(actor=actor(newcomer), user=newcomer, token=_token_from_mail())
    entry = _latest_audit(joined.membership_id)
    assert (entry.action, entry.entity_type, entry.user_id, entry.org_id, entry.entity_name) == (
        "CREATE",
        "MEMBERSHIP",
        newcomer.user_id,
        org_world.org.org_id,
        "New Comer",
    )
    assert entry.changes.as_dict() == {"role": {"old": None, "new": "EDITOR"}, "status": {"old": None, "new": "ACTIVE"}}


def test_leaving_audits_the_membership_removal_by_the_member_themselves(org_world):
    viewer = org_world.users["VIEWER"]
    services.member_remove(
        actor=actor(viewer),
        actor_membership=None,
        org=org_of(org_world),
        target=membership(org_world.org, viewer),
        target_name="Victor Viewer",
        leaving=True,
    )
    entry = _latest_audit(membership_id(org_world.org.org_id, viewer.user_id))
    assert (entry.action, entry.user_id, entry.org_id, entry.entity_name) == (
        "DELETE",
        viewer.user_id,
        org_world.org.org_id,
        "Victor Viewer",
    )
    assert entry.changes.as_dict() == {
        "status": {"old": "ACTIVE", "new": "REMOVED"},
        "role": {"old": "VIEWER", "new": None},
    }


def test_an_audit_entry_is_never_overwritten(org_world, monkeypatch):
    """audit_record puts with attribute_not_exists(logId): a second entry with the same logId
    is refused with its whole transaction, and the first stays as it was."""
    from types import SimpleNamespace

    from welltrack import audit
    from welltrack.dynamodb import transact_write
    from welltrack.errors import dynamo_errors

    fixed = uuid.uuid4()
    monkeypatch.setattr(audit, "uuid", SimpleNamespace(uuid4=lambda: fixed))
    with transact_write() as tx:
        audit.audit_record(
            tx,
            actor=actor(org_world.users["EDITOR"]),
            org_id=org_world.org.org_id,
            entity_type="WELL",
            entity_id="well-1",
            entity_name="JS-A-12",
            action="CREATE",
            changes={"name": {"old": None, "new": "JS-A-12"}},
        )
    original = AuditLog.get(str(fixed), consistent_read=True)
    with pytest.raises(Conflict), dynamo_errors(), transact_write() as tx:
        audit.audit_record(
            tx,
            actor=actor(org_world.users["OWNER"]),
            org_id=org_world.org.org_id,
            entity_type="WELL",
            entity_id="well-1",
            entity_name="Rewritten",
            action="DELETE",
            changes={},
        )
    stored = AuditLog.get(str(fixed), consistent_read=True)
    assert stored.serialize() == original.serialize()
    assert (stored.action, stored.entity_name, stored.user_id) == (
        "CREATE",
        "JS-A-12",
        org_world.users["EDITOR"].user_id,
    )


# --- the members list, a page at a time -------------------------------------------------------


def test_members_come_a_page_at_a_time_each_once_without_the_removed(org_world, make_user):
    from orgs.models import Membership as M

    joined = [make_user(name=f"Paged {n}") for n in range(7)]
    for user in joined:
        add_member(org_world.org, user, "VIEWER")
    gone = membership(org_world.org, joined[0])
    M.get(gone.membership_id).update(actions=[M.status.set("REMOVED")], add_version_condition=False)
    seen, cursor, pages = [], None, 0
    while True:
        rows, cursor = selectors.org_members(org_id=org_world.org.org_id, cursor=cursor, limit=3)
        assert len(rows) <= 3
        seen += [m.user_id for m, _ in rows]
        pages += 1
        if cursor is None:
            break
    expected = {u.user_id for u in [*org_world.users.values(), *joined[1:]]}
    assert sorted(seen) == sorted(expected)  # each active member once; the removed one not at all
    assert pages >= 4


def test_a_members_cursor_of_another_org_is_refused(org_world):
    _, cursor = selectors.org_members(org_id=org_world.org.org_id, limit=1)
    with pytest.raises(ValidationFailed) as caught:
        selectors.org_members(org_id=org_world.other_org.org_id, cursor=cursor)
    assert "cursor" in caught.value.errors


def test_the_last_owner_rule_holds_when_owners_are_on_different_pages(org_world, make_user, monkeypatch):
    # The rule is ownerCount, not a count of the owners on the page at hand.
    monkeypatch.setattr(selectors, "MEMBERS_PAGE_SIZE", 1)
    second = make_user(name="Second Owner")
    add_member(org_world.org, second, "OWNER")
    owner = org_world.users["OWNER"]
    services.member_change_role(
        actor=actor(owner),
        actor_membership=membership(org_world.org, owner),
        org=org_of(org_world),
        target=membership(org_world.org, second),
        role="VIEWER",
    )
    with pytest.raises(Conflict) as caught:
        mine = membership(org_world.org, owner)
        services.member_change_role(
            actor=actor(owner), actor_membership=mine, org=org_of(org_world), target=mine, role="ADMIN"
        )
    assert caught.value.message == services.LAST_OWNER_MESSAGE
