from datetime import UTC, date, datetime

import pytest

from wells import selectors, services
from wells.models import Event, Project, Well
from wells.testing import actor_for, make_well
from wells.times import to_iso
from welltrack.audit import AuditLog
from welltrack.errors import Conflict, ValidationFailed


def editor(org_world):
    return actor_for(org_world.users["EDITOR"])


def test_creating_a_well_counts_it_on_the_project_and_audits_it(org_world, project):
    well = make_well(org_world, project)
    assert Project.get(project.project_id).well_counts["PLANNING"] == 1
    entries = list(AuditLog.entity_history_index.query(well.well_id))
    assert [e.action for e in entries] == ["CREATE"]
    assert entries[0].changes["name"]["new"] == "JS-A-12"


@pytest.mark.parametrize(
    "field, value, error_field",
    [
        ("latitude", 91, "latitude"),
        ("longitude", -181, "longitude"),
        ("depth", -1, "depth"),
        ("status", "FLYING", "status"),
        ("time_zone", "Mars/Base", "timeZone"),
        ("latitude", "abc", "latitude"),
        ("end_date", "2025-01-01", "endDate"),
        ("name", "   ", "name"),
    ],
)
def test_bad_well_input_names_the_field_and_writes_nothing(org_world, project, field, value, error_field):
    with pytest.raises(ValidationFailed) as caught:
        make_well(org_world, project, **{field: value})
    assert error_field in caught.value.errors
    assert selectors.project_wells(project_id=project.project_id)[0] == []


def test_status_change_writes_a_status_change_event_and_moves_the_count(org_world, project):
    well = make_well(org_world, project)
    fresh = Well.get(well.well_id)
    services.well_update(
        actor=editor(org_world),
        well=fresh,
        project=Project.get(project.project_id),
        version=fresh.version,
        **_well_fields(fresh, status="DRILLING"),
    )
    events = selectors.latest_events(well_id=well.well_id)
    assert [(e.event_type, e.title) for e in events] == [("STATUS_CHANGE", "Status changed from PLANNING to DRILLING")]
    counts = Project.get(project.project_id).well_counts
    assert (counts["PLANNING"], counts["DRILLING"]) == (0, 1)


def _well_fields(well, **overrides):
    fields = {
        "name": well.name,
        "well_number": well.well_number,
        "latitude": well.location.latitude,
        "longitude": well.location.longitude,
        "depth": well.depth,
        "status": well.status,
        "start_date": well.start_date,
        "end_date": well.end_date,
        "metadata": well.metadata.as_dict(),
        "time_zone": well.time_zone,
    }
    fields.update(overrides)
    return fields


def test_editing_a_stale_copy_is_a_conflict_and_keeps_the_newer_edit(org_world, well):
    first, second = Well.get(well.well_id), Well.get(well.well_id)
    project = Project.get(well.project_id)
    services.well_update(
        actor=editor(org_world),
        well=first,
        project=project,
        version=first.version,
        **_well_fields(first, name="JS-A-12 (sidetrack)"),
    )
    with pytest.raises(Conflict):
        services.well_update(
            actor=editor(org_world),
            well=second,
            project=Project.get(well.project_id),
            version=second.version,
            **_well_fields(second, name="Overwrite attempt"),
        )
    assert Well.get(well.well_id).name == "JS-A-12 (sidetrack)"


def test_event_times_are_local_to_the_well_and_stored_in_utc(org_world, well):
    event = services.event_create(
        actor=editor(org_world), well=well, event_type="ACTIVITY", title="Spud", start="2026-03-08T06:00", end=None
    )
    assert event.start_time == "2026-03-08T01:00:00Z"  # Asia/Almaty is UTC+5
    assert event.date_key == f"{well.well_id}#2026-03-08"


def test_dst_change_day_in_chicago_is_23_hours_long(org_world, project):
    well = make_well(org_world, project, name="Permian-1", time_zone="America/Chicago")
    before = services.event_create(
        actor=editor(org_world), well=well, event_type="NOTE", title="Before", start="2026-03-08T01:30"
    )
    after = services.event_create(
        actor=editor(org_world), well=well, event_type="NOTE", title="After", start="2026-03-08T03:30"
    )
    assert before.start_time == "2026-03-08T07:30:00Z"  # CST, UTC-6
    assert after.start_time == "2026-03-08T08:30:00Z"  # CDT, UTC-5
    events, _ = selectors.events_on_date(well=Well.get(well.well_id), day=date(2026, 3, 8))
    assert [e.title for e in events] == ["Before", "After"]


def test_end_before_start_and_file_upload_type_are_refused(org_world, well):
    with pytest.raises(ValidationFailed) as caught:
        services.event_create(
            actor=editor(org_world),
            well=well,
            event_type="ACTIVITY",
            title="x",
            start="2026-03-08T10:00",
            end="2026-03-08T09:00",
        )
    assert "endTime" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        services.event_create(
            actor=editor(org_world), well=well, event_type="FILE_UPLOAD", title="x", start="2026-03-08T10:00"
        )
    assert "type" in caught.value.errors


def test_stage_of_another_well_is_refused(org_world, project, well):
    other = make_well(org_world, project, name="JS-B-1")
    stage = services.stage_create(actor=editor(org_world), well=other, name="Drilling", stage_type="DRILLING")
    with pytest.raises(ValidationFailed) as caught:
        services.event_create(
            actor=editor(org_world), well=well, stage=stage, event_type="NOTE", title="x", start="2026-03-08T10:00"
        )
    assert "stageId" in caught.value.errors


def test_window_finds_ranges_that_began_weeks_before(org_world, well):
    actor = editor(org_world)
    services.event_create(
        actor=actor,
        well=well,
        event_type="ACTIVITY",
        title="Waiting on weather",
        start="2026-02-01T00:00",
        end="2026-02-22T00:00",
    )
    services.event_create(
        actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="Old note", start="2026-01-15T00:00"
    )
    services.event_create(
        actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="Inside", start="2026-02-20T12:00"
    )
    services.event_create(
        actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="After", start="2026-02-25T00:00"
    )
    start = datetime(2026, 2, 19, tzinfo=UTC)
    end = datetime(2026, 2, 21, tzinfo=UTC)
    events, _ = selectors.events_in_window(well=Well.get(well.well_id), start=start, end=end)
    assert [e.title for e in events] == ["Waiting on weather", "Inside"]


def test_window_edges_are_half_open(org_world, well):
    actor = editor(org_world)
    services.event_create(actor=actor, well=well, event_type="NOTE", title="At start", start="2026-04-01T00:00:00Z")
    services.event_create(
        actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="At end", start="2026-04-02T00:00:00Z"
    )
    services.event_create(
        actor=actor,
        well=Well.get(well.well_id),
        event_type="NOTE",
        title="Ended at start",
        start="2026-03-31T00:00:00Z",
        end="2026-04-01T00:00:00Z",
    )
    events, _ = selectors.events_in_window(
        well=Well.get(well.well_id), start=datetime(2026, 4, 1, tzinfo=UTC), end=datetime(2026, 4, 2, tzinfo=UTC)
    )
    assert [e.title for e in events] == ["At start"]


def test_stages_keep_a_gapless_order_through_moves_and_deletes(org_world, well):
    actor = editor(org_world)
    a, b, c = (services.stage_create(actor=actor, well=well, name=n, stage_type="OTHER") for n in "ABC")
    services.stage_move(actor=actor, stage=selectors.stage_get(stage_id=c.stage_id), direction="up")
    assert [s.name for s in selectors.stage_list_all(well_id=well.well_id)] == ["A", "C", "B"]
    services.stage_delete(actor=actor, stage=selectors.stage_get(stage_id=a.stage_id), events="keep")
    stages = selectors.stage_list_all(well_id=well.well_id)
    assert [(s.name, s.order) for s in stages] == [("C", 0), ("B", 1)]


def test_deleting_a_stage_can_keep_or_delete_its_events(org_world, well):
    actor = editor(org_world)
    keep = services.stage_create(actor=actor, well=well, name="Keep", stage_type="DRILLING")
    drop = services.stage_create(actor=actor, well=well, name="Drop", stage_type="TESTING")
    kept = services.event_create(
        actor=actor, well=well, stage=keep, event_type="NOTE", title="k", start="2026-05-01T00:00"
    )
    dropped = services.event_create(
        actor=actor, well=Well.get(well.well_id), stage=drop, event_type="NOTE", title="d", start="2026-05-01T00:00"
    )
    services.stage_delete(actor=actor, stage=selectors.stage_get(stage_id=keep.stage_id), events="keep")
    services.stage_delete(actor=actor, stage=selectors.stage_get(stage_id=drop.stage_id), events="delete")
    assert Event.get(kept.event_id).stage_id is None
    assert Event.count(dropped.event_id) == 0


def test_deleting_a_well_removes_its_record_and_uncounts_it(org_world, project):
    well = make_well(org_world, project)
    actor = editor(org_world)
    services.stage_create(actor=actor, well=well, name="Drilling", stage_type="DRILLING")
    services.event_create(
        actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="x", start="2026-05-01T00:00"
    )
    result = services.well_delete(actor=actor_for(org_world.users["ADMIN"]), well=Well.get(well.well_id))
    assert result["stages"] == 1 and result["events"] == 1
    assert Well.count(well.well_id) == 0
    assert Project.get(project.project_id).well_counts["PLANNING"] == 0


def test_two_editors_creating_wells_from_the_same_copy_of_the_project_both_succeed(org_world, project):
    from wells.services import well_create

    copy = Project.get(project.project_id)
    opened_version = copy.version
    for name in ("Twin-1", "Twin-2"):
        well_create(actor=editor(org_world), project=copy, name=name, status="DRILLING", time_zone="UTC")
    current = Project.get(project.project_id)
    assert current.well_counts["DRILLING"] == 2
    assert current.version == opened_version  # the admin's open edit form is not made stale by the counts


def test_a_well_cannot_be_created_in_a_project_being_deleted(org_world, project):
    from wells.services import well_create

    copy = Project.get(project.project_id)
    Project.get(project.project_id).update(actions=[Project.status.set("DELETED")])
    with pytest.raises(Conflict):
        well_create(actor=editor(org_world), project=copy, name="Late", time_zone="UTC")
    assert selectors.project_wells_all(project_id=project.project_id) == []


def test_no_event_can_be_added_to_a_well_that_is_being_deleted(org_world, well):
    copy = Well.get(well.well_id)
    Well.get(well.well_id).update(actions=[Well.lifecycle.set("DELETED")])
    with pytest.raises(Conflict):
        services.event_create(
            actor=editor(org_world), well=copy, event_type="NOTE", title="Orphan?", start="2026-03-08T10:00"
        )
    assert selectors.latest_events(well_id=well.well_id) == []


def test_event_crud_is_audited_with_old_and_new_values(org_world, well):
    actor = editor(org_world)
    event = services.event_create(
        actor=actor, well=well, event_type="NOTE", title="Spud", start="2026-03-08T06:00", metadata={"depth": "30"}
    )
    services.event_update(
        actor=actor, event=event, well=Well.get(well.well_id), version=event.version, keep_stage=True, title="Spud in"
    )
    services.event_delete(actor=actor, event=Event.get(event.event_id))
    entries = sorted(AuditLog.entity_history_index.query(event.event_id), key=lambda e: e.timestamp)
    assert [e.action for e in entries] == ["CREATE", "UPDATE", "DELETE"]
    assert dict(entries[1].changes["title"]) == {"old": "Spud", "new": "Spud in"}
    assert Event.count(event.event_id) == 0


def test_a_stale_event_edit_is_a_conflict(org_world, well):
    actor = editor(org_world)
    event = services.event_create(actor=actor, well=well, event_type="NOTE", title="A", start="2026-03-08T06:00")
    stale = Event.get(event.event_id)
    services.event_update(
        actor=actor, event=Event.get(event.event_id), well=well, version=event.version, keep_stage=True, title="B"
    )
    with pytest.raises(Conflict):
        services.event_update(actor=actor, event=stale, well=well, version=stale.version, keep_stage=True, title="C")
    assert Event.get(event.event_id).title == "B"


def test_project_crud_with_conflict_and_status_values(org_world):
    from wells.testing import make_project

    admin = actor_for(org_world.users["ADMIN"])
    project = make_project(org_world, name="Karachaganak")
    services.project_update(
        actor=admin,
        project=Project.get(project.project_id),
        version=project.version,
        name="Karachaganak",
        status="COMPLETED",
    )
    with pytest.raises(Conflict):
        services.project_update(
            actor=admin, project=Project.get(project.project_id), version=project.version, name="Stale", status="ACTIVE"
        )
    with pytest.raises(ValidationFailed) as caught:
        services.project_update(
            actor=admin, project=Project.get(project.project_id), version=project.version + 1, name="X", status="SOLD"
        )
    assert "status" in caught.value.errors
    assert Project.get(project.project_id).status == "COMPLETED"


def test_deleting_a_project_hides_it_first_then_removes_its_wells(org_world):
    from wells.testing import make_project

    project = make_project(org_world, name="Doomed")
    first = make_well(org_world, project, name="D-1")
    make_well(org_world, project, name="D-2")
    services.event_create(actor=editor(org_world), well=first, event_type="NOTE", title="x", start="2026-01-01T00:00")
    assert selectors.project_delete_preview(project=Project.get(project.project_id)) == {
        "wells": 2,
        "stages": 0,
        "events": 1,
        "files": 0,
    }
    assert (
        services.project_delete(actor=actor_for(org_world.users["ADMIN"]), project=Project.get(project.project_id)) == 2
    )
    assert Project.count(project.project_id) == 0
    assert selectors.project_wells_all(project_id=project.project_id) == []
    actions = [e.action for e in AuditLog.entity_history_index.query(project.project_id)]
    assert "DELETE" in actions


def test_stage_validation_names_fields(org_world, well):
    with pytest.raises(ValidationFailed) as caught:
        services.stage_create(actor=editor(org_world), well=well, name="S", stage_type="FRACKING")
    assert "type" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        services.stage_create(
            actor=editor(org_world),
            well=well,
            name="S",
            stage_type="DRILLING",
            start="2026-03-02T00:00",
            end="2026-03-01T00:00",
        )
    assert "endDate" in caught.value.errors
    assert selectors.stage_list_all(well_id=well.well_id) == []


def test_stages_added_at_the_same_moment_get_distinct_orders(org_world, well):
    """Two editors listing the same stages: the count on the well makes the loser list again."""
    from concurrent.futures import ThreadPoolExecutor

    actor = editor(org_world)
    services.stage_create(actor=actor, well=well, name="First", stage_type="DRILLING")
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(
            pool.map(
                lambda n: services.stage_create(actor=actor, well=well, name=f"Parallel {n}", stage_type="OTHER"),
                range(4),
            )
        )
    orders = [int(s.order) for s in selectors.stage_list_all(well_id=well.well_id)]
    assert orders == [0, 1, 2, 3, 4]
    assert Well.get(well.well_id).stage_count == 5


def test_a_stale_stage_listing_cannot_append_at_a_taken_order(org_world, well):
    from unittest import mock

    actor = editor(org_world)
    services.stage_create(actor=actor, well=well, name="A", stage_type="OTHER")
    stale = selectors.stage_list_all(well_id=well.well_id)
    services.stage_create(actor=actor, well=well, name="B", stage_type="OTHER")
    calls = iter([stale])
    real = selectors.stage_list_all

    def listing(*, well_id):
        return next(calls, None) or real(well_id=well_id)

    with mock.patch("wells.selectors.stage_list_all", listing):
        services.stage_create(actor=actor, well=well, name="C", stage_type="OTHER")
    assert [(s.name, int(s.order)) for s in real(well_id=well.well_id)] == [("A", 0), ("B", 1), ("C", 2)]


def test_changing_the_wells_zone_moves_its_events_to_their_new_local_dates(org_world, project):
    well = make_well(org_world, project, name="Zone-1", time_zone="UTC")
    event = services.event_create(
        actor=editor(org_world), well=well, event_type="NOTE", title="Late", start="2026-07-01T23:30"
    )
    fresh = Well.get(well.well_id)
    services.well_update(
        actor=editor(org_world),
        well=fresh,
        project=Project.get(project.project_id),
        version=fresh.version,
        **_well_fields(fresh, time_zone="Asia/Almaty"),
    )
    assert Event.get(event.event_id).date_key == f"{well.well_id}#2026-07-02"
    starting, _ = selectors.events_starting_on(well=Well.get(well.well_id), day=date(2026, 7, 2))
    assert [e.title for e in starting] == ["Late"]
    assert Event.get(event.event_id).start_time == "2026-07-01T23:30:00Z"  # the instant itself does not move


def test_a_well_deletion_cut_short_leaves_it_hidden_and_uncounted_and_can_be_finished(org_world, project):
    """The well is hidden first: an outage while its children go never shows a half-deleted well."""
    from welltrack.errors import DependencyUnavailable, NotFound
    from welltrack.faults import Throttler, injected

    well = make_well(org_world, project, name="Half-1")
    services.stage_create(actor=editor(org_world), well=well, name="Drilling", stage_type="DRILLING")
    services.event_create(
        actor=editor(org_world), well=Well.get(well.well_id), event_type="NOTE", title="x", start="2026-05-01T00:00"
    )
    admin = actor_for(org_world.users["ADMIN"])
    with injected(Throttler(per_call=10, operations={"BatchWriteItem"})), pytest.raises(DependencyUnavailable):
        services.well_delete(actor=admin, well=Well.get(well.well_id))
    with pytest.raises(NotFound):
        selectors.well_get(well_id=well.well_id)
    assert selectors.project_wells(project_id=project.project_id)[0] == []
    assert Project.get(project.project_id).well_counts["PLANNING"] == 0
    with pytest.raises(Conflict):  # nothing can be added to it meanwhile
        services.event_create(
            actor=editor(org_world),
            well=Well.get(well.well_id),
            event_type="NOTE",
            title="late",
            start="2026-05-02T00:00",
        )
    services.well_delete(actor=admin, well=Well.get(well.well_id))  # running it again finishes the job
    assert Well.count(well.well_id) == 0 and selectors.stage_list_all(well_id=well.well_id) == []
    assert Project.get(project.project_id).well_counts["PLANNING"] == 0  # not uncounted twice


# --- edits never put back the counters other writes moved ------------------------------------


def test_a_well_edit_from_a_copy_opened_earlier_keeps_its_longest_range_and_stage_count(org_world, project):
    """longestEventSeconds and stageCount change without the version, so the edit is accepted,
    and it must not write the copy's old values back."""
    well = make_well(org_world, project, name="Counters-1", time_zone="UTC")
    services.stage_create(actor=editor(org_world), well=Well.get(well.well_id), name="First", stage_type="OTHER")
    opened = Well.get(well.well_id)
    services.event_create(
        actor=editor(org_world),
        well=Well.get(well.well_id),
        event_type="ACTIVITY",
        title="Ten-day wait",
        start="2026-05-01T00:00Z",
        end="2026-05-11T00:00Z",
    )
    services.stage_create(actor=editor(org_world), well=Well.get(well.well_id), name="Second", stage_type="OTHER")
    assert Well.get(well.well_id).version == opened.version  # nothing the form shows changed
    services.well_update(
        actor=editor(org_world),
        well=opened,
        project=Project.get(project.project_id),
        version=opened.version,
        **_well_fields(opened, name="Counters-1 (renamed)"),
    )
    fresh = Well.get(well.well_id)
    assert fresh.name == "Counters-1 (renamed)" and fresh.version == opened.version
    assert (fresh.longest_event_seconds, fresh.stage_count) == (10 * 86400, 2)
    titles = [
        e.title
        for e in selectors.events_in_window(
            well=fresh, start=datetime(2026, 5, 10, tzinfo=UTC), end=datetime(2026, 5, 10, 1, tzinfo=UTC)
        )[0]
    ]
    assert titles == ["Ten-day wait"]
    third = services.stage_create(actor=editor(org_world), well=fresh, name="Third", stage_type="OTHER")
    assert third.order == 2 and Well.get(well.well_id).stage_count == 3


def test_a_project_edit_from_a_copy_opened_earlier_keeps_the_well_counts(org_world):
    from wells.testing import make_project

    project = make_project(org_world, name="Counts kept")
    make_well(org_world, project, name="K-1")
    opened = Project.get(project.project_id)
    make_well(org_world, project, name="K-2", status="DRILLING")
    services.project_update(
        actor=actor_for(org_world.users["ADMIN"]),
        project=opened,
        version=opened.version,
        name="Counts kept (renamed)",
        status="ACTIVE",
    )
    fresh = Project.get(project.project_id)
    assert fresh.name == "Counts kept (renamed)" and fresh.version == opened.version
    assert (fresh.well_counts["PLANNING"], fresh.well_counts["DRILLING"]) == (1, 1)


def test_a_well_edit_can_empty_its_optional_fields(org_world, project):
    well = make_well(org_world, project, name="Emptied")
    opened = Well.get(well.well_id)
    services.well_update(
        actor=editor(org_world),
        well=opened,
        project=Project.get(project.project_id),
        version=opened.version,
        **_well_fields(
            opened, latitude=None, longitude=None, depth=None, start_date=None, metadata={}, status="DRILLING"
        ),
    )
    fresh = Well.get(well.well_id)
    assert (fresh.location, fresh.depth, fresh.start_date, fresh.metadata.as_dict()) == (None, None, None, {})
    assert fresh.drilling_org_id == fresh.org_id
    assert [w.name for w in selectors.drilling_wells(org_id=fresh.org_id)] == ["Emptied"]


def test_the_first_stage_cannot_go_up_nor_the_last_down_and_nothing_is_written(org_world, well):
    first = services.stage_create(actor=editor(org_world), well=well, name="First", stage_type="OTHER")
    last = services.stage_create(actor=editor(org_world), well=well, name="Last", stage_type="OTHER")
    for stage, direction, word in ((first, "up", "first"), (last, "down", "last")):
        with pytest.raises(ValidationFailed) as caught:
            services.stage_move(actor=editor(org_world), stage=stage, direction=direction)
        assert f"already the {word} stage" in caught.value.errors["direction"]
    assert [(s.name, s.order, s.version) for s in selectors.stage_list_all(well_id=well.well_id)] == [
        ("First", 0, 1),
        ("Last", 1, 1),
    ]


def test_a_stage_added_after_the_listing_refuses_the_move(org_world, well):
    from unittest import mock

    services.stage_create(actor=editor(org_world), well=well, name="A", stage_type="OTHER")
    b = services.stage_create(actor=editor(org_world), well=well, name="B", stage_type="OTHER")
    stale = selectors.stage_list_all(well_id=well.well_id)
    services.stage_create(actor=editor(org_world), well=well, name="C", stage_type="OTHER")
    with mock.patch("wells.selectors.stage_list_all", lambda *, well_id: stale), pytest.raises(Conflict):
        services.stage_move(actor=editor(org_world), stage=b, direction="up")
    assert [s.name for s in selectors.stage_list_all(well_id=well.well_id)] == ["A", "B", "C"]


# --- the organization's stage board (OrgStageBoardIndex) --------------------------------------


def test_a_stage_is_on_its_orgs_board_while_planned_or_running_and_off_it_once_completed(org_world, well):
    org_id = org_world.org.org_id
    stage = services.stage_create(
        actor=editor(org_world), well=well, name="Completion", stage_type="COMPLETION", start="2030-03-02T08:00"
    )
    assert [s.name for s in selectors.stages_planned_from(org_id=org_id, start=datetime(2030, 3, 1, tzinfo=UTC))] == [
        "Completion"
    ]
    running = services.stage_update(
        actor=editor(org_world),
        stage=stage,
        well=well,
        version=stage.version,
        name="Completion",
        stage_type="COMPLETION",
        status="IN_PROGRESS",
        start="2030-03-02T08:00",
    )
    assert selectors.stages_planned_from(org_id=org_id, start=datetime(2030, 3, 1, tzinfo=UTC)) == []
    assert "Completion" in [s.name for s in selectors.stages_in_progress(org_id=org_id, well_ids=[well.well_id])]
    services.stage_update(
        actor=editor(org_world),
        stage=running,
        well=well,
        version=running.version,
        name="Completion",
        stage_type="COMPLETION",
        status="COMPLETED",
        start="2030-03-02T08:00",
    )
    assert "Completion" not in [s.name for s in selectors.stages_in_progress(org_id=org_id, well_ids=[well.well_id])]


def test_the_board_backfill_puts_older_stages_on_it_once_without_changing_their_version(org_world, well):
    from wells.models import Stage
    from wells.services.stages import stages_put_on_board

    stage = services.stage_create(
        actor=editor(org_world),
        well=well,
        name="Written before the index",
        stage_type="TESTING",
        start="2031-05-01T00:00",
    )
    Stage._get_connection().update_item(
        Stage._serialize_keys(stage.stage_id, None)[0], actions=[Stage.board_key.remove(), Stage.board_sort.remove()]
    )
    start = datetime(2031, 4, 30, tzinfo=UTC)
    assert selectors.stages_planned_from(org_id=org_world.org.org_id, start=start) == []
    assert stages_put_on_board(log=lambda line: None) >= 1
    assert [s.name for s in selectors.stages_planned_from(org_id=org_world.org.org_id, start=start)] == [
        "Written before the index"
    ]
    assert Stage.get(stage.stage_id).version == stage.version
    assert stages_put_on_board(log=lambda line: None) == 0


# --- an interrupted project deletion ------------------------------------------------------


def _project_with_two_wells(org_world, name: str):
    """A project whose two wells each have a stage and an event; returns (project, wells, stages, events)."""
    from wells.testing import make_project

    project = make_project(org_world, name=name)
    wells, stages, events = [], [], []
    for n in (1, 2):
        well = make_well(org_world, project, name=f"{name}-{n}")
        stages.append(services.stage_create(actor=editor(org_world), well=well, name="Drilling", stage_type="DRILLING"))
        events.append(
            services.event_create(
                actor=editor(org_world),
                well=Well.get(well.well_id),
                event_type="NOTE",
                title="x",
                start="2026-05-01T00:00",
            )
        )
        wells.append(well)
    return project, wells, stages, events


def _interrupt_project_delete(org_world, project):
    from welltrack.errors import DependencyUnavailable
    from welltrack.faults import Throttler, injected

    with injected(Throttler(per_call=10, operations={"BatchWriteItem"})), pytest.raises(DependencyUnavailable):
        services.project_delete(actor=actor_for(org_world.users["ADMIN"]), project=Project.get(project.project_id))


def test_a_project_deletion_cut_short_leaves_it_hidden_and_running_it_again_finishes(org_world):
    from wells.models import Stage
    from welltrack.errors import NotFound

    project, wells, stages, events = _project_with_two_wells(org_world, "Half")
    _interrupt_project_delete(org_world, project)
    with pytest.raises(NotFound):
        selectors.project_get(project_id=project.project_id)
    visible, deleting, _ = selectors.project_list_with_deleting(org_id=org_world.org.org_id)
    assert project.project_id not in [p.project_id for p in visible]
    assert [p.project_id for p in deleting] == [project.project_id]
    assert Well.count(wells[0].well_id) + Well.count(wells[1].well_id) == 2  # the outage left both wells there

    hidden = selectors.project_get(project_id=project.project_id, include_deleting=True)
    assert services.project_delete(actor=actor_for(org_world.users["ADMIN"]), project=hidden) == 2
    assert Project.count(project.project_id) == 0
    assert [Well.count(w.well_id) for w in wells] == [0, 0]
    assert [Stage.count(s.stage_id) for s in stages] == [0, 0]
    assert [Event.count(e.event_id) for e in events] == [0, 0]
    deletions = [e for e in AuditLog.entity_history_index.query(project.project_id) if e.action == "DELETE"]
    assert len(deletions) == 1  # the hiding is recorded once, not again when finishing


def test_two_admins_finishing_the_same_interrupted_project_deletion_both_succeed(org_world):
    """The second run's list of wells was read before the first run removed them."""
    from unittest import mock

    project, wells, _, _ = _project_with_two_wells(org_world, "Twice")
    _interrupt_project_delete(org_world, project)
    stale = selectors.project_wells_all(project_id=project.project_id)
    assert sorted(w.lifecycle for w in stale) == ["ACTIVE", "DELETED"]
    hidden = selectors.project_get(project_id=project.project_id, include_deleting=True)
    services.project_delete(actor=actor_for(org_world.users["ADMIN"]), project=hidden)
    with mock.patch("wells.selectors.project_wells_all", lambda *, project_id: stale):
        services.project_delete(actor=actor_for(org_world.users["OWNER"]), project=hidden)
    assert Project.count(project.project_id) == 0
    assert [Well.count(w.well_id) for w in wells] == [0, 0]


# --- the span of times ------------------------------------------------------------------------


def test_stored_times_always_have_four_digit_years():
    assert to_iso(datetime(999, 6, 1, tzinfo=UTC)) == "0999-06-01T00:00:00Z"
    assert to_iso(datetime(1900, 1, 1, tzinfo=UTC)) == "1900-01-01T00:00:00Z"


def test_an_event_before_the_span_is_refused_not_stored_with_a_short_year(org_world, well):
    with pytest.raises(ValidationFailed) as caught:
        services.event_create(
            actor=editor(org_world), well=well, event_type="NOTE", title="x", start="0999-06-01T00:00:00Z"
        )
    assert "startTime" in caught.value.errors
    assert selectors.latest_events(well_id=well.well_id) == []
