from datetime import date, datetime, timezone

import pytest

from orgs.models import AuditLog
from welltrack.errors import Conflict, ValidationFailed
from wells import selectors, services
from wells.models import Event, Project, Well
from wells.testing import actor_for, make_well


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
    [("latitude", 91, "latitude"), ("longitude", -181, "longitude"), ("depth", -1, "depth"),
     ("status", "FLYING", "status"), ("time_zone", "Mars/Base", "timeZone"), ("latitude", "abc", "latitude"),
     ("end_date", "2025-01-01", "endDate"), ("name", "   ", "name")],
)
def test_bad_well_input_names_the_field_and_writes_nothing(org_world, project, field, value, error_field):
    with pytest.raises(ValidationFailed) as caught:
        make_well(org_world, project, **{field: value})
    assert error_field in caught.value.errors
    assert selectors.project_wells(project_id=project.project_id)[0] == []


def test_status_change_writes_a_status_change_event_and_moves_the_count(org_world, project):
    well = make_well(org_world, project)
    fresh = Well.get(well.well_id)
    services.well_update(actor=editor(org_world), well=fresh, project=Project.get(project.project_id),
                         version=fresh.version, **_well_fields(fresh, status="DRILLING"))
    events = selectors.latest_events(well_id=well.well_id)
    assert [(e.event_type, e.title) for e in events] == [("STATUS_CHANGE", "Status changed from PLANNING to DRILLING")]
    counts = Project.get(project.project_id).well_counts
    assert (counts["PLANNING"], counts["DRILLING"]) == (0, 1)


def _well_fields(well, **overrides):
    fields = {"name": well.name, "well_number": well.well_number, "latitude": well.location.latitude,
              "longitude": well.location.longitude, "depth": well.depth, "status": well.status,
              "start_date": well.start_date, "end_date": well.end_date, "metadata": well.metadata.as_dict(),
              "time_zone": well.time_zone}
    fields.update(overrides)
    return fields


def test_editing_a_stale_copy_is_a_conflict_and_keeps_the_newer_edit(org_world, well):
    first, second = Well.get(well.well_id), Well.get(well.well_id)
    project = Project.get(well.project_id)
    services.well_update(actor=editor(org_world), well=first, project=project, version=first.version,
                         **_well_fields(first, name="JS-A-12 (sidetrack)"))
    with pytest.raises(Conflict):
        services.well_update(actor=editor(org_world), well=second, project=Project.get(well.project_id),
                             version=second.version, **_well_fields(second, name="Overwrite attempt"))
    assert Well.get(well.well_id).name == "JS-A-12 (sidetrack)"


def test_event_times_are_local_to_the_well_and_stored_in_utc(org_world, well):
    event = services.event_create(actor=editor(org_world), well=well, event_type="ACTIVITY", title="Spud",
                                  start="2026-03-08T06:00", end=None)
    assert event.start_time == "2026-03-08T01:00:00Z"  # Asia/Almaty is UTC+5
    assert event.date_key == f"{well.well_id}#2026-03-08"


def test_dst_change_day_in_chicago_is_23_hours_long(org_world, project):
    well = make_well(org_world, project, name="Permian-1", time_zone="America/Chicago")
    before = services.event_create(actor=editor(org_world), well=well, event_type="NOTE", title="Before",
                                   start="2026-03-08T01:30")
    after = services.event_create(actor=editor(org_world), well=well, event_type="NOTE", title="After",
                                  start="2026-03-08T03:30")
    assert before.start_time == "2026-03-08T07:30:00Z"  # CST, UTC-6
    assert after.start_time == "2026-03-08T08:30:00Z"  # CDT, UTC-5
    events, _ = selectors.events_on_date(well=Well.get(well.well_id), day=date(2026, 3, 8))
    assert [e.title for e in events] == ["Before", "After"]


def test_end_before_start_and_file_upload_type_are_refused(org_world, well):
    with pytest.raises(ValidationFailed) as caught:
        services.event_create(actor=editor(org_world), well=well, event_type="ACTIVITY", title="x",
                              start="2026-03-08T10:00", end="2026-03-08T09:00")
    assert "endTime" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        services.event_create(actor=editor(org_world), well=well, event_type="FILE_UPLOAD", title="x", start="2026-03-08T10:00")
    assert "type" in caught.value.errors


def test_stage_of_another_well_is_refused(org_world, project, well):
    other = make_well(org_world, project, name="JS-B-1")
    stage = services.stage_create(actor=editor(org_world), well=other, name="Drilling", stage_type="DRILLING")
    with pytest.raises(ValidationFailed) as caught:
        services.event_create(actor=editor(org_world), well=well, stage=stage, event_type="NOTE", title="x",
                              start="2026-03-08T10:00")
    assert "stageId" in caught.value.errors


def test_window_finds_ranges_that_began_weeks_before(org_world, well):
    actor = editor(org_world)
    services.event_create(actor=actor, well=well, event_type="ACTIVITY", title="Waiting on weather",
                          start="2026-02-01T00:00", end="2026-02-22T00:00")
    services.event_create(actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="Old note",
                          start="2026-01-15T00:00")
    services.event_create(actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="Inside",
                          start="2026-02-20T12:00")
    services.event_create(actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="After",
                          start="2026-02-25T00:00")
    start = datetime(2026, 2, 19, tzinfo=timezone.utc)
    end = datetime(2026, 2, 21, tzinfo=timezone.utc)
    events, _ = selectors.events_in_window(well=Well.get(well.well_id), start=start, end=end)
    assert [e.title for e in events] == ["Waiting on weather", "Inside"]


def test_window_edges_are_half_open(org_world, well):
    actor = editor(org_world)
    services.event_create(actor=actor, well=well, event_type="NOTE", title="At start", start="2026-04-01T00:00:00Z")
    services.event_create(actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="At end", start="2026-04-02T00:00:00Z")
    services.event_create(actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="Ended at start",
                          start="2026-03-31T00:00:00Z", end="2026-04-01T00:00:00Z")
    events, _ = selectors.events_in_window(well=Well.get(well.well_id), start=datetime(2026, 4, 1, tzinfo=timezone.utc),
                                           end=datetime(2026, 4, 2, tzinfo=timezone.utc))
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
    kept = services.event_create(actor=actor, well=well, stage=keep, event_type="NOTE", title="k", start="2026-05-01T00:00")
    dropped = services.event_create(actor=actor, well=Well.get(well.well_id), stage=drop, event_type="NOTE", title="d",
                                    start="2026-05-01T00:00")
    services.stage_delete(actor=actor, stage=selectors.stage_get(stage_id=keep.stage_id), events="keep")
    services.stage_delete(actor=actor, stage=selectors.stage_get(stage_id=drop.stage_id), events="delete")
    assert Event.get(kept.event_id).stage_id is None
    assert Event.count(dropped.event_id) == 0


def test_deleting_a_well_removes_its_record_and_uncounts_it(org_world, project):
    well = make_well(org_world, project)
    actor = editor(org_world)
    services.stage_create(actor=actor, well=well, name="Drilling", stage_type="DRILLING")
    services.event_create(actor=actor, well=Well.get(well.well_id), event_type="NOTE", title="x", start="2026-05-01T00:00")
    result = services.well_delete(actor=actor_for(org_world.users["ADMIN"]), well=Well.get(well.well_id))
    assert result["stages"] == 1 and result["events"] == 1
    assert Well.count(well.well_id) == 0
    assert Project.get(project.project_id).well_counts["PLANNING"] == 0
