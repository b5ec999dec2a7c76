"""Every write of the accounts area: registration, login, passwords, profile, API tokens."""

from __future__ import annotations

import random
import secrets
import time
import uuid
import zoneinfo
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.http import HttpRequest
from django.middleware.csrf import rotate_token
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.middleware import SessionUser, remember_user
from accounts.models import AnonymousUser, Session, SessionKind, User, UserEmail
from accounts.selectors import user_by_email, user_get
from accounts.session_store import USER_SESSION_KEY, hash_secret
from accounts.signals import password_changed
from welltrack import ratelimit
from welltrack.actor import Actor
from welltrack.audit import CREATE, UPDATE, audit_created, audit_diff, audit_record
from welltrack.dynamodb import transact_write
from welltrack.errors import Conflict, RateLimited, ValidationFailed, dynamo_errors

LOGIN_FAILURE_LIMIT = 5
LOGIN_WINDOW_SECONDS = 15 * 60
# The wait is the lock's real end: attempts are counted per minute, so it is 15 or 16 minutes.
LOGIN_REFUSED_MESSAGE = "Too many failed sign-in attempts for this email. Please try again in {minutes}."
LOGIN_ADDRESS_REFUSED_MESSAGE = "Too many failed sign-in attempts from your network. Please try again in {minutes}."
BAD_CREDENTIALS_MESSAGE = "That email and password do not match an account."
NAME_MAX = 120


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _clean_email(email: str) -> str:
    email = normalize_email(email)
    if not email:
        raise ValidationFailed({"email": "Enter your email address."})
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed({"email": "Enter a valid email address."}) from None
    return email


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed({"name": "Enter your name."})
    if len(name) > NAME_MAX:
        raise ValidationFailed({"name": f"Use at most {NAME_MAX} characters."})
    return name


def clean_time_zone(value: str) -> str:
    value = (value or "").strip()
    if value not in zoneinfo.available_timezones():
        raise ValidationFailed({"timeZone": "Choose a time zone from the list (for example Europe/London)."})
    return value


class _PasswordProbe:
    """What Django's similarity validator needs to know of a user: its attributes, no ORM."""

    class _meta:  # noqa: N801 - the validator reads user._meta.get_field(name).verbose_name
        @staticmethod
        def get_field(name):
            raise FieldDoesNotExist(name)

    def __init__(self, email: str, name: str) -> None:
        self.email, self.name = email, name


def _check_password_strength(password: str, *, email: str, name: str, field: str = "password") -> None:
    probe = _PasswordProbe(email, name)
    try:
        validate_password(password or "", user=probe)
    except DjangoValidationError as exc:
        raise ValidationFailed({field: " ".join(exc.messages)}) from None


REGISTER_ATTEMPTS = 5
EMAIL_TAKEN_MESSAGE = "An account with this email already exists. Sign in instead."
REGISTER_BUSY_MESSAGE = "We could not create your account just now. Please try again."


def user_register(*, email: str, password: str, name: str, time_zone: str = "UTC", ip_address: str = "unknown") -> User:
    """Create an account. The email is unique: the UserEmails guard item is written with
    ``attribute_not_exists`` in the same transaction as the user, so of N concurrent
    registrations exactly one succeeds.

    A cancelled transaction is not proof that the email is taken: DynamoDB cancels *both*
    of two racing transactions on the guard item (TransactionConflict), and neither wrote
    anything. So after a cancellation the guard is read (strongly consistent): present, the
    email is taken; absent, the transaction is tried again (a few times, with a short random
    pause so the racers do not collide again)."""
    email = _clean_email(email)
    name = _clean_name(name)
    time_zone = clean_time_zone(time_zone or "UTC")
    _check_password_strength(password, email=email, name=name)
    now = datetime.now(UTC)
    user = User(
        str(uuid.uuid4()),
        email=email,
        name=name,
        time_zone=time_zone,
        password_hash=make_password(password),
        created_at=now,
        updated_at=now,
    )
    actor = Actor(user_id=user.user_id, ip_address=ip_address)
    for attempt in range(REGISTER_ATTEMPTS):
        try:
            with dynamo_errors(), transact_write() as tx:
                tx.save(UserEmail(email, user_id=user.user_id), condition=UserEmail.email.does_not_exist())
                tx.save(user, condition=User.user_id.does_not_exist())
                audit_record(
                    tx,
                    actor=actor,
                    entity_type="USER",
                    entity_id=user.user_id,
                    entity_name=name,
                    action=CREATE,
                    changes=audit_created({"email": email, "name": name, "timeZone": time_zone}),
                    timestamp=now,
                )
        except Conflict:
            guard = _email_guard(email)
            if guard is not None:
                if guard.user_id == user.user_id:
                    return user  # ours after all: a retried request whose first try went through
                raise ValidationFailed({"email": EMAIL_TAKEN_MESSAGE}) from None
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        else:
            return user
    raise ValidationFailed({"email": REGISTER_BUSY_MESSAGE})


def _email_guard(email: str) -> UserEmail | None:
    return UserEmail.get_or_none(email)


def user_authenticate(*, email: str, password: str, ip_address: str, now: float | None = None) -> User:
    """The user for these credentials. Two locks, with the same answers whether or not the
    account exists:

    - five failures for one email within a rolling 15 minutes lock that email until the oldest
      of them is 15 minutes old;
    - ``WELLTRACK_LOGIN_FAILURES_PER_ADDRESS`` failures from one client address in the same
      window, whatever the emails, lock that address (one client spraying passwords across
      many accounts).

    Each attempt is counted atomically in both *before* the password is checked, and given back
    in both when the password was right, so parallel guesses cannot slip past a count: at most
    five wrong passwords per email, and the address limit per address, are ever checked in the
    window. An attempt refused by one lock is counted in neither. ``now`` is for tests."""
    email = normalize_email(email)
    per_address = ratelimit.attempt(
        "login-failure-ip",
        ip_address,
        limit=settings.WELLTRACK_LOGIN_FAILURES_PER_ADDRESS,
        window_seconds=LOGIN_WINDOW_SECONDS,
        message=LOGIN_ADDRESS_REFUSED_MESSAGE,
        now=now,
    )
    try:
        per_email = ratelimit.attempt(
            "login-failure",
            email,
            limit=LOGIN_FAILURE_LIMIT,
            window_seconds=LOGIN_WINDOW_SECONDS,
            message=LOGIN_REFUSED_MESSAGE,
            now=now,
        )
    except RateLimited:
        per_address.refund()
        raise
    user = user_by_email(email=email) if email else None
    if user is None:
        make_password(password)  # spend the same time as a real check
    elif check_password(password, user.password_hash):
        # A sign-in that succeeds is not a failed attempt: an office behind one address signs in freely.
        per_email.refund()
        per_address.refund()
        return user
    raise ValidationFailed({"__all__": BAD_CREDENTIALS_MESSAGE})


def user_login(*, request: HttpRequest, user: User) -> None:
    """Start a fresh session for the user: a new key (no fixation), a new CSRF token."""
    request.session.cycle_key()
    request.session[USER_SESSION_KEY] = user.user_id
    remember_user(request.session, user)
    rotate_token(request)
    request.user = SessionUser(user.user_id, user.name, user.email, user.time_zone)
    _touch_last_login(user)


def _touch_last_login(user: User) -> None:
    # Not audited and not version-checked: a sign-in must never conflict with a profile edit.
    with dynamo_errors():
        user.update(actions=[User.last_login_at.set(datetime.now(UTC))], add_version_condition=False)


def user_logout(*, request: HttpRequest) -> None:
    """Delete the session item: replaying the old cookie finds nothing."""
    request.session.flush()
    request.user = AnonymousUser()


def sessions_end_all(*, user_id: str, keep_session_key: str | None = None) -> int:
    keep = hash_secret(keep_session_key) if keep_session_key else None
    ended = 0
    with dynamo_errors():
        for item in Session.user_sessions_index.query(user_id):
            if item.session_id != keep:
                Session(item.session_id).delete()
                ended += 1
    return ended


def _set_password(*, user: User, new_password: str, actor: Actor) -> None:
    now = datetime.now(UTC)
    user.password_hash = make_password(new_password)
    user.updated_at = now
    with dynamo_errors(), transact_write() as tx:
        tx.save(user)
        audit_record(
            tx,
            actor=actor,
            entity_type="USER",
            entity_id=user.user_id,
            entity_name=user.name,
            action=UPDATE,
            changes={"password": {"old": "(hidden)", "new": "(changed)"}},
            timestamp=now,
        )


def password_change(
    *, user: User, old_password: str, new_password: str, actor: Actor, keep_session_key: str | None
) -> None:
    """Change the password and end every other session and API token of the user; the later
    apps revoke their own credentials of the user (accounts.signals.password_changed)."""
    if not check_password(old_password or "", user.password_hash):
        raise ValidationFailed({"old_password": "Your current password was entered incorrectly."})
    _check_password_strength(new_password, email=user.email, name=user.name, field="new_password")
    _set_password(user=user, new_password=new_password, actor=actor)
    sessions_end_all(user_id=user.user_id, keep_session_key=keep_session_key)
    password_changed.send(sender=User, user_id=user.user_id, actor=actor)


class _ResetTokens(PasswordResetTokenGenerator):
    """Django's reset tokens, keyed on our user's password hash: a token dies once it is used."""

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        last_login = "" if user.last_login_at is None else user.last_login_at.replace(microsecond=0, tzinfo=None)
        return f"{user.user_id}{user.password_hash}{last_login}{timestamp}{user.email}"


reset_tokens = _ResetTokens()

RESET_REQUEST_LIMIT = 5  # per email, whether or not it has an account
RESET_IP_LIMIT = 20  # per client address
RESET_WINDOW_SECONDS = 60 * 60
RESET_REFUSED_MESSAGE = "Too many password-reset requests for this email. Please try again in {minutes}."
RESET_IP_REFUSED_MESSAGE = "Too many password-reset requests from your network. Please try again in {minutes}."


def password_reset_request(*, email: str, ip_address: str) -> None:
    """Email a reset link when the account exists; say nothing either way. At most five
    requests per email and twenty per client address in a rolling hour."""
    email = _clean_email(email)
    ratelimit.hit(
        "password-reset-ip",
        ip_address,
        limit=RESET_IP_LIMIT,
        window_seconds=RESET_WINDOW_SECONDS,
        message=RESET_IP_REFUSED_MESSAGE,
    )
    ratelimit.hit(
        "password-reset",
        email,
        limit=RESET_REQUEST_LIMIT,
        window_seconds=RESET_WINDOW_SECONDS,
        message=RESET_REFUSED_MESSAGE,
    )
    user = user_by_email(email=email)
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.user_id))
    token = reset_tokens.make_token(user)
    link = f"{settings.WELLTRACK_BASE_URL.rstrip('/')}/accounts/reset/{uid}/{token}/"
    context = {"user": user, "link": link, "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    send_mail(
        "Reset your WellTrack password",
        render_to_string("accounts/email/password_reset.txt", context),
        None,
        [user.email],
    )


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """The user a reset link is for, or None when the link is invalid, used or expired."""
    try:
        user_id = urlsafe_base64_decode(uidb64).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    user = user_get(user_id=user_id)
    if user is None or not reset_tokens.check_token(user, token):
        return None
    return user


def password_reset_complete(*, user: User, new_password: str, ip_address: str) -> None:
    """Set the new password and end every session and API token of the user; the later apps
    revoke their own credentials of the user (accounts.signals.password_changed)."""
    _check_password_strength(new_password, email=user.email, name=user.name, field="new_password")
    actor = Actor(user_id=user.user_id, ip_address=ip_address)
    _set_password(user=user, new_password=new_password, actor=actor)
    sessions_end_all(user_id=user.user_id)
    password_changed.send(sender=User, user_id=user.user_id, actor=actor)


def profile_update(*, user: User, name: str, time_zone: str, actor: Actor) -> User:
    """Name and time zone; optimistic lock on the user's version."""
    name = _clean_name(name)
    time_zone = clean_time_zone(time_zone)
    before = {"name": user.name, "timeZone": user.time_zone}
    after = {"name": name, "timeZone": time_zone}
    changes = audit_diff(before, after)
    if not changes:
        return user
    now = datetime.now(UTC)
    user.name, user.time_zone, user.updated_at = name, time_zone, now
    with dynamo_errors(), transact_write() as tx:
        tx.save(user)
        audit_record(
            tx,
            actor=actor,
            entity_type="USER",
            entity_id=user.user_id,
            entity_name=name,
            action=UPDATE,
            changes=changes,
            timestamp=now,
        )
    return user


def api_token_create(*, user: User) -> tuple[str, datetime]:
    """A new bearer token (256 random bits); only its SHA-256 is stored."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires_at = now + timedelta(seconds=settings.API_TOKEN_AGE)
    item = Session(
        hash_secret(token), kind=SessionKind.API, user_id=user.user_id, created_at=now, expires_at=expires_at
    )
    try:
        with dynamo_errors():
            item.save(condition=Session.session_id.does_not_exist())
    except Conflict:
        # The token is new, so only this write can have stored it: an attempt whose answer was
        # lost (a timeout) had landed, and botocore's retry met its own condition.
        stored = Session.get_or_none(item.session_id)
        if stored is None or (stored.user_id, stored.created_at) != (user.user_id, now):
            raise
    _touch_last_login(user)
    return token, expires_at


def api_token_revoke(*, token: str) -> None:
    with dynamo_errors():
        Session(hash_secret(token)).delete()


REGISTER_LIMIT_PER_HOUR = 20
REGISTER_REFUSED_MESSAGE = "Too many sign-ups from your network. Please try again in {minutes}."


def register_rate_check(*, ip_address: str) -> None:
    """At most 20 registration attempts from one address in a rolling hour."""
    ratelimit.hit(
        "register", ip_address, limit=REGISTER_LIMIT_PER_HOUR, window_seconds=60 * 60, message=REGISTER_REFUSED_MESSAGE
    )
