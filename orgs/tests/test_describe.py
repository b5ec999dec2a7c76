from datetime import UTC, datetime

from orgs.describe import describe
from welltrack.audit import AuditLog


def _entry(action, changes, entity_type="WELL", name="JS-A-12"):
    return AuditLog(
        "x",
        entity_type=entity_type,
        entity_id="w",
        entity_name=name,
        action=action,
        changes=changes,
        user_id="u",
        timestamp=datetime.now(UTC),
    )


def test_a_single_field_change_reads_as_a_sentence():
    entry = _entry("UPDATE", {"status": {"old": "PLANNING", "new": "DRILLING"}})
    assert describe(entry, "Erin Editor") == "Erin Editor changed the status of well JS-A-12 from PLANNING to DRILLING"


def test_several_changes_are_listed_and_creations_named():
    entry = _entry("UPDATE", {"name": {"old": "a", "new": "b"}, "depth": {"old": 1, "new": 2}})
    assert describe(entry, "Ann") == "Ann changed the name and depth of well JS-A-12"
    assert describe(_entry("CREATE", {}, "STAGE", "Drilling"), "Ann") == "Ann created stage Drilling"


def _member_entry(action, changes, *, actor_id="actor", member_id="member", name="Colin Colleague"):
    from orgs.permissions import membership_id

    return AuditLog(
        "x",
        entity_type="MEMBERSHIP",
        entity_id=membership_id("org", member_id),
        entity_name=name,
        org_id="org",
        action=action,
        changes=changes,
        user_id=actor_id,
        timestamp=datetime.now(UTC),
    )


def test_memberships_read_as_joining_adding_role_changes_and_leaving():
    role = {"role": {"old": None, "new": "VIEWER"}, "status": {"old": None, "new": "ACTIVE"}}
    assert (
        describe(_member_entry("CREATE", role, actor_id="member"), "Colin Colleague")
        == "Colin Colleague joined the organization as VIEWER"
    )
    assert describe(_member_entry("CREATE", role), "Olga Owner") == "Olga Owner added Colin Colleague as VIEWER"
    change = {"role": {"old": "VIEWER", "new": "EDITOR"}}
    assert (
        describe(_member_entry("UPDATE", change), "Olga Owner")
        == "Olga Owner changed the role of Colin Colleague from VIEWER to EDITOR"
    )
    assert (
        describe(_member_entry("DELETE", {}), "Olga Owner")
        == "Olga Owner removed Colin Colleague from the organization"
    )
    assert (
        describe(_member_entry("DELETE", {}, actor_id="member"), "Colin Colleague")
        == "Colin Colleague left the organization"
    )


def test_invitations_read_as_invited_resent_and_withdrawn():
    def entry(action, changes):
        return AuditLog(
            "x",
            entity_type="INVITATION",
            entity_id="i",
            entity_name="ann@example.com",
            org_id="org",
            action=action,
            changes=changes,
            user_id="u",
            timestamp=datetime.now(UTC),
        )

    assert (
        describe(entry("CREATE", {"role": {"old": None, "new": "EDITOR"}}), "Olga")
        == "Olga invited ann@example.com as EDITOR"
    )
    assert (
        describe(entry("UPDATE", {"token": {"old": "a", "new": "b"}}), "Olga")
        == "Olga sent ann@example.com a new invitation link"
    )
    assert describe(entry("DELETE", {}), "Olga") == "Olga withdrew the invitation of ann@example.com"


def test_times_are_said_in_words_and_unknown_types_still_read():
    entry = _entry(
        "UPDATE",
        {"startTime": {"old": "2026-03-01T06:00:00+00:00", "new": "2026-03-02T07:30:00+00:00"}},
        "EVENT",
        "Spud",
    )
    assert (
        describe(entry, "Ann")
        == "Ann changed the start of event Spud from 1 Mar 2026 06:00 UTC to 2 Mar 2026 07:30 UTC"
    )
    assert describe(_entry("CREATE", {}, "GAUGE", "G-1"), "Ann") == "Ann created gauge G-1"
