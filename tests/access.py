"""The access matrix: every URL of the project x every kind of visitor -> the expected status.

Each app lists its URLs in ``<app>/tests/access_rows.py`` as ``ROWS: list[Access]``.
``tests/test_access_matrix.py`` takes every URL pattern from Django's resolver and every
method its view accepts (a method the view does not answer with 405), fails when such a
(pattern, method) has no row, and for each row and visitor checks the status, that a refused
request wrote nothing to DynamoDB, and, for rows that name who writes (``writes``), that
exactly those visitors' requests wrote data.

Visitors: ``anonymous``, ``outsider`` (owner of another org), and the members ``VIEWER``,
``EDITOR``, ``ADMIN``, ``OWNER`` of the world's org.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

VISITORS = ("anonymous", "outsider", "VIEWER", "EDITOR", "ADMIN", "OWNER")
MEMBER_ROLES = ("VIEWER", "EDITOR", "ADMIN", "OWNER")
RANK = {"VIEWER": 1, "EDITOR": 2, "ADMIN": 3, "OWNER": 4}


def expect(
    min_role: str | None,
    ok: int = 200,
    *,
    anonymous: int | None = None,
    outsider: int = 404,
    api: bool = False,
    overrides: dict[str, int] | None = None,
) -> dict[str, int]:
    """Statuses for a URL that members of at least ``min_role`` may use.

    ``min_role=None``: anyone, signed in or not, gets ``ok``. Anonymous visitors otherwise
    get 401 on the API and a 302 to the login page on pages; outsiders 404; members below
    the role 403.
    """
    if min_role is None:
        result = {visitor: ok for visitor in VISITORS}
    else:
        result = {
            "anonymous": anonymous if anonymous is not None else (401 if api else 302),
            "outsider": outsider,
        }
        for role in MEMBER_ROLES:
            result[role] = ok if RANK[role] >= RANK[min_role] else 403
    result.update(overrides or {})
    return result


@dataclass(frozen=True)
class Access:
    route: str  # the resolver's route, e.g. "orgs/<str:org_id>/members/" or "api/orgs/<org_id>"
    method: str  # GET, POST, PATCH, PUT, DELETE
    url: Callable[..., str]  # world -> concrete URL (may create a fresh object to act on)
    expected: dict[str, int]
    data: Callable[..., dict] | None = None  # world -> form fields or JSON body
    json: bool = False  # send ``data`` as JSON (API) instead of a form post
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""
    # The visitors whose request must write data to DynamoDB; every other visitor's request
    # must write none (sessions and rate-limit counters aside). None: only refusals are checked.
    # Naming the writers is also the positive control of the write hook: if it ever stopped
    # seeing writes, these rows would fail instead of every "nothing was written" passing.
    writes: tuple[str, ...] | None = None
    # url and data take (world, visitor) instead of (world): a link made for each visitor
    # (an invitation to the visitor's own address, say).
    for_visitor: bool = False

    def url_for(self, world: Any, visitor: str) -> str:
        return self.url(world, visitor) if self.for_visitor else self.url(world)

    def data_for(self, world: Any, visitor: str) -> dict:
        if self.data is None:
            return {}
        return self.data(world, visitor) if self.for_visitor else self.data(world)
