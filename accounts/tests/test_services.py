import threading
import uuid

import pytest
from django.contrib.auth.hashers import check_password

from accounts import services
from accounts.models import User, UserEmail
from accounts.selectors import user_by_email, user_for_api_token
from conftest import PASSWORD
from orgs.models import AuditLog
from welltrack.errors import RateLimited, ValidationFailed


def unique_email() -> str:
    return f"Person-{uuid.uuid4().hex[:10]}@Example.COM"


def test_register_normalises_email_and_hashes_password_with_bcrypt():
    email = unique_email()
    user = services.user_register(email=f"  {email} ", password=PASSWORD, name="Ann  Owner")
    stored = User.get(user.user_id)
    assert stored.email == email.lower()
    assert stored.name == "Ann Owner"
    assert stored.password_hash.startswith("bcrypt_sha256$")
    assert check_password(PASSWORD, stored.password_hash)


def test_register_same_email_twice_gives_a_field_error():
    email = unique_email()
    services.user_register(email=email, password=PASSWORD, name="First")
    with pytest.raises(ValidationFailed) as caught:
        services.user_register(email=email.upper(), password=PASSWORD, name="Second")
    assert "already exists" in caught.value.errors["email"]


def test_concurrent_registrations_of_one_email_create_exactly_one_account():
    email = unique_email().lower()
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def attempt(n: int) -> None:
        barrier.wait()
        try:
            services.user_register(email=email, password=PASSWORD, name=f"Racer {n}")
            outcomes.append("created")
        except ValidationFailed as exc:
            outcomes.append(exc.errors.get("email", "other"))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("created") == 1
    assert all("already exists" in o for o in outcomes if o != "created")
    guard = UserEmail.get(email, consistent_read=True)
    assert list(User.email_index.query(email)) and User.get(guard.user_id).email == email


@pytest.mark.parametrize(
    "password, fragment",
    [("short1", "too short"), ("password123", "too common"), ("1234567890123", "entirely numeric")],
)
def test_weak_passwords_are_refused(password, fragment):
    with pytest.raises(ValidationFailed) as caught:
        services.user_register(email=unique_email(), password=password, name="Weak")
    assert fragment in caught.value.errors["password"]


def test_password_similar_to_email_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        services.user_register(email="drillmaster2024@example.com", password="drillmaster2024", name="D")
    assert "too similar" in caught.value.errors["password"]


def test_registration_is_audited_in_the_same_transaction(user):
    entries = list(AuditLog.entity_history_index.query(user.user_id))
    assert [(e.action, e.entity_type) for e in entries] == [("CREATE", "USER")]
    assert entries[0].changes["email"]["new"] == user.email


def test_bad_email_and_empty_name_name_their_fields():
    with pytest.raises(ValidationFailed) as caught:
        services.user_register(email="not-an-email", password=PASSWORD, name="X")
    assert "email" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        services.user_register(email=unique_email(), password=PASSWORD, name="   ")
    assert "name" in caught.value.errors


def test_authenticate_with_wrong_password_fails_without_saying_which_part(user):
    with pytest.raises(ValidationFailed) as caught:
        services.user_authenticate(email=user.email, password="wrong-password-1")
    assert caught.value.errors == {"__all__": services.BAD_CREDENTIALS_MESSAGE}


def test_five_failures_lock_the_email_out_even_with_the_right_password(user):
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            services.user_authenticate(email=user.email, password="wrong-password-1")
    with pytest.raises(RateLimited) as caught:
        services.user_authenticate(email=user.email, password=PASSWORD)
    assert "15 minutes" in caught.value.message


def test_lockout_looks_the_same_for_an_email_without_account():
    ghost = unique_email()
    for _ in range(5):
        with pytest.raises(ValidationFailed) as caught:
            services.user_authenticate(email=ghost, password="whatever-password")
        assert caught.value.errors == {"__all__": services.BAD_CREDENTIALS_MESSAGE}
    with pytest.raises(RateLimited):
        services.user_authenticate(email=ghost, password="whatever-password")


def test_api_token_is_stored_only_as_a_hash_and_revocable(user):
    token, _ = services.api_token_create(user=user)
    assert len(token) >= 32
    assert user_for_api_token(token=token).user_id == user.user_id
    from accounts.models import Session

    assert all(item.session_id != token for item in Session.user_sessions_index.query(user.user_id))
    services.api_token_revoke(token=token)
    assert user_for_api_token(token=token) is None


def test_lookup_by_email_is_case_insensitive(user):
    assert user_by_email(email=user.email.upper()).user_id == user.user_id
