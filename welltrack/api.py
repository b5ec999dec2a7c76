"""The JSON API: django-ninja, OpenAPI at /api/openapi.json, docs at /api/docs.

Authentication: a bearer token from POST /api/auth/login, or the browser session (with
CSRF on unsafe methods); a bearer token that is sent and not valid answers 401, whatever
the session. Domain errors become JSON with their status; validation errors
name the field.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from accounts.selectors import user_for_api_token
from orgs.reads import SignedIn
from welltrack.errors import DomainError, RateLimited, ValidationFailed, is_dependency_failure
from welltrack.forms import snake_to_camel


class InvalidBearerToken(AuthenticationError):
    """A bearer token was sent and is not valid (expired, revoked, never issued)."""


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``. A token that is sent and not valid ends authentication
    with 401 here: falling through to the session would answer a token client with the
    session's CSRF refusal (403), which tells it nothing about its token."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_api_token(token=token)
        if user is None:
            raise InvalidBearerToken()
        request.user = user
        request.api_token = token
        return user


class SessionCookie(APIKeyCookie):
    """The browser session; APIKeyCookie checks CSRF for it on unsafe methods.

    ``request.auth`` is orgs.reads.SignedIn: when and how the session is checked is decided there.
    """

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> SignedIn | None:
        return request.reads.signed_in() if key else None


class WellTrackAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """``<app>_api_<function>``, whichever module of the app's API holds the function: an
        app's API split into modules keeps its operation ids (and the clients generated from them)."""
        app = operation.view_func.__module__.split(".")[0]
        return f"{app}_api_{operation.view_func.__name__}"


api = WellTrackAPI(
    title="WellTrack API",
    version="1.0",
    description="Organizations, projects (fields), wells, stages, events and files. "
    "Authenticate with `Authorization: Bearer <token>` from `POST /api/auth/login`.",
    auth=[BearerToken(), SessionCookie()],
    urls_namespace="api",
)


def field_error(request: HttpRequest, field: str, message: str, status: int = 422):
    return api.create_response(
        request, {"detail": [{"loc": ["body", field], "msg": message, "type": "value_error"}]}, status=status
    )


def _location(request: HttpRequest, field: str) -> list[str]:
    """Where a field was sent, as django-ninja names it: a query parameter (a list's ``cursor``,
    ``wellId``) or the body."""
    if field == "__all__":
        return ["body"]
    name = snake_to_camel(field)
    return ["query" if name in request.GET else "body", name]


@api.exception_handler(ValidationFailed)
def _validation_failed(request: HttpRequest, exc: ValidationFailed):
    detail = [
        {"loc": _location(request, field), "msg": message, "type": "value_error"}
        for field, message in exc.errors.items()
    ]
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError):
    response = api.create_response(request, {"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    if exc.status_code == 503:
        response["Retry-After"] = "30"
    return response


@api.exception_handler(NinjaValidationError)
def _ninja_validation(request: HttpRequest, exc: NinjaValidationError):
    detail = []
    for error in exc.errors:
        loc = list(error.get("loc", []))
        detail.append({"loc": loc, "msg": error.get("msg", "Invalid value."), "type": error.get("type", "value_error")})
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
    if isinstance(exc, InvalidBearerToken):
        detail = "This bearer token is not valid: it has expired or been revoked. Sign in again for a new one."
        challenge = 'Bearer error="invalid_token"'
    else:
        detail, challenge = "Authentication required: send a bearer token or sign in.", "Bearer"
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = challenge
    return response


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception):
    if is_dependency_failure(exc):
        response = api.create_response(
            request,
            {
                "detail": "The database is not answering right now. A change you were saving may not have been saved: reload to check, then try again."
            },
            status=503,
        )
        response["Retry-After"] = "30"
        return response
    raise exc


from accounts.api import router as accounts_router  # noqa: E402  (routers need `api`'s helpers above)
from files.api import router as files_router  # noqa: E402
from orgs.api import router as orgs_router  # noqa: E402
from timeline.api import router as timeline_router  # noqa: E402
from wells.api import router as wells_router  # noqa: E402

for _router in (accounts_router, orgs_router, wells_router, files_router, timeline_router):
    api.add_router("", _router)
