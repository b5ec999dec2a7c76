"""The page decorator for everything inside an organization (URLs ``/orgs/<org_id>/…``)."""

from __future__ import annotations

from functools import wraps

from orgs.permissions import Action
from welltrack.middleware import sign_in_redirect


def org_member_required(action: Action = Action.VIEW):
    """Sign-in, then ``request.reads.authorize`` (404 for non-members, 403 below the role).

    The view receives the organization in place of ``org_id``, and ``request.current_org``
    and ``request.current_membership`` are set for the navigation.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, org_id: str, *args, **kwargs):
            if not request.reads.signed_in():
                return sign_in_redirect(request)
            membership = request.reads.authorize(org_id, action)
            request.current_org = membership.organization
            request.current_membership = membership
            return view(request, membership.organization, *args, **kwargs)

        return wrapper

    return decorator
