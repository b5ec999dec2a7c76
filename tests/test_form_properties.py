"""Hostile input to every form of the project, as an owner: a form error or a 4xx, never a 500.

The forms are the POST rows of the access matrix; each field gets random and hostile text,
and fields the form does not have (an orgId, a role, a version) are smuggled in beside them.
"""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.access import Access
from tests.test_access_matrix import ROWS, world  # noqa: F401 - the module-scoped world fixture
from welltrack.testing import sign_in

HOSTILE = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["", " ", "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "../../etc/passwd", "9" * 400,
                     "-1e309", "NaN", "2026-02-30T25:61", "{{ 7*7 }}", "\u202e\u0000", "A" * 6000]),
)
SMUGGLED = st.fixed_dictionaries({}, optional={"org_id": HOSTILE, "orgId": HOSTILE, "role": st.just("OWNER"),
                                               "user_id": HOSTILE, "version": HOSTILE, "created_by": HOSTILE})
FORM_ROWS = [row for row in ROWS if row.method == "POST" and not row.json and row.data is not None]


@pytest.mark.parametrize("row", FORM_ROWS, ids=[f"{r.route} {r.note}".strip() for r in FORM_ROWS])
def test_forms_never_answer_a_server_error(world, row: Access):
    client = Client(REMOTE_ADDR="127.0.9.9")
    sign_in(client, world.users["OWNER"])
    fields = sorted(row.data(world))

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(values=st.fixed_dictionaries({name: HOSTILE for name in fields}), extra=SMUGGLED)
    def run(values, extra):
        response = client.post(row.url(world), {**values, **extra})
        assert response.status_code < 500, (row.route, values, extra)

    run()
