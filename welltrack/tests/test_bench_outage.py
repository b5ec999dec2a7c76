"""The outage run's judgement (bench/outage.py, bench/outage_check.py), without the outage itself:
the run takes minutes (DynamoDB Local alone takes 15 s or more to start again), so `make bench`
runs it and these check how its figures are reached."""

import uuid
from datetime import UTC, datetime

from bench.outage import TARGETS, failures_not_503, missed_targets, recovery_seconds
from bench.outage_check import KILL_WINDOW, check, stored
from bench.outage_load import Answer, CreateAttempt, EditAttempt, Ledger
from wells import services
from wells.testing import actor_for


def _figures(**changes):
    met = {key: 0 for key in TARGETS} | {
        "outage_recovery_seconds": 1.5,
        "outage_health_503_while_away": True,
        "outage_acknowledged_writes": 120,
    }
    return {**met, **changes}


def test_the_verdict_names_every_missed_outage_target_and_nothing_when_all_are_met():
    assert missed_targets(_figures()) == []
    missed = missed_targets(
        _figures(outage_lost_writes=1, outage_recovery_seconds=None, outage_health_503_while_away=False)
    )
    assert missed == [
        "outage_lost_writes 1 (target <= 0)",
        "outage_recovery_seconds None (target <= 5)",
        "outage_health_503_while_away false (target true)",
    ]


def test_a_run_that_acknowledged_no_write_misses_its_targets():
    assert missed_targets(_figures(outage_acknowledged_writes=0)) == [
        "outage_acknowledged_writes 0 (a run that wrote nothing shows nothing)"
    ]


def _probe(instance: int, sent: float, took: float, status: int | None) -> Answer:
    return Answer(kind="probe", instance=instance, sent=sent, took=took, status=status)


def test_recovery_is_counted_until_the_first_success_after_the_last_failure_on_the_slower_instance():
    ledger = Ledger(
        answers=[
            _probe(0, 9.0, 0.2, 503),  # before the database came back: not counted
            _probe(0, 10.0, 0.5, 503),
            _probe(0, 11.0, 0.3, 200),
            _probe(0, 12.0, 0.3, 200),
            _probe(1, 10.0, 0.4, 200),
            _probe(1, 11.0, 0.2, 503),
            _probe(1, 12.0, 1.5, 200),
            _probe(1, 13.0, 0.8, 200),
        ]
    )
    assert recovery_seconds(ledger, back=10.0, until=20.0, instances=2) == 3.5


def test_an_instance_that_never_served_again_before_the_next_fault_has_no_recovery():
    ledger = Ledger(answers=[_probe(0, 10.0, 0.5, 200), _probe(0, 11.0, 0.2, 503), _probe(0, 12.0, 9.0, 200)])
    assert recovery_seconds(ledger, back=10.0, until=20.0, instances=1) is None


def test_a_409_to_an_edit_after_an_unanswered_edit_of_that_event_is_excused_and_any_other_is_counted():
    answers = [Answer(kind="edit", instance=0, sent=n, took=0.1, status=s) for n, s in enumerate([503, 409, 409])]
    answers.append(Answer(kind="ticket", instance=1, sent=4, took=0.1, status=409))
    edits = [EditAttempt("e1", "a", status=503), EditAttempt("e1", "b", status=409), EditAttempt("e2", "c", status=409)]
    assert failures_not_503(Ledger(answers=answers, edits=edits)) == 2


def _create(well, user, title: str):
    return services.event_create(
        actor=actor_for(user), well=well, event_type="NOTE", title=title, start=datetime.now(UTC).isoformat()
    )


def _title() -> str:
    return f"outage c00 create 0 {uuid.uuid4().hex[:8]}"


def test_an_acknowledged_create_stored_once_with_its_audit_entry_passes(org_world, well):
    event = _create(well, org_world.users["EDITOR"], _title())
    ledger = Ledger(creates=[CreateAttempt(event.title, well.well_id, 201, event.event_id, answered=5.0)])
    verdict = check(ledger, killed=40.0, now=stored())
    assert (verdict.acknowledged, verdict.lost, verdict.duplicates, verdict.missing_audit) == (1, 0, 0, 0)


def test_an_acknowledged_create_that_is_not_stored_is_lost_unless_answered_as_the_database_was_killed():
    ledger = Ledger(
        creates=[
            CreateAttempt(_title(), "w1", 201, str(uuid.uuid4()), answered=5.0),
            CreateAttempt(_title(), "w1", 201, str(uuid.uuid4()), answered=40.0 - KILL_WINDOW / 2),
        ]
    )
    verdict = check(ledger, killed=40.0, now=stored())
    assert (verdict.lost, verdict.lost_at_kill) == (1, 1)


def test_a_create_stored_twice_is_a_duplicate_even_when_its_answer_was_lost(org_world, well):
    title = _title()
    _create(well, org_world.users["EDITOR"], title)
    _create(well, org_world.users["EDITOR"], title)
    verdict = check(Ledger(creates=[CreateAttempt(title, well.well_id, 503)]), killed=40.0, now=stored())
    assert verdict.duplicates == 1


def test_an_acknowledged_edit_overwritten_by_nothing_the_client_sent_is_lost(org_world, well):
    editor = org_world.users["EDITOR"]
    event = _create(well, editor, _title())
    services.event_update(
        actor=actor_for(editor), event=event, well=well, version=event.version, title="outage c00 edit 1 x"
    )
    ledger = Ledger(
        edits=[
            EditAttempt(event.event_id, "outage c00 edit 1 x", 200, version=2, answered=5.0),
            EditAttempt(event.event_id, "outage c00 edit 2 y", 200, version=3, answered=6.0),
        ]
    )
    verdict = check(ledger, killed=40.0, now=stored())
    assert (verdict.acknowledged, verdict.lost, verdict.missing_audit) == (2, 1, 1)
