"""Hostile input to the account forms and API: a form error or a 4xx, never a 500, nothing smuggled in."""

import uuid

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.selectors import user_by_email

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "'; DROP TABLE users; --",
            "\x00\x01",
            "../../etc/passwd",
            "A" * 5000,
            "ñ" * 200,
            "\u202e",
            "{{ 7*7 }}",
            "%s%s%s",
            "null",
        ]
    ),
)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@SETTINGS
@given(name=HOSTILE, email=HOSTILE, password=HOSTILE, tz=HOSTILE)
def test_register_form_never_fails_with_a_server_error(name, email, password, tz):
    response = Client(REMOTE_ADDR=f"127.77.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}").post(
        "/accounts/register/", {"name": name, "email": email, "password": password, "time_zone": tz}
    )
    assert response.status_code in (302, 422, 429)


@SETTINGS
@given(
    body=st.dictionaries(
        st.sampled_from(["email", "password", "name", "timeZone", "userId", "role"]),
        st.one_of(HOSTILE, st.integers(), st.floats(allow_nan=False), st.none(), st.booleans()),
        max_size=6,
    )
)
def test_register_api_never_fails_with_a_server_error(body):
    response = Client(REMOTE_ADDR=f"127.78.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}").post(
        "/api/auth/register", data=body, content_type="application/json"
    )
    assert response.status_code in (201, 422, 429)


@SETTINGS
@given(email=HOSTILE, password=HOSTILE)
def test_login_api_never_fails_with_a_server_error(email, password):
    response = Client(REMOTE_ADDR=f"127.79.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}").post(
        "/api/auth/login", data={"email": email, "password": password}, content_type="application/json"
    )
    assert response.status_code in (401, 422, 429)


def test_a_user_id_smuggled_into_the_registration_form_is_ignored(client):
    email = f"smuggle-{uuid.uuid4().hex[:8]}@example.com"
    response = client.post(
        "/accounts/register/",
        {
            "name": "Sly",
            "email": email,
            "password": "correct-horse-battery-staple",
            "time_zone": "UTC",
            "user_id": "chosen-id",
            "userId": "chosen-id",
            "role": "OWNER",
        },
    )
    assert response.status_code == 302
    user = user_by_email(email=email)
    assert user.user_id != "chosen-id"
    assert not User.count("chosen-id")


def test_profile_form_ignores_a_smuggled_email(client_for, user):
    c = client_for(user)
    c.post("/accounts/profile/", {"name": "Still Me", "time_zone": "UTC", "email": "attacker@example.com"})
    stored = User.get(user.user_id)
    assert (stored.name, stored.email) == ("Still Me", user.email)
