"""Reads of the timeline area: a member's private calendar links."""

from __future__ import annotations

from typing import NamedTuple

from timeline.models import CalendarToken, CalendarTokenStatus, RevokedFor
from welltrack.errors import dynamo_errors


class CalendarLinks(NamedTuple):
    """A member's links in one organization, newest first: those that work, and those a password
    change or reset revoked whose well or project has no working link again (offered anew)."""

    active: list[CalendarToken]
    renewable: list[CalendarToken]


def calendar_links(*, user_id: str, org_id: str) -> CalendarLinks:
    """One Query of the user's links (UserCalendarTokensIndex), kept to the organization."""
    with dynamo_errors():
        tokens = [
            t for t in CalendarToken.user_tokens_index.query(user_id, scan_index_forward=False) if t.org_id == org_id
        ]
    active = [t for t in tokens if t.status == CalendarTokenStatus.ACTIVE]
    covered = {(t.scope_type, t.scope_id) for t in active}
    renewable = []
    for t in tokens:
        scope = (t.scope_type, t.scope_id)
        if (
            t.status != CalendarTokenStatus.ACTIVE
            and t.revoked_for == RevokedFor.PASSWORD_CHANGE
            and scope not in covered
        ):
            covered.add(scope)  # one offer per well or project
            renewable.append(t)
    return CalendarLinks(active=active, renewable=renewable)
