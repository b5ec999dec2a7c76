"""Each entity's JSON answer, key by key: what the API gives for an item made through the API.

The schemas build their answers from the model items (welltrack.schemas.OutSchema.values_of);
these tests pin the exact keys and values, so a schema and its answers cannot drift apart.
"""

from __future__ import annotations

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from accounts.models import User
from files.models import File
from files.tests.helpers import upload
from orgs.models import Invitation, Membership, Organization
from wells.models import Event, Project, Stage, Well
from welltrack.audit import AuditLog


def js(value):
    """``value`` as the API's JSON renderer writes it (datetimes to the millisecond, ``Z`` for UTC)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def call(client, method: str, path: str, body=None) -> tuple[int, dict | list | None]:
    response = getattr(client, method)(
        path, data=json.dumps(body) if body is not None else None, content_type="application/json"
    )
    return response.status_code, (response.json() if response.content else None)


@pytest.fixture
def editor(org_world, client_for):
    return client_for(org_world.users["EDITOR"])


@pytest.fixture
def owner(org_world, client_for):
    return client_for(org_world.users["OWNER"])


def test_user_answer(org_world, editor):
    status, body = call(editor, "get", "/api/me")
    user = User.get(org_world.users["EDITOR"].user_id)
    assert status == 200
    assert body == js(
        {
            "userId": user.user_id,
            "email": user.email,
            "name": user.name,
            "timeZone": user.time_zone,
            "createdAt": user.created_at,
            "lastLoginAt": user.last_login_at,
        }
    )


def test_organization_answer(org_world, client_for):
    status, created = call(
        client_for(org_world.outsider), "post", "/api/orgs", {"name": "Answers Ltd", "description": "d"}
    )
    org = Organization.get(created["orgId"])
    assert status == 201
    assert created == js(
        {
            "orgId": org.org_id,
            "name": "Answers Ltd",
            "description": "d",
            "ownerId": org_world.outsider.user_id,
            "createdAt": org.created_at,
            "updatedAt": org.updated_at,
            "createdBy": org_world.outsider.user_id,
            "version": 1,
            "role": "OWNER",
        }
    )
    assert call(client_for(org_world.outsider), "get", f"/api/orgs/{org.org_id}") == (200, created)


def test_member_answer(org_world, owner):
    editor = org_world.users["EDITOR"]
    status, page = call(owner, "get", f"/api/orgs/{org_world.org.org_id}/members")
    (answer,) = [item for item in page["items"] if item["userId"] == editor.user_id]
    membership = Membership.get(answer["membershipId"])
    assert status == 200
    assert answer == js(
        {
            "membershipId": membership.membership_id,
            "orgId": org_world.org.org_id,
            "userId": editor.user_id,
            "name": editor.name,
            "email": editor.email,
            "role": "EDITOR",
            "status": "ACTIVE",
            "invitedBy": membership.invited_by,
            "invitedAt": membership.invited_at,
            "joinedAt": membership.joined_at,
            "version": membership.version,
        }
    )


def test_invitation_answer(org_world, owner):
    status, body = call(
        owner, "post", f"/api/orgs/{org_world.org.org_id}/invite", {"email": "new.hire@example.com", "role": "EDITOR"}
    )
    invitation = Invitation.get(body["invitationId"])
    expected = js(
        {
            "invitationId": invitation.invitation_id,
            "email": "new.hire@example.com",
            "role": "EDITOR",
            "status": "PENDING",
            "invitedBy": org_world.users["OWNER"].user_id,
            "createdAt": invitation.created_at,
            "expiresAt": invitation.expires_at,
        }
    )
    assert status == 201 and body == expected
    assert call(owner, "get", f"/api/orgs/{org_world.org.org_id}/invitations") == (200, [expected])


def test_audit_answer_shows_the_address_to_admins_only(org_world, owner, client_for, project):
    status, page = call(owner, "get", f"/api/orgs/{org_world.org.org_id}/audit?entityId={project.project_id}")
    (answer,) = page["items"]
    entry = AuditLog.get(answer["logId"])
    expected = {
        "logId": entry.log_id,
        "entityType": "PROJECT",
        "entityId": project.project_id,
        "entityName": project.name,
        "orgId": org_world.org.org_id,
        "action": entry.action,
        "changes": entry.changes.as_dict(),
        "userId": entry.user_id,
        "timestamp": entry.timestamp,
        "ipAddress": entry.ip_address,
    }
    assert status == 200 and answer == js(expected)
    viewer = client_for(org_world.users["VIEWER"])
    _, page = call(viewer, "get", f"/api/orgs/{org_world.org.org_id}/audit?entityId={project.project_id}")
    assert page["items"] == [js({**expected, "ipAddress": None})]


def test_project_answer(org_world, client_for):
    admin = client_for(org_world.users["ADMIN"])
    status, body = call(
        admin, "post", "/api/projects", {"orgId": org_world.org.org_id, "name": "North", "location": "Block 7"}
    )
    project = Project.get(body["projectId"])
    user_id = org_world.users["ADMIN"].user_id
    expected = js(
        {
            "projectId": project.project_id,
            "orgId": org_world.org.org_id,
            "name": "North",
            "location": "Block 7",
            "description": "",
            "status": "ACTIVE",
            "wellCounts": {},
            "createdAt": project.created_at,
            "updatedAt": project.updated_at,
            "createdBy": user_id,
            "updatedBy": user_id,
            "version": 1,
        }
    )
    assert status == 201 and body == expected
    call(client_for(org_world.users["EDITOR"]), "post", "/api/wells", {"projectId": project.project_id, "name": "N-1"})
    status, body = call(admin, "get", f"/api/projects/{project.project_id}")
    assert body["wellCounts"] == {"PLANNING": 1}
    assert body == {**expected, "wellCounts": {"PLANNING": 1}, "version": body["version"]}


def test_well_answer_with_and_without_a_location(org_world, editor, project):
    status, body = call(
        editor,
        "post",
        "/api/wells",
        {
            "projectId": project.project_id,
            "name": "A-1",
            "wellNumber": "N-1",
            "location": {"latitude": 46.5, "longitude": 52.1},
            "depth": 2500,
            "status": "DRILLING",
            "startDate": "2026-02-01",
            "metadata": {"rig": "R2"},
            "timeZone": "Asia/Almaty",
        },
    )
    well = Well.get(body["wellId"])
    user_id = org_world.users["EDITOR"].user_id
    expected = js(
        {
            "wellId": well.well_id,
            "projectId": project.project_id,
            "orgId": org_world.org.org_id,
            "name": "A-1",
            "wellNumber": "N-1",
            "location": {"latitude": 46.5, "longitude": 52.1},
            "depth": 2500.0,
            "status": "DRILLING",
            "startDate": "2026-02-01",
            "endDate": None,
            "metadata": {"rig": "R2"},
            "timeZone": "Asia/Almaty",
            "createdAt": well.created_at,
            "updatedAt": well.updated_at,
            "createdBy": user_id,
            "updatedBy": user_id,
            "version": 1,
        }
    )
    assert status == 201 and body == expected
    assert call(editor, "get", f"/api/wells/{well.well_id}") == (200, expected)
    _, bare = call(editor, "post", "/api/wells", {"projectId": project.project_id, "name": "A-2"})
    assert (bare["location"], bare["depth"], bare["metadata"], bare["wellNumber"]) == (None, None, {}, "")


def test_stage_answer(org_world, editor, well):
    status, body = call(
        editor,
        "post",
        "/api/stages",
        {"wellId": well.well_id, "name": "Drill 12¼", "type": "DRILLING", "startDate": "2026-03-01T06:00"},
    )
    stage = Stage.get(body["stageId"])
    user_id = org_world.users["EDITOR"].user_id
    expected = js(
        {
            "stageId": stage.stage_id,
            "wellId": well.well_id,
            "name": "Drill 12¼",
            "type": "DRILLING",
            "status": "PLANNED",
            "startDate": stage.start_date,
            "endDate": None,
            "order": 0,
            "description": "",
            "createdAt": stage.created_at,
            "updatedAt": stage.updated_at,
            "createdBy": user_id,
            "updatedBy": user_id,
            "version": 1,
        }
    )
    assert status == 201 and body == expected
    assert call(editor, "get", f"/api/stages/{stage.stage_id}") == (200, expected)
    assert call(editor, "get", f"/api/stages?wellId={well.well_id}")[1]["items"] == [expected]


def test_event_answer_alone_and_in_a_list(org_world, editor, well):
    _, stage = call(editor, "post", "/api/stages", {"wellId": well.well_id, "name": "Casing"})
    status, body = call(
        editor,
        "post",
        "/api/events",
        {
            "wellId": well.well_id,
            "stageId": stage["stageId"],
            "type": "ACTIVITY",
            "title": "Stuck pipe",
            "description": "Jarred free",
            "startTime": "2026-04-02T10:00",
            "endTime": "2026-04-02T13:30",
            "metadata": {"hours": "3.5"},
        },
    )
    event = Event.get(body["eventId"])
    user_id = org_world.users["EDITOR"].user_id
    expected = js(
        {
            "eventId": event.event_id,
            "wellId": well.well_id,
            "stageId": stage["stageId"],
            "type": "ACTIVITY",
            "title": "Stuck pipe",
            "description": "Jarred free",
            "startTime": event.start_time,
            "endTime": event.end_time,
            "metadata": {"hours": "3.5"},
            "fileId": None,
            "createdAt": event.created_at,
            "updatedAt": event.updated_at,
            "createdBy": user_id,
            "updatedBy": user_id,
            "version": 1,
        }
    )
    assert status == 201 and body == expected
    assert call(editor, "get", f"/api/events/{event.event_id}") == (200, expected)
    assert call(editor, "get", f"/api/events?wellId={well.well_id}&date=2026-04-02")[1]["items"] == [expected]
    assert call(editor, "get", f"/api/events?stageId={stage['stageId']}")[1]["items"] == [expected]


@pytest.mark.usefixtures("local_media")
def test_file_answer(org_world, editor, well):
    body = upload(editor, well, b"%PDF-1.4 answer", name="ddr.pdf")
    file = File.get(body["fileId"])
    expected = js(
        {
            "fileId": file.file_id,
            "orgId": org_world.org.org_id,
            "wellId": well.well_id,
            "stageId": None,
            "eventId": file.event_id,
            "attachedEventId": None,
            "fileName": "ddr.pdf",
            "fileType": "application/pdf",
            "fileSize": 15,
            "s3Key": file.s3_key,
            "s3Bucket": file.s3_bucket,
            "uploadedAt": file.uploaded_at,
            "uploadedBy": org_world.users["EDITOR"].user_id,
            "tags": [],
            "metadata": file.metadata.as_dict(),
            "status": "READY",
            "version": file.version,
        }
    )
    assert body == expected
    assert file.event_id
    assert call(editor, "get", f"/api/files/{file.file_id}") == (200, expected)
    assert call(editor, "get", f"/api/files?wellId={well.well_id}")[1]["items"] == [expected]
