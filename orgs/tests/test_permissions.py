import pytest
from django.test import RequestFactory

from orgs.permissions import Action, authorize, can
from orgs.testing import add_member
from welltrack.errors import Forbidden, NotFound


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("VIEWER", {Action.VIEW}),
        ("EDITOR", {Action.VIEW, Action.EDIT_RECORDS}),
        ("ADMIN", {Action.VIEW, Action.EDIT_RECORDS, Action.DELETE_WELLS, Action.MANAGE_PROJECTS,
                   Action.MANAGE_ORG, Action.MANAGE_MEMBERS, Action.VIEW_AUDIT_DETAILS}),
        ("OWNER", set(Action)),
    ],
)
def test_role_matrix(org_world, role, allowed):
    request = _request(org_world.users[role])
    for action in Action:
        assert can(request, org_world.org.org_id, action) is (action in allowed), (role, action)


def test_outsider_gets_not_found_like_a_missing_org(org_world):
    with pytest.raises(NotFound):
        authorize(_request(org_world.outsider), org_world.org.org_id)
    with pytest.raises(NotFound):
        authorize(_request(org_world.outsider), "no-such-org")


def test_member_without_the_role_gets_forbidden(org_world):
    with pytest.raises(Forbidden):
        authorize(_request(org_world.users["VIEWER"]), org_world.org.org_id, Action.EDIT_RECORDS)


def test_removed_membership_is_refused_on_the_next_request(org_world):
    viewer = org_world.users["VIEWER"]
    assert can(_request(viewer), org_world.org.org_id, Action.VIEW)
    from orgs.models import Membership
    from orgs.permissions import membership_id

    Membership.get(membership_id(org_world.org.org_id, viewer.user_id)).update(
        actions=[Membership.status.set("REMOVED")], add_version_condition=False
    )
    assert not can(_request(viewer), org_world.org.org_id, Action.VIEW)


def test_membership_is_cached_within_one_request_only(org_world, make_user):
    late = make_user(name="Late Joiner")
    request = _request(late)
    assert not can(request, org_world.org.org_id, Action.VIEW)
    add_member(org_world.org, late, "EDITOR")
    assert not can(request, org_world.org.org_id, Action.VIEW)  # same request: cached
    assert can(_request(late), org_world.org.org_id, Action.EDIT_RECORDS)  # next request: fresh
