import random
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password

from accounts import services
from accounts.models import User, UserEmail
from accounts.selectors import user_by_email, user_for_api_token
from conftest import PASSWORD
from welltrack import ratelimit
from welltrack.audit import AuditLog
from welltrack.errors import RateLimited, ValidationFailed
from welltrack.faults import Canceller, injected


@pytest.fixture
def address() -> str:
    """A client address of this test's own: the per-address sign-in lock of one test reaches no other."""
    return f"10.60.{random.randint(1, 254)}.{random.randint(1, 254)}"


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


def test_a_registration_cancelled_by_a_transaction_conflict_is_tried_again():
    # DynamoDB cancels both of two racing transactions on one guard item: neither wrote anything.
    email = unique_email().lower()
    with injected(Canceller("TransactionConflict", times=1)) as canceller:
        user = services.user_register(email=email, password=PASSWORD, name="Unlucky")
    assert canceller.remaining == 0
    assert UserEmail.get(email, consistent_read=True).user_id == user.user_id
    assert User.get(user.user_id).email == email


def test_a_registration_that_keeps_conflicting_asks_to_try_again_and_writes_nothing():
    email = unique_email().lower()
    with (
        injected(Canceller("TransactionConflict", times=services.REGISTER_ATTEMPTS)),
        pytest.raises(ValidationFailed) as caught,
    ):
        services.user_register(email=email, password=PASSWORD, name="Very Unlucky")
    assert caught.value.errors == {"email": services.REGISTER_BUSY_MESSAGE}
    assert user_by_email(email=email) is None
    assert services.user_register(email=email, password=PASSWORD, name="Later").email == email


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


def test_authenticate_with_wrong_password_fails_without_saying_which_part(user, address):
    with pytest.raises(ValidationFailed) as caught:
        services.user_authenticate(ip_address=address, email=user.email, password="wrong-password-1")
    assert caught.value.errors == {"__all__": services.BAD_CREDENTIALS_MESSAGE}


def _quarter_hour_boundary() -> float:
    # A moment to inject: a 15-minute boundary of the clock, in the future so no real count reaches it.
    return (int(time.time() // LOGIN_WINDOW) + 100) * LOGIN_WINDOW


LOGIN_WINDOW = services.LOGIN_WINDOW_SECONDS


def test_five_failures_lock_the_email_out_even_with_the_right_password(user, address):
    # Failures one second before a quarter-hour boundary, the check one second after it.
    boundary = _quarter_hour_boundary()
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            services.user_authenticate(
                ip_address=address, email=user.email, password="wrong-password-1", now=boundary - 1
            )
    with pytest.raises(RateLimited) as caught:
        services.user_authenticate(ip_address=address, email=user.email, password=PASSWORD, now=boundary + 1)
    assert caught.value.message == services.LOGIN_REFUSED_MESSAGE.format(minutes="15 minutes")


def test_lockout_looks_the_same_for_an_email_without_account(address):
    ghost = unique_email()
    boundary = _quarter_hour_boundary()
    for n in range(5):
        with pytest.raises(ValidationFailed) as caught:
            services.user_authenticate(
                ip_address=address, email=ghost, password="whatever-password", now=boundary - 5 + 2 * n
            )
        assert caught.value.errors == {"__all__": services.BAD_CREDENTIALS_MESSAGE}
    with pytest.raises(RateLimited):
        services.user_authenticate(ip_address=address, email=ghost, password="whatever-password", now=boundary + 6)


def test_failures_straddling_a_window_boundary_still_lock(user, address):
    boundary = _quarter_hour_boundary()
    for offset in (-240, -180, -120, -60):
        with pytest.raises(ValidationFailed):
            services.user_authenticate(
                ip_address=address, email=user.email, password="wrong-password-1", now=boundary + offset
            )
    with pytest.raises(ValidationFailed):
        services.user_authenticate(ip_address=address, email=user.email, password="wrong-password-1", now=boundary + 30)
    with pytest.raises(RateLimited):
        services.user_authenticate(ip_address=address, email=user.email, password="wrong-password-1", now=boundary + 60)
    with pytest.raises(RateLimited):
        services.user_authenticate(ip_address=address, email=user.email, password=PASSWORD, now=boundary + 120)


def test_the_lock_holds_until_the_failures_are_fifteen_minutes_old_and_names_the_wait(user, address):
    start = _quarter_hour_boundary() + 7 * 60  # mid-window: a fixed window would end in 8 minutes
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            services.user_authenticate(ip_address=address, email=user.email, password="wrong-password-1", now=start)
    with pytest.raises(RateLimited):
        services.user_authenticate(ip_address=address, email=user.email, password=PASSWORD, now=start + 15 * 60 - 1)
    with pytest.raises(RateLimited) as caught:
        services.user_authenticate(ip_address=address, email=user.email, password=PASSWORD, now=start + 60)
    wait = caught.value.retry_after
    assert 14 * 60 <= wait <= 15 * 60
    assert f"{-(-wait // 60)} minutes" in caught.value.message
    assert (
        services.user_authenticate(
            ip_address=address, email=user.email, password=PASSWORD, now=start + 60 + wait
        ).user_id
        == user.user_id
    )


def test_refused_attempts_do_not_extend_the_lock(user, address):
    start = _quarter_hour_boundary()
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            services.user_authenticate(ip_address=address, email=user.email, password="wrong-password-1", now=start)
    for minute in range(1, 15):
        with pytest.raises(RateLimited):
            services.user_authenticate(
                ip_address=address, email=user.email, password="wrong-password-1", now=start + minute * 60
            )
    assert (
        services.user_authenticate(ip_address=address, email=user.email, password=PASSWORD, now=start + 16 * 60).user_id
        == user.user_id
    )


def test_successful_sign_ins_do_not_count_towards_the_lock(user, address):
    now = _quarter_hour_boundary()
    for _ in range(4):
        services.user_authenticate(ip_address=address, email=user.email, password=PASSWORD, now=now)
    for _ in range(4):
        with pytest.raises(ValidationFailed):
            services.user_authenticate(ip_address=address, email=user.email, password="wrong-password-1", now=now)
    assert (
        services.user_authenticate(ip_address=address, email=user.email, password=PASSWORD, now=now).user_id
        == user.user_id
    )


ADDRESS_LIMIT = settings.WELLTRACK_LOGIN_FAILURES_PER_ADDRESS


def test_the_address_lock_refuses_the_right_password_of_a_real_account_too(user, address):
    for _ in range(ADDRESS_LIMIT):
        with pytest.raises(ValidationFailed):
            services.user_authenticate(ip_address=address, email=unique_email(), password="whatever-password")
    with pytest.raises(RateLimited) as caught:
        services.user_authenticate(ip_address=address, email=user.email, password=PASSWORD)
    assert "Too many failed sign-in attempts from your network" in caught.value.message
    assert ratelimit.attempts("login-failure", user.email, window_seconds=LOGIN_WINDOW) == 0  # not counted there
    other = f"10.61.{random.randint(1, 254)}.{random.randint(1, 254)}"
    assert services.user_authenticate(ip_address=other, email=user.email, password=PASSWORD).user_id == user.user_id


def test_successful_sign_ins_do_not_count_towards_the_address_lock(make_user, address):
    # An office behind one address: its people sign in freely; only failures count.
    for _ in range(ADDRESS_LIMIT + 5):
        colleague = make_user()
        services.user_authenticate(ip_address=address, email=colleague.email, password=PASSWORD)
    assert ratelimit.attempts("login-failure-ip", address, window_seconds=LOGIN_WINDOW) == 0


def test_sign_ins_refused_by_the_email_lock_are_not_counted_against_the_address(user, address):
    for _ in range(services.LOGIN_FAILURE_LIMIT):
        with pytest.raises(ValidationFailed):
            services.user_authenticate(ip_address=address, email=user.email, password="wrong-password-1")
    for _ in range(ADDRESS_LIMIT):
        with pytest.raises(RateLimited):
            services.user_authenticate(ip_address=address, email=user.email, password="wrong-password-1")
    assert ratelimit.attempts("login-failure-ip", address, window_seconds=LOGIN_WINDOW) == services.LOGIN_FAILURE_LIMIT


@pytest.mark.parametrize("has_account", [True, False], ids=["account", "no-account"])
def test_parallel_guesses_get_at_most_five_password_checks(user, monkeypatch, has_account, address):
    email = user.email if has_account else unique_email()
    checked = []
    real_check, real_hash = services.check_password, services.make_password
    monkeypatch.setattr(services, "check_password", lambda *a: checked.append(1) or real_check(*a))
    monkeypatch.setattr(services, "make_password", lambda *a: checked.append(1) or real_hash(*a))
    outcomes: list[str] = []
    barrier = threading.Barrier(20)

    def guess(n: int) -> None:
        barrier.wait()
        try:
            services.user_authenticate(ip_address=address, email=email, password=f"wrong-guess-{n}")
        except ValidationFailed:
            outcomes.append("checked")
        except RateLimited:
            outcomes.append("refused")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["checked"] * 5 + ["refused"] * 15
    assert len(checked) == 5
    with pytest.raises(RateLimited):
        services.user_authenticate(ip_address=address, email=email, password=PASSWORD)


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


def test_a_token_whose_write_landed_but_whose_answer_was_lost_is_issued(user):
    """botocore retries a PutItem whose answer was lost; the retry meets the first write's condition."""
    from accounts.models import Session
    from accounts.selectors import user_for_api_token
    from welltrack.faults import LandsThenLosesTheAnswer, injected

    with injected(LandsThenLosesTheAnswer(Session.Meta.table_name)) as hook:
        token, _expires = services.api_token_create(user=user)
    assert hook.landed
    assert user_for_api_token(token=token).user_id == user.user_id
