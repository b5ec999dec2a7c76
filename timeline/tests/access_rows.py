"""Access rows for calendars, feeds, the map and calendar subscriptions (see tests/access.py)."""

from tests.access import Access, expect

WINDOW = "start=2026-03-01T00:00:00Z&end=2026-04-01T00:00:00Z"
P = lambda w: w.extra["project"].project_id  # noqa: E731
W = lambda w: w.extra["well"].well_id  # noqa: E731


def _org(w):
    return f"/orgs/{w.org.org_id}"


def fresh_token(w, visitor_user=None):
    from timeline.services import calendar_token_create
    from welltrack.actor import Actor

    _, item = calendar_token_create(
        actor=Actor(w.users["VIEWER"].user_id, "127.0.0.3"),
        org_id=w.org.org_id,
        scope_type="WELL",
        scope_id=W(w),
        scope_name="JS-A-12",
    )
    return item


def live_link(w):
    from timeline.services import calendar_token_create
    from welltrack.actor import Actor

    token, _ = calendar_token_create(
        actor=Actor(w.users["EDITOR"].user_id, "127.0.0.3"),
        org_id=w.org.org_id,
        scope_type="PROJECT",
        scope_id=P(w),
        scope_name="Tengiz Field",
    )
    return f"/ical/{token}.ics"


ROWS = [
    Access("orgs/<str:org_id>/calendar/", "GET", lambda w: f"{_org(w)}/calendar/", expect("VIEWER")),
    Access(
        "orgs/<str:org_id>/projects/<str:project_id>/calendar/",
        "GET",
        lambda w: f"{_org(w)}/projects/{P(w)}/calendar/",
        expect("VIEWER"),
    ),
    Access(
        "orgs/<str:org_id>/wells/<str:well_id>/calendar/",
        "GET",
        lambda w: f"{_org(w)}/wells/{W(w)}/calendar/",
        expect("VIEWER"),
    ),
    Access(
        "orgs/<str:org_id>/projects/<str:project_id>/map/",
        "GET",
        lambda w: f"{_org(w)}/projects/{P(w)}/map/",
        expect("VIEWER"),
    ),
    Access("orgs/<str:org_id>/subscriptions/", "GET", lambda w: f"{_org(w)}/subscriptions/", expect("VIEWER")),
    Access(
        "orgs/<str:org_id>/subscriptions/new/",
        "POST",
        lambda w: f"{_org(w)}/subscriptions/new/",
        expect("VIEWER", 302),
        data=lambda w: {"scope": "WELL", "scope_id": W(w)},
    ),
    Access(
        "orgs/<str:org_id>/subscriptions/<str:token_id>/revoke/",
        "POST",
        lambda w: f"{_org(w)}/subscriptions/{fresh_token(w).token_id}/revoke/",
        {**expect("VIEWER", 404), "VIEWER": 302},
        note="only its owner (the viewer) may revoke a link",
    ),
    Access(
        "ical/<str:token>.ics",
        "GET",
        lambda w: live_link(w),
        expect(None, 200),
        note="the secret link is the credential",
    ),
    Access(
        "api/wells/<well_id>/calendar",
        "GET",
        lambda w: f"/api/wells/{W(w)}/calendar?{WINDOW}",
        expect("VIEWER", api=True),
    ),
    Access(
        "api/projects/<project_id>/calendar",
        "GET",
        lambda w: f"/api/projects/{P(w)}/calendar?{WINDOW}",
        expect("VIEWER", api=True),
    ),
    Access(
        "api/orgs/<org_id>/calendar",
        "GET",
        lambda w: f"/api/orgs/{w.org.org_id}/calendar?{WINDOW}&status=ALL",
        expect("VIEWER", api=True),
    ),
]

ROWS += [
    Access(
        "orgs/<str:org_id>/dashboard/<str:part>/",
        "GET",
        lambda w: f"{_org(w)}/dashboard/activity/",
        expect("VIEWER"),
        note="activity",
    ),
]
