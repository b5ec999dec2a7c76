"""Hostile input to every form of the project, as an owner: a form error or a 4xx, never a 500;
refused input writes nothing, and fields smuggled beside the form's own change nothing.

The forms are the POST rows of the access matrix. Each field gets either the row's own value
or random and hostile text, and fields the form does not have (an orgId, a role, a userId, a
version, a createdBy) are smuggled in beside them, with values that would be noticed if
they were stored: another organization's id, an outsider's user id, a version no item has.
"""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access import Access
from tests.test_access_matrix import ROWS
from welltrack.testing import recording_writes, sign_in

HOSTILE = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "",
            " ",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "../../etc/passwd",
            "9" * 400,
            "-1e309",
            "NaN",
            "2026-02-30T25:61",
            "{{ 7*7 }}",
            "\u202e\u0000",
            "A" * 6000,
            "1e400",
            "99999999999999999999999999999999999999999",
            "-0",
            "🛢️" * 50,
        ]
    ),
)
SMUGGLED_VERSION = "987654321"
FORM_ROWS = [row for row in ROWS if row.method == "POST" and not row.json and row.data is not None]


def _url(row: Access, world) -> str:
    return row.url_for(world, "OWNER")


def _data(row: Access, world) -> dict:
    return row.data_for(world, "OWNER")


def smuggled(world, form_fields) -> st.SearchStrategy[dict]:
    """Fields the form does not have, each maybe present, with values that must never be stored."""
    marked = {
        "org_id": world.other_org.org_id,
        "orgId": world.other_org.org_id,
        "user_id": world.outsider.user_id,
        "userId": world.outsider.user_id,
        "created_by": world.outsider.user_id,
        "createdBy": world.outsider.user_id,
        "updated_by": world.outsider.user_id,
        "ownerId": world.outsider.user_id,
        "version": SMUGGLED_VERSION,
        "role": "VIEWER",
    }
    return st.fixed_dictionaries({}, optional={k: st.just(v) for k, v in marked.items() if k not in form_fields})


def _owner_role(world) -> str:
    from orgs.selectors import member_get

    return member_get(org_id=world.org.org_id, user_id=world.users["OWNER"].user_id).role


@pytest.mark.parametrize("row", FORM_ROWS, ids=[f"{r.route} {r.note}".strip() for r in FORM_ROWS])
def test_forms_refuse_hostile_input_without_writing_and_ignore_smuggled_fields(world, row: Access):
    client = Client(REMOTE_ADDR="127.0.9.9")
    sign_in(client, world.users["OWNER"])
    own = _data(row, world)
    fields = sorted(own)
    markers = (world.other_org.org_id, world.outsider.user_id, SMUGGLED_VERSION)

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        values=st.fixed_dictionaries({name: st.one_of(st.just(own[name]), HOSTILE) for name in fields}),
        extra=smuggled(world, fields),
    )
    def run(values, extra):
        url = _url(row, world)  # may make a fresh object to act on: before recording
        with recording_writes() as recorder:
            response = client.post(url, {**values, **extra})
        status = response.status_code
        assert status < 500, (row.route, values, extra)
        if 400 <= status < 500:
            assert recorder.tables() == [], f"refused ({status}) yet wrote {recorder.tables()}: {values} {extra}"
        stored = [marker for _, _, body in recorder.writes for marker in markers if marker in body]
        assert stored == [], f"a smuggled field was stored ({status}): {extra}"
        if "role" in extra:
            assert _owner_role(world) == "OWNER"

    run()


def test_the_write_recorder_sees_what_an_accepted_form_stores(world):
    # The control of the checks above: were the recorder blind, "nothing written" and "no
    # marker stored" would pass whatever the forms did.
    client = Client(REMOTE_ADDR="127.0.9.10")
    sign_in(client, world.users["OWNER"])
    with recording_writes() as recorder:
        response = client.post(
            f"/orgs/{world.org.org_id}/projects/new/", {"name": f"Field {SMUGGLED_VERSION}", "status": "ACTIVE"}
        )
    assert response.status_code == 302
    assert {"Projects", "AuditLog"} <= set(recorder.tables())
    assert any(SMUGGLED_VERSION in body for _, _, body in recorder.writes)
