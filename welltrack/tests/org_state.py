"""Test support: every stored item of one organization, read back from the tables.

``org_state(org_id)`` answers ``{table: {key: item}}`` with the items as DynamoDB stores
them (serialised), so two snapshots compare equal exactly when nothing of the org was
written in between: its record, projects and their counters, wells, stages, events,
files, members, invitations and audit items. Base items are read strongly consistent.
"""

from __future__ import annotations


def _serialised(items, key_attr: str) -> dict[str, dict]:
    return {getattr(item, key_attr): item.serialize() for item in items}


def _consistent(model, ids: list[str], key_attr: str) -> dict[str, dict]:
    from welltrack.dynamodb import batch_get_consistent

    found = []
    for start in range(0, len(ids), 100):
        found += [
            item for item in batch_get_consistent([(model, i) for i in ids[start : start + 100]]) if item is not None
        ]
    return _serialised(found, key_attr)


def org_state(org_id: str) -> dict[str, dict[str, dict]]:
    from files.models import File
    from orgs.models import Invitation, Membership, Organization
    from wells.models import Event, Project, Stage, Well
    from welltrack.audit import AuditLog

    projects = [p.project_id for p in Project.org_projects_index.query(org_id)]
    wells = [w.well_id for w in Well.org_wells_index.query(org_id)]
    state = {
        "Organizations": _consistent(Organization, [org_id], "org_id"),
        "Projects": _consistent(Project, projects, "project_id"),
        "Wells": _consistent(Well, wells, "well_id"),
        "Stages": {},
        "Events": {},
        "Files": _serialised(File.org_files_index.query(org_id), "file_id"),
        "Memberships": _serialised(Membership.org_members_index.query(org_id), "membership_id"),
        "Invitations": _serialised(Invitation.org_invitations_index.query(org_id), "invitation_id"),
        "AuditLog": _serialised(AuditLog.org_activity_index.query(org_id), "log_id"),
    }
    for well_id in wells:
        state["Stages"].update(_serialised(Stage.well_stages_index.query(well_id), "stage_id"))
        state["Events"].update(_serialised(Event.well_events_index.query(well_id), "event_id"))
    return state


def added(before: dict, after: dict) -> dict[str, list[str]]:
    """The keys that are in ``after`` but not ``before``, by table (tables with none left out)."""
    return {
        table: sorted(set(after[table]) - set(before[table]))
        for table in after
        if set(after[table]) - set(before[table])
    }
