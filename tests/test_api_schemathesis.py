"""schemathesis against /api/openapi.json, in process, as a signed-in owner: no 500s, responses match the schema.

The owner's organization has a project, a well, a stage, an event, a file, a second member
and a pending invitation. In about half the cases the ids schemathesis generates (in the
path, the query and the body) are replaced by those real ones, so every operation is also
exercised on objects that exist, and its 200 answers are checked against the schema, not
only its 404s. A DELETE gets a fresh object of its own each time, so the seeded ones stay.
"""

from __future__ import annotations

import uuid
from datetime import UTC

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from welltrack.wsgi import application

# Building the OpenAPI document touches no database, so the schema can load at collection.
SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
# Logging out would revoke the token every other case uses; accounts/tests/test_api.py covers it.
SKIPPED = {("POST", "/api/auth/logout")}
# Every row (fuzzed case) makes organizations and invitations of one user as fixtures.
pytestmark = pytest.mark.usefixtures("generous_creation_limits")
PASSWORD = "correct-horse-battery-staple"


class Seed:
    """The fuzzed owner's objects, and fresh ones for DELETE cases."""

    def __init__(self, owner, org, member, project, well, stage, event, file_id, invitation) -> None:
        from welltrack.actor import Actor

        self.owner, self.org, self.member = owner, org, member
        self.project, self.well, self.stage, self.event = project, well, stage, event
        self.file_id, self.invitation = file_id, invitation
        self.actor = Actor(owner.user_id, "127.0.0.1")

    def ids(self) -> dict[str, str]:
        """Real ids by parameter name, as the path, the query and the bodies spell them."""
        values = {
            "org": self.org.org_id,
            "project": self.project.project_id,
            "well": self.well.well_id,
            "stage": self.stage.stage_id,
            "event": self.event.event_id,
            "file": self.file_id,
            "user": self.member.user_id,
            "invitation": self.invitation.invitation_id,
        }
        names = {}
        for kind, value in values.items():
            names[f"{kind}_id"] = names[f"{kind}Id"] = value
        names["entityId"] = self.well.well_id
        names["userId"] = self.owner.user_id  # the audit filter: the owner has done things
        return names

    def fresh(self, kind: str) -> str:
        """A new object of the kind, for a DELETE to remove."""
        from orgs.services import invitation_create, org_create
        from orgs.testing import add_member
        from wells.services import event_create, project_create, stage_create

        if kind == "org":
            return org_create(actor=self.actor, name=f"Throwaway {uuid.uuid4().hex[:6]}").org_id
        if kind == "project":
            return project_create(
                actor=self.actor, org_id=self.org.org_id, name=f"Field {uuid.uuid4().hex[:6]}"
            ).project_id
        if kind == "well":
            return _well(self.actor, self.project).well_id
        if kind == "stage":
            return stage_create(
                actor=self.actor, well=_reload_well(self.well), name="Temp", stage_type="OTHER"
            ).stage_id
        if kind == "event":
            return event_create(
                actor=self.actor,
                well=_reload_well(self.well),
                event_type="NOTE",
                title="Temp",
                start="2026-03-02T08:00",
            ).event_id
        if kind == "file":
            return _recorded_file(self.well, self.owner.user_id)
        if kind == "user":
            return add_member(self.org, _user(), "VIEWER").user_id
        if kind == "invitation":
            return invitation_create(
                actor=self.actor,
                actor_role="OWNER",
                org=self.org,
                role="VIEWER",
                email=f"inv-{uuid.uuid4().hex[:10]}@example.com",
                inviter_name=self.owner.name,
            ).invitation_id
        raise ValueError(kind)


def _user(name: str = "Fuzz Member"):
    from accounts.services import user_register

    return user_register(email=f"fuzz-{uuid.uuid4().hex[:10]}@example.com", password=PASSWORD, name=name)


def _reload_well(well):
    from wells.selectors import well_get

    return well_get(well_id=well.well_id)


def _well(actor, project):
    from wells.selectors import project_get
    from wells.services import well_create

    return well_create(
        actor=actor,
        project=project_get(project_id=project.project_id),
        name=f"F-{uuid.uuid4().hex[:6]}",
        well_number="KZ-1",
        latitude=46.1,
        longitude=53.2,
        depth=3000,
        status="DRILLING",
        start_date="2026-01-10",
        end_date=None,
        metadata={"rig": "Rig 7"},
        time_zone="Asia/Almaty",
    )


def _recorded_file(well, user_id: str) -> str:
    """A READY file item of the well (its bytes are not needed by any API answer)."""
    from datetime import datetime

    from files.models import READY, File

    file_id, now = str(uuid.uuid4()), datetime.now(UTC)
    File(
        file_id,
        well_id=well.well_id,
        org_id=well.org_id,
        file_name="DDR-01.pdf",
        file_type="application/pdf",
        file_size=1200,
        s3_key=f"orgs/{well.org_id}/wells/{well.well_id}/{file_id}/DDR-01.pdf",
        s3_bucket="local",
        uploaded_by=user_id,
        tags=["ddr"],
        metadata={},
        status=READY,
        requested_at=now,
        uploaded_at=now,
    ).save()
    return file_id


@pytest.fixture(scope="module")
def seed(django_test_environment, welltrack_tables):
    from orgs.services import invitation_create, org_create
    from orgs.testing import add_member
    from wells.services import event_create, project_create, stage_create
    from welltrack.actor import Actor

    owner = _user("Fuzz Owner")
    actor = Actor(owner.user_id, "127.0.0.1")
    org = org_create(actor=actor, name="Fuzzed Field Co")
    member = _user("Fuzz Editor")
    add_member(org, member, "EDITOR")
    project = project_create(actor=actor, org_id=org.org_id, name="Fuzzed Field", location="Block 9")
    well = _well(actor, project)
    stage = stage_create(
        actor=actor, well=_reload_well(well), name="Drilling", stage_type="DRILLING", status="IN_PROGRESS"
    )
    event = event_create(
        actor=actor,
        well=_reload_well(well),
        stage=stage,
        event_type="ACTIVITY",
        title="Drilling ahead",
        start="2026-03-01T08:00",
        end="2026-03-01T20:00",
    )
    invitation = invitation_create(
        actor=actor, actor_role="OWNER", org=org, email="pending@example.com", role="VIEWER", inviter_name=owner.name
    )
    return Seed(owner, org, member, project, well, stage, event, _recorded_file(well, owner.user_id), invitation)


@pytest.fixture(scope="module")
def bearer(seed):
    from accounts.services import api_token_create

    token, _ = api_token_create(user=seed.owner)
    return {"Authorization": f"Bearer {token}"}


def use_real_ids(case, seed: Seed) -> None:
    """Put the seeded ids where the case has id parameters; a DELETE's own target is a fresh object."""
    ids = seed.ids()
    path = case.path_parameters or {}
    for name in path:
        if name in ids:
            path[name] = ids[name]
    if case.method.upper() == "DELETE":
        target = case.operation.path.rstrip("/").rsplit("/", 1)[-1].strip("{}")  # e.g. "well_id"
        if target in path:
            path[target] = seed.fresh(target.removesuffix("_id"))
    if isinstance(case.query, dict):
        for name in case.query:
            if name in ids:
                case.query[name] = ids[name]
    if isinstance(case.body, dict):
        for name in case.body:
            if name in ids and name != "userId":
                case.body[name] = ids[name]
        if case.method.upper() == "PATCH" and "version" in case.body:
            # The current version, so the edit is applied (and its 200 checked), not refused as stale.
            target = case.operation.path.rstrip("/").rsplit("/", 1)[-1].strip("{}")
            case.body["version"] = _current_version(target.removesuffix("_id"), path[target])


def _current_version(kind: str, key: str) -> int:
    from files.models import File
    from orgs.models import Organization
    from wells.models import Event, Project, Stage, Well

    model = {"org": Organization, "project": Project, "well": Well, "stage": Stage, "event": Event, "file": File}[kind]
    return model.get(key, consistent_read=True).version


def test_the_seed_gives_every_id_parameter_of_the_api_a_real_value(seed):
    ids = seed.ids()
    unmatched = sorted(
        {
            parameter.name
            for operation in OPERATIONS
            for parameter in operation.path_parameters
            if parameter.name not in ids and parameter.name != "token"  # invitation tokens are only ever emailed
        }
    )
    assert unmatched == []


@pytest.mark.parametrize(
    "operation",
    [op for op in OPERATIONS if (op.method.upper(), op.path) not in SKIPPED],
    ids=lambda op: f"{op.method.upper()} {op.path}",
)
def test_api_never_fails_with_a_server_error_and_matches_its_schema(operation, seed, bearer):
    @given(case=operation.as_strategy(), real=st.booleans())
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case, real):
        if real:
            use_real_ids(case, seed)
        response = case.call(headers=bearer)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()
