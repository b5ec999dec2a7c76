"""Projects (fields): create, edit, archive, delete."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from wells import selectors
from wells.models import Project, ProjectStatus, Well
from wells.services.validation import PROJECT_STATUSES, TEXT_MAX, clean_choice, clean_text
from wells.services.wells import well_delete
from welltrack.actor import Actor
from welltrack.audit import CREATE, DELETE, UPDATE, audit_created, audit_diff, audit_record
from welltrack.dynamodb import transact_write
from welltrack.errors import Conflict, dynamo_errors


def _project_values(project: Project) -> dict:
    return {
        "name": project.name,
        "location": project.location,
        "description": project.description,
        "status": project.status,
    }


def project_create(*, actor: Actor, org_id: str, name: str, location: str = "", description: str = "") -> Project:
    now = datetime.now(UTC)
    project = Project(
        str(uuid.uuid4()),
        org_id=org_id,
        name=clean_text(name, field="name", required=True, label="the project's name"),
        location=clean_text(location, field="location"),
        description=clean_text(description, field="description", max_length=TEXT_MAX),
        status=ProjectStatus.ACTIVE,
        well_counts={},
        created_at=now,
        updated_at=now,
        created_by=actor.user_id,
        updated_by=actor.user_id,
    )
    with dynamo_errors(), transact_write() as tx:
        tx.save(project, condition=Project.project_id.does_not_exist())
        audit_record(
            tx,
            actor=actor,
            org_id=org_id,
            entity_type="PROJECT",
            entity_id=project.project_id,
            entity_name=project.name,
            action=CREATE,
            changes=audit_created(_project_values(project)),
            timestamp=now,
        )
    return project


def project_update(
    *,
    actor: Actor,
    project: Project,
    version: int,
    name: str,
    location: str = "",
    description: str = "",
    status: str = ProjectStatus.ACTIVE,
) -> Project:
    """Optimistic lock: ``version`` is the one the user saw; a newer one is a Conflict."""
    if int(version) != int(project.version):
        raise Conflict()
    before = _project_values(project)
    project.name = clean_text(name, field="name", required=True, label="the project's name")
    project.location = clean_text(location, field="location")
    project.description = clean_text(description, field="description", max_length=TEXT_MAX)
    project.status = clean_choice(status, field="status", choices=PROJECT_STATUSES)
    changes = audit_diff(before, _project_values(project))
    if not changes:
        return project
    now = datetime.now(UTC)
    project.updated_at, project.updated_by = now, actor.user_id
    with dynamo_errors(), transact_write() as tx:
        # Only the edited fields, under the version condition: never ``wellCounts``, which well
        # creations and status changes move without the version (counters.py), so a whole-item
        # write from this copy would put back the counts it was opened with.
        tx.update(
            project,
            actions=[
                Project.name.set(project.name),
                Project.location.set(project.location),
                Project.description.set(project.description),
                Project.status.set(project.status),
                Project.updated_at.set(now),
                Project.updated_by.set(actor.user_id),
            ],
            condition=Project.status != ProjectStatus.DELETED,
        )
        audit_record(
            tx,
            actor=actor,
            org_id=project.org_id,
            entity_type="PROJECT",
            entity_id=project.project_id,
            entity_name=project.name,
            action=UPDATE,
            changes=changes,
            timestamp=now,
        )
    return project


def project_delete(*, actor: Actor, project: Project, version: int | None = None) -> int:
    """Delete the project and all its wells (with their stages, events and files).

    ``version`` is the one the confirmation showed: if the project changed since, nothing is
    deleted (Conflict), so nobody deletes something other than what they looked at.
    First the project is hidden (status DELETED, audited, under the version condition) so
    nothing half-deleted is ever shown, then each well goes through well_delete, then the
    project item itself. Returns the number of wells deleted.

    Resumable: if DynamoDB fails part-way the project stays hidden (every page answers 404 for
    it, except its delete confirmation for admins), and running this again on it finishes the
    job: the hiding (and its audit entry) is not repeated, every well still there goes, hidden
    or not, and the project item goes only after its last well, so there is always something
    to finish from. Two runs at once both end well (see _delete_well_of_hidden_project).
    """
    if version is not None and int(version) != int(project.version):
        raise Conflict()
    now = datetime.now(UTC)
    if project.status != ProjectStatus.DELETED:
        before = project.status
        with dynamo_errors(), transact_write() as tx:
            tx.update(
                project,
                actions=[
                    Project.status.set(ProjectStatus.DELETED),
                    Project.updated_at.set(now),
                    Project.updated_by.set(actor.user_id),
                ],
            )
            audit_record(
                tx,
                actor=actor,
                org_id=project.org_id,
                entity_type="PROJECT",
                entity_id=project.project_id,
                entity_name=project.name,
                action=DELETE,
                changes={"status": {"old": before, "new": ProjectStatus.DELETED}},
                timestamp=now,
            )
        project.status, project.updated_at, project.updated_by = ProjectStatus.DELETED, now, actor.user_id
    deleted = 0
    for well in selectors.project_wells_all(project_id=project.project_id):
        deleted += _delete_well_of_hidden_project(actor=actor, well=well)
    with dynamo_errors():
        Project(project.project_id).delete(add_version_condition=False)
    return deleted


def _delete_well_of_hidden_project(*, actor: Actor, well: Well) -> int:
    """well_delete for a well of a project being deleted. Returns 1, or 0 when re-reading the
    well (below) finds that another run removed it already.

    The copy comes from the project's wells index, which can be a moment behind the item: the
    well was edited just before, or another run finishing the same deletion hid or removed it
    meanwhile. Its hiding then fails on the version, which here is no reason to stop (the admin
    confirmed the project, not each well): the well is read again and deleted as it now is.
    """
    try:
        well_delete(actor=actor, well=well, project_already_hidden=True)
    except Conflict:
        well = Well.get_or_none(well.well_id)
        if well is None:
            return 0
        well_delete(actor=actor, well=well, project_already_hidden=True)
    return 1
