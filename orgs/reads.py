"""How a request reads who it is, what it may do, and the records it asks for: this one module.

Every page and API endpoint asks ``request.reads`` (a :class:`RequestReads`, put there by
:class:`RequestReadsMiddleware`) before it reads or writes an organization's data:

``reads.authorize(org_id, action)``
    the user's ACTIVE membership, or NotFound (not a member: the same answer as an org that
    does not exist) or Forbidden (the role is too low).
``reads.can(org_id, action)`` / ``reads.membership(org_id)``
    the same question without raising, to show or hide what the user may do.
``reads.record(Model, key, action, ...)``
    an organization's record (a well, a stage, an event, a project, a file) with the membership
    that allows it: a :class:`RecordAccess`. A record of an organization the user is not a member
    of is NotFound, exactly like a record that does not exist.
``reads.org_deletion(org_id)`` / ``reads.forget_memberships()``
    deleting (or finishing deleting) an organization; after a service changed the user's own
    membership within the request.

Memberships are read strongly consistent, with the organization, and kept on this object only
(one request), so a removal or a demotion applies on the member's very next request. A request
without a session (a private calendar link) uses :func:`orgs.permissions.authorize_user`.

What this module does so that a page costs few round trips to DynamoDB, and what keeps it safe:

1. **The session with the first read.** A GET or HEAD whose session this process has seen
   before does not read it on its own: it is read in the same BatchGetItem as the membership
   (``signed_in()`` lets the request go on; ``accounts.middleware.defer_session_check``). The
   session is still checked on every request before anything read with it is used, and a
   session that has ended answers NotAuthenticated (API 401, pages: to sign in). A request that
   reads nothing for its user has its session checked before the answer leaves (the
   middleware). Requests that may write (POST, PUT, PATCH, DELETE) check the session first,
   always: no write can happen before it.
2. **The organization of a record, remembered.** A record's organization never changes, so once
   this process has read a record, the next request for it reads the record in the same
   BatchGetItem as the membership, and checks it still belongs to that organization.
3. **Reads ahead.** ``record(..., then=fn, hint=(attributes...))`` starts ``fn(record)`` before
   the record is read and the user authorized, from the record as this process last saw it (its
   key, organization and the ``hint`` attributes): the event Queries of a well go out together
   with the authorization's read. The answer is used only after authorization, and only if the
   record still has those attribute values; otherwise ``fn`` runs again on the fresh record. A
   refused request never sees what was read ahead for it.

The remembered organizations and hints are one bounded LRU (``orgs.reads.records_seen``,
welltrack.caches); a missing entry costs one round trip, a wrong one is detected and re-read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.http import HttpRequest, HttpResponse

from accounts.middleware import accept_session, defer_session_check, user_resolved
from orgs.models import Membership, MembershipStatus, Organization, OrgStatus
from orgs.permissions import Action, Role, active, check_role, membership_id, role_allows
from welltrack.caches import bounded_cache
from welltrack.concurrency import read_ahead
from welltrack.dynamodb import WellTrackModel, batch_get_consistent
from welltrack.errors import DependencyUnavailable, NotAuthenticated, NotFound
from welltrack.middleware import error_response

T = TypeVar("T")
R = TypeVar("R", bound=WellTrackModel)

SAFE_METHODS = frozenset({"GET", "HEAD"})

# (table base name, key) -> _Seen: the record's organization (it never changes) and the values of
# the attributes a read ahead was shaped by (they may change: only a guess).
records_seen = bounded_cache("orgs.reads.records_seen", maxsize=50_000)


@dataclass(frozen=True)
class _Seen:
    org_id: str
    hint: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class RecordAccess(Generic[R, T]):
    """A record the user may act on, the membership that allows it, and what ``then`` answered."""

    item: R
    membership: Membership
    then: T | None = None

    @property
    def organization(self) -> Organization:
        return self.membership.organization


@dataclass(frozen=True)
class SignedIn:
    """A request that may go on as a signed-in user's. ``checked``: its session has been read
    and is a user's; False: it is to be read and checked with the request's first read for its
    user (GET and HEAD only; see the module's docstring, 1.)."""

    checked: bool


@dataclass(frozen=True)
class _MembershipRead:
    membership: Membership | None
    organization: Organization | None
    records: list


def _seen_key(model: type[WellTrackModel], key: str) -> tuple[str, str]:
    return model.Meta.base_name, key


def _hint_of(item: WellTrackModel, hint: Sequence[str]) -> tuple[tuple[str, Any], ...]:
    return tuple((name, getattr(item, name)) for name in hint)


class RequestReads:
    """The reads of one request; see the module's docstring."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._memberships: dict[str, Membership | None] = {}
        self._session_deferred = False

    # --- who is asking -------------------------------------------------------------------

    def signed_in(self) -> SignedIn | None:
        """Whether the request may go on as a signed-in user's (None: it may not)."""
        request = self._request
        if (
            not user_resolved(request)
            and request.method in SAFE_METHODS
            and (self._session_deferred or defer_session_check(request) is not None)
        ):
            self._session_deferred = True
            return SignedIn(checked=False)
        return SignedIn(checked=True) if request.user.is_authenticated else None

    def settle(self) -> None:
        """Before the answer leaves: a deferred session that no read has checked is checked now.
        NotAuthenticated when it has ended."""
        if self._session_deferred and not user_resolved(self._request):
            self._request.user.is_authenticated  # noqa: B018 (resolving request.user reads and checks the session)

    # --- memberships ---------------------------------------------------------------------

    def membership(self, org_id: str) -> Membership | None:
        """The user's ACTIVE membership of an ACTIVE organization, or None."""
        if not org_id:
            return None
        if org_id not in self._memberships:
            try:
                read = self._read(org_id)
            except NotFound:
                return None
            self._keep(org_id, read)
        return self._memberships[org_id]

    def authorize(self, org_id: str, action: Action = Action.VIEW) -> Membership:
        membership = self.membership(org_id)
        if membership is None:
            raise NotFound()
        check_role(membership, action)
        return membership

    def can(self, org_id: str, action: Action) -> bool:
        membership = self.membership(org_id)
        return membership is not None and role_allows(membership.role, action)

    def forget_memberships(self) -> None:
        """After a service changed the user's own membership within this request."""
        self._memberships.clear()

    def org_deletion(self, org_id: str) -> Membership:
        """May this user delete the organization, or finish deleting it?

        As authorize(…, DELETE_ORG) for an ACTIVE organization. A DELETED one is reachable here
        only by an owner whose membership is still ACTIVE: its deletion was cut short before the
        memberships were all released (an owner's own goes last), and running it again finishes.
        Everyone else gets NotFound, as for any deleted organization.
        """
        if not org_id:
            raise NotFound()
        read = self._read(org_id)
        membership, org = read.membership, read.organization
        if membership is None or membership.status != MembershipStatus.ACTIVE or org is None:
            raise NotFound()
        if org.status == OrgStatus.DELETED:
            if membership.role != Role.OWNER.value:
                raise NotFound()
            return membership
        if org.status != OrgStatus.ACTIVE:
            raise NotFound()
        check_role(membership, Action.DELETE_ORG)
        return membership

    # --- records -------------------------------------------------------------------------

    def record(
        self,
        model: type[R],
        key: str,
        action: Action = Action.VIEW,
        *,
        org_id: str | None = None,
        hidden: Callable[[R], bool] | None = None,
        include_hidden: bool = False,
        then: Callable[[R], T] | None = None,
        hint: Sequence[str] = (),
    ) -> RecordAccess[R, T]:
        """The record ``model`` ``key`` if the user may ``action`` it (NotFound / Forbidden).

        ``org_id``: its organization when the caller knows it (a stage's well is of the stage's
        organization); else the one this process remembers, else the record is read first.
        ``hidden(item)``: a record on its way out (an interrupted deletion) is NotFound, unless
        ``include_hidden`` and the user may ``action`` it (to finish the deletion).
        ``then(item)``: read with the record (see the module's docstring, 3.), answered in
        ``RecordAccess.then``; ``hint`` names the attributes it depends on besides the key and org.
        """
        seen = records_seen.get(_seen_key(model, key))
        org_id = org_id or (seen.org_id if seen else None)
        guess = None
        if then is not None and seen is not None and seen.org_id == org_id and len(seen.hint) == len(hint):
            guess = model(key, org_id=org_id, **dict(seen.hint))
        with read_ahead(then, guess) if guess is not None else nullcontext() as ahead:
            item = self._record(model, key, org_id)
            if hint or seen is None or seen.org_id != item.org_id:
                records_seen.set(_seen_key(model, key), _Seen(item.org_id, _hint_of(item, hint)))
            membership = self.membership(item.org_id)
            if membership is None:
                raise NotFound()
            if hidden is not None and hidden(item) and not (include_hidden and role_allows(membership.role, action)):
                raise NotFound()
            check_role(membership, action)
            answer = None
            if then is not None:
                answer = ahead.result() if ahead is not None and _hint_of(item, hint) == seen.hint else then(item)
        return RecordAccess(item, membership, answer)

    def _record(self, model: type[R], key: str, org_id: str | None) -> R:
        if org_id is None or org_id in self._memberships:
            item = model.get_or_404(key)
        else:
            read = self._read(org_id, [(model, key)])
            self._keep(org_id, read)
            item = read.records[0]
            if item is None:
                raise NotFound()
        if org_id is not None and item.org_id != org_id:
            raise NotFound()  # another organization's record looks exactly like a missing one
        return item

    # --- the one read --------------------------------------------------------------------

    def _keep(self, org_id: str, read: _MembershipRead) -> None:
        self._memberships[org_id] = read.membership if active(read.membership, read.organization) else None

    def _read(self, org_id: str, records: Sequence[tuple[type[WellTrackModel], str]] = ()) -> _MembershipRead:
        """One BatchGetItem: the membership, the organization, ``records`` and, when deferred, the
        session, all strongly consistent. NotFound without a signed-in user."""
        request = self._request
        ahead = defer_session_check(request) if self._session_deferred else None
        if ahead is None:
            if not request.user.is_authenticated:
                raise NotFound()
            return _read_membership(org_id, request.user.user_id, records)
        read = _read_membership(org_id, ahead.guessed_user_id, [*records, (ahead.model, ahead.key)])
        accept_session(request, read.records.pop())
        user = request.user  # from the session just read: NotAuthenticated if it has ended
        if user.user_id != ahead.guessed_user_id:
            return _read_membership(org_id, user.user_id, records)
        return read


def _read_membership(
    org_id: str, user_id: str, records: Sequence[tuple[type[WellTrackModel], str]] = ()
) -> _MembershipRead:
    membership, org, *found = batch_get_consistent(
        [(Membership, membership_id(org_id, user_id)), (Organization, org_id), *records]
    )
    if membership is not None and org is not None:
        membership.organization = org
    return _MembershipRead(membership, org, found)


class RequestReadsMiddleware:
    """Puts ``request.reads`` on every request; a deferred session is checked before the answer leaves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.reads = RequestReads(request)
        response = self.get_response(request)
        try:
            request.reads.settle()
        except (NotAuthenticated, DependencyUnavailable) as exc:
            return error_response(request, exc)
        return response
