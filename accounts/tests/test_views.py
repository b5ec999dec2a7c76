import random
import re
import threading
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import BCryptSHA256PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import User
from accounts.selectors import user_by_email
from conftest import PASSWORD
from welltrack import ratelimit
from welltrack.faults import Canceller, injected
from welltrack.testing import sign_in


def test_register_page_creates_account_and_signs_in(client):
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    response = client.post(
        reverse("accounts:register"),
        {"name": "Rita Rig", "email": email, "password": PASSWORD, "time_zone": "Asia/Almaty"},
    )
    assert response.status_code == 302
    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200
    assert "Rita Rig" in page.content.decode()
    assert "Asia/Almaty" in page.content.decode()


def test_register_page_shows_duplicate_email_next_to_the_field_and_keeps_input(client, user):
    response = client.post(
        reverse("accounts:register"),
        {"name": "Copy Cat", "email": user.email, "password": PASSWORD, "time_zone": "UTC"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "already exists" in body
    assert 'value="Copy Cat"' in body


def test_login_rotates_the_session_key_and_logout_kills_the_old_cookie(client, user):
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.cookies.get("sessionid").value if client.cookies.get("sessionid") else None
    response = client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    session_cookie = client.cookies["sessionid"].value
    assert session_cookie != before
    assert client.get(reverse("accounts:profile")).status_code == 200

    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies["sessionid"] = session_cookie
    response = replay.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_login_updates_last_login(client, user):
    assert User.get(user.user_id).last_login_at is None
    client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert User.get(user.user_id).last_login_at is not None


def test_bad_login_says_so_without_revealing_the_account(client, user):
    wrong = client.post(reverse("accounts:login"), {"email": user.email, "password": "nope-nope-nope"})
    ghost = client.post(reverse("accounts:login"), {"email": "nobody@example.com", "password": "nope-nope-nope"})
    assert wrong.status_code == ghost.status_code == 401
    assert "do not match" in wrong.content.decode()
    assert "do not match" in ghost.content.decode()


def test_sixth_login_attempt_is_refused_with_a_clear_message(client, user):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"email": user.email, "password": "wrong-password-x"})
    response = client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 16 * 60


def test_pages_redirect_anonymous_users_to_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_form_posts_without_csrf_token_are_refused(csrf_client, user):
    response = csrf_client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "sessionid" not in csrf_client.cookies or not csrf_client.cookies["sessionid"].value


def test_password_change_ends_other_sessions_but_keeps_this_one(client_for, user):
    here, elsewhere = client_for(user), client_for(user)
    response = here.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password": "a-brand-new-secret-42"},
    )
    assert response.status_code == 302
    assert here.get(reverse("accounts:profile")).status_code == 200
    assert elsewhere.get(reverse("accounts:profile")).status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(client_for, user):
    c = client_for(user)
    response = c.post(
        reverse("accounts:password-change"), {"old_password": "wrong", "new_password": "another-secret-99"}
    )
    assert response.status_code == 422
    assert "incorrectly" in response.content.decode()
    assert User.get(user.user_id).password_hash == user.password_hash


def _reset_link(outbox) -> str:
    match = re.search(r"http://[^\s]+/accounts/reset/[^\s]+/", outbox[-1].body)
    assert match, outbox[-1].body
    return match.group(0).split("127.0.0.1:8000")[-1]


def test_password_reset_by_emailed_link_works_once_and_ends_sessions(client, client_for, user):
    old_session = client_for(user)
    mail.outbox.clear()
    response = client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    link = _reset_link(mail.outbox)

    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password": "reset-secret-2026!"})
    assert response.status_code == 302
    assert old_session.get(reverse("accounts:profile")).status_code == 302
    login = client.post(reverse("accounts:login"), {"email": user.email, "password": "reset-secret-2026!"})
    assert login.status_code == 302

    again = Client().post(link, {"new_password": "yet-another-secret-7"})
    assert again.status_code == 410


def test_password_reset_for_unknown_email_looks_the_same_and_sends_nothing(client):
    mail.outbox.clear()
    response = client.post(reverse("accounts:password-reset"), {"email": "ghost@example.com"})
    assert response.status_code == 200
    assert "If an account exists" in response.content.decode()
    assert mail.outbox == []


def test_profile_update_changes_name_and_time_zone(client_for, user):
    c = client_for(user)
    response = c.post(reverse("accounts:profile"), {"name": "Erin E. Editor", "time_zone": "America/Chicago"})
    assert response.status_code == 302
    stored = User.get(user.user_id)
    assert (stored.name, stored.time_zone) == ("Erin E. Editor", "America/Chicago")


def test_profile_rejects_unknown_time_zone(client_for, user):
    c = client_for(user)
    response = c.post(reverse("accounts:profile"), {"name": "X", "time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert User.get(user.user_id).time_zone == "UTC"


def test_session_cookie_is_httponly_and_lax(client, user):
    client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_sign_in_helper_gives_a_working_session(client, user):
    sign_in(client, user)
    assert user.name in client.get(reverse("accounts:profile")).content.decode()


def test_concurrent_sign_ups_of_one_email_give_one_account_and_form_errors_for_the_rest():
    # Every racer's first transaction is cancelled as DynamoDB does when two collide
    # (TransactionConflict): nobody may be told "already exists" before an account does exist.
    email = f"race-{uuid.uuid4().hex[:8]}@example.com"
    racers = 6
    responses: list = []
    barrier = threading.Barrier(racers)

    def sign_up(n: int) -> None:
        c = Client(REMOTE_ADDR=f"10.9.{n}.{random.randint(1, 254)}")
        barrier.wait()
        responses.append(
            c.post(
                reverse("accounts:register"),
                {"name": f"Racer {n}", "email": email, "password": PASSWORD, "time_zone": "UTC"},
            )
        )

    with injected(Canceller("TransactionConflict", times=racers)):
        threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(racers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302] + [422] * (racers - 1)
    for refused in (r for r in responses if r.status_code == 422):
        assert "An account with this email already exists" in refused.content.decode()
    assert len(list(User.email_index.query(email))) == 1
    assert user_by_email(email=email) is not None


def _sign_up(address: str, email: str):
    return Client(REMOTE_ADDR=address).post(
        reverse("accounts:register"), {"name": "Burst Signup", "email": email, "password": PASSWORD, "time_zone": "UTC"}
    )


def test_the_21st_sign_up_from_one_address_in_an_hour_is_refused_and_creates_nothing():
    address = f"10.21.{random.randint(1, 254)}.{random.randint(1, 254)}"
    for n in range(services.REGISTER_LIMIT_PER_HOUR):
        assert _sign_up(address, f"burst-{n}-{uuid.uuid4().hex[:6]}@example.com").status_code == 302
    email = f"one-too-many-{uuid.uuid4().hex[:6]}@example.com"
    response = _sign_up(address, email)
    assert response.status_code == 429
    assert "Too many sign-ups from your network. Please try again in" in response.content.decode()
    assert 3000 < int(response["Retry-After"]) <= 3600 + 3600 // ratelimit.SLOTS  # an hour, counted in 4-minute steps
    assert user_by_email(email=email) is None
    assert ratelimit.attempts("register", address, window_seconds=3600) == services.REGISTER_LIMIT_PER_HOUR
    assert _sign_up(f"10.22.{random.randint(1, 254)}.1", email).status_code == 302  # another address is not held up


def _bcrypt_runs(monkeypatch) -> list:
    """Every bcrypt run of this process from now on: make_password and check_password both go
    through the hasher's ``encode`` (its ``verify`` calls it)."""
    runs: list = []
    real = BCryptSHA256PasswordHasher.encode
    monkeypatch.setattr(
        BCryptSHA256PasswordHasher, "encode", lambda self, *a, **kw: runs.append(1) or real(self, *a, **kw)
    )
    return runs


def test_sign_ins_to_forty_emails_from_one_address_are_refused_past_the_limit_before_bcrypt(monkeypatch):
    client = Client(REMOTE_ADDR=f"10.50.{random.randint(1, 254)}.{random.randint(1, 254)}")
    limit = settings.WELLTRACK_LOGIN_FAILURES_PER_ADDRESS
    runs = _bcrypt_runs(monkeypatch)
    responses = [
        client.post(
            reverse("accounts:login"), {"email": f"spray-{n}-{uuid.uuid4().hex[:6]}@example.com", "password": "guess-1"}
        )
        for n in range(40)
    ]
    assert [r.status_code for r in responses] == [401] * limit + [429] * (40 - limit)
    assert len(runs) == limit
    refused = responses[-1]
    assert "Too many failed sign-in attempts from your network. Please try again in" in refused.content.decode()
    assert 14 * 60 <= int(refused["Retry-After"]) <= 16 * 60


def _ask_reset(address: str, email: str):
    return Client(REMOTE_ADDR=address).post(reverse("accounts:password-reset"), {"email": email})


def test_the_sixth_reset_request_for_one_email_in_an_hour_is_refused_and_sends_nothing(user):
    mail.outbox.clear()
    for n in range(services.RESET_REQUEST_LIMIT):
        assert _ask_reset(f"10.30.{n}.{random.randint(1, 254)}", user.email).status_code == 200
    assert len(mail.outbox) == services.RESET_REQUEST_LIMIT
    response = _ask_reset(f"10.31.9.{random.randint(1, 254)}", user.email)
    assert response.status_code == 429
    assert "Too many password-reset requests for this email. Please try again in" in response.content.decode()
    assert 3000 < int(response["Retry-After"]) <= 3600 + 3600 // ratelimit.SLOTS  # an hour, counted in 4-minute steps
    assert len(mail.outbox) == services.RESET_REQUEST_LIMIT
    assert ratelimit.attempts("password-reset", user.email, window_seconds=3600) == services.RESET_REQUEST_LIMIT


def test_the_21st_reset_request_from_one_address_in_an_hour_is_refused_and_sends_nothing(user):
    address = f"10.32.{random.randint(1, 254)}.{random.randint(1, 254)}"
    mail.outbox.clear()
    for n in range(services.RESET_IP_LIMIT):
        assert _ask_reset(address, f"ghost-{n}-{uuid.uuid4().hex[:6]}@example.com").status_code == 200
    response = _ask_reset(address, user.email)
    assert response.status_code == 429
    assert "Too many password-reset requests from your network. Please try again in" in response.content.decode()
    assert mail.outbox == []
    assert ratelimit.attempts("password-reset", user.email, window_seconds=3600) == 0


def _reset_link_for(client, user) -> str:
    mail.outbox.clear()
    client.post(reverse("accounts:password-reset"), {"email": user.email})
    return _reset_link(mail.outbox)


def _clock_moved(monkeypatch, minutes: int) -> None:
    later = datetime.now() + timedelta(minutes=minutes)  # Django's reset tokens count in naive local time
    monkeypatch.setattr(services.reset_tokens, "_now", lambda: later)


def test_a_reset_link_61_minutes_old_is_refused_and_changes_nothing(client, user, monkeypatch):
    link = _reset_link_for(client, user)
    _clock_moved(monkeypatch, 61)
    page = client.get(link)
    assert page.status_code == 410
    assert "It has expired (links work for one hour)" in page.content.decode()
    post = client.post(link, {"new_password": "too-late-secret-61"})
    assert post.status_code == 410
    assert User.get(user.user_id).password_hash == user.password_hash


def test_a_reset_link_59_minutes_old_still_works(client, user, monkeypatch):
    link = _reset_link_for(client, user)
    _clock_moved(monkeypatch, 59)
    assert client.get(link).status_code == 200
    assert client.post(link, {"new_password": "just-in-time-secret-59"}).status_code == 302
    login = Client().post(reverse("accounts:login"), {"email": user.email, "password": "just-in-time-secret-59"})
    assert login.status_code == 302
