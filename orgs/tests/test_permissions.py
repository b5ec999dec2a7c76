import pytest
from django.test import RequestFactory

from orgs.permissions import Action
from orgs.reads import RequestReads
from orgs.testing import add_member
from welltrack.errors import Forbidden, NotFound


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.reads = RequestReads(request)
    return request


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("VIEWER", {Action.VIEW}),
        ("EDITOR", {Action.VIEW, Action.EDIT_RECORDS}),
        (
            "ADMIN",
            {
                Action.VIEW,
                Action.EDIT_RECORDS,
                Action.DELETE_WELLS,
                Action.MANAGE_PROJECTS,
                Action.MANAGE_ORG,
                Action.MANAGE_MEMBERS,
                Action.VIEW_AUDIT_DETAILS,
            },
        ),
        ("OWNER", set(Action)),
    ],
)
def test_role_matrix(org_world, role, allowed):
    request = _request(org_world.users[role])
    for action in Action:
        assert request.reads.can(org_world.org.org_id, action) is (action in allowed), (role, action)


def test_outsider_gets_not_found_like_a_missing_org(org_world):
    with pytest.raises(NotFound):
        _request(org_world.outsider).reads.authorize(org_world.org.org_id)
    with pytest.raises(NotFound):
        _request(org_world.outsider).reads.authorize("no-such-org")


def test_member_without_the_role_gets_forbidden(org_world):
    with pytest.raises(Forbidden):
        _request(org_world.users["VIEWER"]).reads.authorize(org_world.org.org_id, Action.EDIT_RECORDS)


def test_removed_membership_is_refused_on_the_next_request(org_world):
    viewer = org_world.users["VIEWER"]
    assert _request(viewer).reads.can(org_world.org.org_id, Action.VIEW)
    from orgs.models import Membership
    from orgs.permissions import membership_id

    Membership.get(membership_id(org_world.org.org_id, viewer.user_id)).update(
        actions=[Membership.status.set("REMOVED")], add_version_condition=False
    )
    assert not _request(viewer).reads.can(org_world.org.org_id, Action.VIEW)


def test_membership_is_cached_within_one_request_only(org_world, make_user):
    late = make_user(name="Late Joiner")
    request = _request(late)
    assert not request.reads.can(org_world.org.org_id, Action.VIEW)
    add_member(org_world.org, late, "EDITOR")
    assert not request.reads.can(org_world.org.org_id, Action.VIEW)  # same request: cached
    assert _request(late).reads.can(org_world.org.org_id, Action.EDIT_RECORDS)  # next request: fresh


def test_authorize_user_answers_like_authorize_for_a_request_without_session(org_world):
    from orgs.models import Organization
    from orgs.permissions import authorize_user

    viewer = org_world.users["VIEWER"]
    access = authorize_user(
        org_id=org_world.org.org_id, user_id=viewer.user_id, also=[(Organization, org_world.other_org.org_id)]
    )
    assert access.membership.role == "VIEWER" and access.records[0].org_id == org_world.other_org.org_id
    with pytest.raises(Forbidden):
        authorize_user(org_id=org_world.org.org_id, user_id=viewer.user_id, action=Action.EDIT_RECORDS)
    with pytest.raises(NotFound):
        authorize_user(org_id=org_world.org.org_id, user_id=org_world.outsider.user_id)


def test_only_an_owner_still_in_it_reaches_a_deleted_org_to_finish_its_deletion(org_world):
    from orgs.models import Organization

    with pytest.raises(Forbidden):
        _request(org_world.users["ADMIN"]).reads.org_deletion(org_world.org.org_id)
    Organization.get(org_world.org.org_id).update(
        actions=[Organization.status.set("DELETED")], add_version_condition=False
    )
    assert _request(org_world.users["OWNER"]).reads.org_deletion(org_world.org.org_id).role == "OWNER"
    for visitor in (org_world.users["ADMIN"], org_world.users["VIEWER"], org_world.outsider):
        with pytest.raises(NotFound):
            _request(visitor).reads.org_deletion(org_world.org.org_id)
    with pytest.raises(NotFound):
        _request(org_world.users["OWNER"]).reads.authorize(org_world.org.org_id)  # and nothing else of it


def test_no_module_outside_orgs_reads_the_organizations_tables():
    """Membership decisions belong to orgs.permissions: another app that read the Membership
    or Organization table itself would answer "may this user…" on its own."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for app in ("accounts", "wells", "files", "timeline", "welltrack"):
        for path in (root / app).rglob("*.py"):
            if "tests" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.module == "orgs.models"
                    or isinstance(node, ast.Import)
                    and any(a.name == "orgs.models" for a in node.names)
                ):
                    offenders.append(str(path.relative_to(root)))
    assert offenders == []
