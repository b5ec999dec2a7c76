"""What the app logs and how: the request id, the formats, and what never reaches a log line.

- Every request has an id (``X-Request-ID`` in and out, see welltrack.middleware.RequestLogMiddleware).
  While the request runs it is the current one (a context variable, so thread-pool tasks started
  with a copy of the context see it too), and :class:`RequestContextFilter` puts its id on every
  log line written meanwhile, whichever logger writes it.
- Two formats, one handler: ``json`` (one JSON object per line, python-json-logger's
  ``JsonFormatter``; production) and ``console`` (one readable line; development).
  ``WELLTRACK_LOG_FORMAT`` chooses; unset, DEBUG decides. gunicorn.conf.py uses the same
  configuration, so gunicorn's own lines are JSON too.
- No secret in a log line: bodies, headers and cookies are never logged; a path is logged with
  its secret segments (URL parameters named in SECRET_URL_PARAMETERS, e.g. the .ics feed's and the
  password reset link's ``token``) and secret-looking query values replaced by ``[redacted]``,
  and the filter does the same to any path a log call passes as an argument (Django's
  "Internal Server Error: %s" and the like).
"""

from __future__ import annotations

import logging
import logging.config
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import ResolverMatch, resolve
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's (a load balancer's, a client's) id is kept when it cannot break a log line or a header.
_WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")

REDACTED = "[redacted]"
# URL parameters whose value is a credential: whoever reads it from a log could use the link.
SECRET_URL_PARAMETERS = frozenset({"token", "key", "secret", "signature"})
_SECRET_QUERY_KEY = re.compile(
    r"(^|[^a-z])(token|secret|password|passwd|key|signature|credential|auth|session|sessionid)s?($|[^a-z])", re.I
)

LOG_FORMATS = ("json", "console")
ACCESS_LOGGER = "welltrack.request"


def request_id_for(incoming: str | None) -> str:
    """The caller's id when well-formed, else a new one."""
    if incoming and _WELL_FORMED_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


@dataclass
class _Current:
    request: HttpRequest
    request_id: str
    safe_path: str | None = None


_current: ContextVar[_Current | None] = ContextVar("welltrack_request_log", default=None)


@contextmanager
def request_context(request: HttpRequest, request_id: str) -> Iterator[None]:
    """Makes ``request`` the current request of the log lines written inside the block."""
    token = _current.set(_Current(request, request_id))
    try:
        yield
    finally:
        _current.reset(token)


def current_request_id() -> str | None:
    current = _current.get()
    return current.request_id if current else None


# --- paths without secrets --------------------------------------------------------------------
def _is_secret_parameter(name: str) -> bool:
    return name in SECRET_URL_PARAMETERS or name.endswith("_token")


def _resolve(path: str) -> ResolverMatch | None:
    if not apps.ready:  # gunicorn's master logs before Django is set up
        return None
    try:
        return resolve(path)
    except Exception:  # Resolver404, or a path no route can hold: nothing of it is a known secret
        return None


def redact_path(path: str, match: ResolverMatch | None) -> str:
    """``path`` with every segment holding a secret URL parameter of ``match`` redacted
    (``/ical/<token>.ics`` → ``/ical/[redacted].ics``)."""
    if match is None:
        return path
    secrets = [str(value) for name, value in match.kwargs.items() if _is_secret_parameter(name) and value]
    if not secrets:
        return path
    segments = path.split("/")
    for index, segment in enumerate(segments):
        for secret in secrets:
            if secret in segment:
                segment = segment.replace(secret, REDACTED)
        segments[index] = segment
    return "/".join(segments)


def redact_query(query: str) -> str:
    """A query string with secret-looking values redacted, and paths in values (``next=``) made safe."""
    if not query:
        return ""
    pairs = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if _SECRET_QUERY_KEY.search(key):
            value = REDACTED
        elif value.startswith("/"):
            value = safe_path_text(value)
        pairs.append((key, value))
    return urlencode(pairs, safe="/[]:,")


def safe_path_text(full_path: str) -> str:
    """A path (with or without a query string) as it may be logged."""
    path, _, query = full_path.partition("?")
    path = redact_path(path, _resolve(path))
    query = redact_query(query)
    return f"{path}?{query}" if query else path


def safe_path(request: HttpRequest) -> str:
    """The request's path and query string as they may be logged."""
    match = getattr(request, "resolver_match", None) or _resolve(request.path_info)
    path = redact_path(request.path, match)
    query = redact_query(request.META.get("QUERY_STRING", ""))
    return f"{path}?{query}" if query else path


def _current_safe_path(current: _Current) -> str:
    if current.safe_path is None:
        current.safe_path = safe_path(current.request)
    return current.safe_path


class RequestContextFilter(logging.Filter):
    """Put on the handler: gives every line the current request's id (``missing`` outside a
    request) and makes safe any path passed as a log argument."""

    def __init__(self, missing: str | None = None) -> None:
        super().__init__()
        self.missing = missing

    def filter(self, record: logging.LogRecord) -> bool:
        current = _current.get()
        if current is None:
            # Django logs a 4xx/5xx answer once the middleware is done, handing the logger the request.
            request = getattr(record, "request", None)
            if isinstance(request, HttpRequest) and hasattr(request, "request_id"):
                current = _Current(request, request.request_id)
        record.request_id = current.request_id if current else self.missing
        if isinstance(record.args, tuple) and any(isinstance(arg, str) and arg.startswith("/") for arg in record.args):
            record.args = tuple(self._safe_arg(arg, current) for arg in record.args)
        return True

    @staticmethod
    def _safe_arg(arg: object, current: _Current | None) -> object:
        if not isinstance(arg, str) or not arg.startswith("/"):
            return arg
        if current is not None and arg in (current.request.path, current.request.get_full_path()):
            return _current_safe_path(current)
        return safe_path_text(arg)


# --- formats and configuration ------------------------------------------------------------------
def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        ["levelname", "name", "message", "request_id"],
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp=True,
        # Django hands loggers the request object (its repr holds the raw path) and runserver its socket.
        reserved_attrs=[*RESERVED_ATTRS, "request", "server_time"],
    )


def console_formatter() -> logging.Formatter:
    return logging.Formatter("%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s")


def log_format(*, debug: bool) -> str:
    """``WELLTRACK_LOG_FORMAT`` (``json`` or ``console``); unset: console with DEBUG, JSON without."""
    value = os.environ.get("WELLTRACK_LOG_FORMAT", "").strip().lower() or ("console" if debug else "json")
    if value not in LOG_FORMATS:
        raise ImproperlyConfigured(f"WELLTRACK_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {value!r}.")
    return value


def configure_logging(config: dict) -> None:
    """Django's LOGGING_CONFIG: the LOGGING dict, and Python's warnings as log lines too, so that
    everything on stderr is in one format."""
    logging.config.dictConfig(config)
    logging.captureWarnings(True)


def logging_config(*, log_format: str, level: str, gunicorn: bool = False) -> dict:
    """The LOGGING dict: one handler on stderr in the chosen format. With ``gunicorn``, also
    gunicorn's own loggers (for its ``logconfig_dict``)."""
    loggers: dict[str, dict] = {
        "botocore": {"level": "WARNING"},
        "pynamodb": {"level": "WARNING"},
        # Django's own console handler (DEBUG only, plain lines) goes: everything reaches ours.
        "django": {"handlers": [], "level": level, "propagate": True},
        # 4xx answers are in the access line already; 5xx are logged here with their exception.
        "django.request": {"level": "ERROR"},
        # runserver's own access line: the app writes one per request (welltrack.request), with its id.
        # (A NullHandler: a logger with no handler at all would reach logging's last resort, stderr.)
        "django.server": {"handlers": ["discard"], "propagate": False},
    }
    if gunicorn:
        loggers["gunicorn.error"] = {"handlers": ["app"], "propagate": False}
        # Off: the app writes each request's line, with its id and its path's secrets redacted.
        loggers["gunicorn.access"] = {"handlers": ["discard"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request": {
                "()": "welltrack.logs.RequestContextFilter",
                "missing": "-" if log_format == "console" else None,
            },
        },
        "formatters": {"app": {"()": f"welltrack.logs.{log_format}_formatter"}},
        "handlers": {
            "app": {"class": "logging.StreamHandler", "formatter": "app", "filters": ["request"]},
            "discard": {"class": "logging.NullHandler"},
        },
        "root": {"handlers": ["app"], "level": level},
        "loggers": loggers,
    }
