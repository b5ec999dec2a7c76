"""The access matrix: every URL of the project x every kind of visitor -> the expected status.

Each app lists its URLs in ``<app>/tests/access_rows.py`` as ``ROWS: list[Access]``.
``tests/test_access_matrix.py`` takes every URL pattern from Django's resolver, fails when
one has no row, and for each row and visitor checks the status, and that a refused
request wrote nothing to DynamoDB.

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
    url: Callable[[Any], str]  # world -> concrete URL (may create a fresh object to act on)
    expected: dict[str, int]
    data: Callable[[Any], dict] | None = None  # world -> form fields or JSON body
    json: bool = False  # send ``data`` as JSON (API) instead of a form post
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""
