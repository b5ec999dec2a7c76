"""Cross-cutting middleware: request ids and the access log, security headers, the client address,
and honest error pages (the API's in JSON)."""

from __future__ import annotations

import json
import logging
import secrets
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.utils.functional import empty

from welltrack.actor import client_ip
from welltrack.dynamodb import counting_requests
from welltrack.errors import DependencyUnavailable, DomainError, NotAuthenticated, RateLimited, is_dependency_failure
from welltrack.logs import ACCESS_LOGGER, REQUEST_ID_HEADER, request_context, request_id_for, safe_path

log = logging.getLogger(__name__)
access_log = logging.getLogger(ACCESS_LOGGER)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'{style_nonce}",
        "img-src 'self' data: blob:{tiles}",
        "font-src 'self' data:",
        "connect-src 'self'{uploads}",
        "form-action 'self'{uploads}",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def content_security_policy() -> str:
    tiles = ""
    if settings.WELLTRACK_TILE_URL:
        parts = urlsplit(
            settings.WELLTRACK_TILE_URL.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0")
        )
        tiles = f" {parts.scheme}://{parts.netloc.replace('a.', '*.', 1) if '{s}' in settings.WELLTRACK_TILE_URL else parts.netloc}"
    uploads = ""
    if settings.AWS_STORAGE_BUCKET_NAME:
        uploads = " " + (
            settings.AWS_S3_ENDPOINT_URL
            or f"https://{settings.AWS_STORAGE_BUCKET_NAME}.s3.{settings.AWS_REGION}.amazonaws.com"
        )
        uploads += f" https://{settings.AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    return CONTENT_SECURITY_POLICY.format(tiles=tiles, uploads=uploads, style_nonce="{style_nonce}")


def _user_id(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    # A user not read yet stays unread: the access line must not cost a session read.
    if user is None or getattr(user, "_wrapped", None) is empty or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "user_id", None)


def _org_id(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.kwargs.get("org_id") if match is not None else None


class RequestLogMiddleware:
    """The outermost middleware. Gives every request its id (a well-formed incoming X-Request-ID,
    else a new one; ``request.request_id``, answered in X-Request-ID), makes it the current request
    of every log line written while it runs (welltrack.logs), counts its DynamoDB requests and read
    units, and writes its one access line (logger ``welltrack.request``) once it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request.request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        with request_context(request, request.request_id), counting_requests() as dynamodb:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            if access_log.isEnabledFor(level):
                self.log(level, request, response, (time.perf_counter() - started) * 1000, dynamodb)
        return response

    @staticmethod
    def log(level: int, request: HttpRequest, response: HttpResponse, duration_ms: float, dynamodb: dict) -> None:
        fields = {
            "method": request.method,
            "path": safe_path(request),
            "status": response.status_code,
            "duration_ms": round(duration_ms, 1),
            "user_id": _user_id(request),
            "org_id": _org_id(request),
            "dynamodb_requests": dynamodb["requests"],
            "dynamodb_read_units": round(dynamodb["capacity"], 1),
        }
        message = (
            f"{fields['method']} {fields['path']} {fields['status']} {fields['duration_ms']}ms"
            f" db={fields['dynamodb_requests']}/{fields['dynamodb_read_units']}RCU"
            f" user={fields['user_id'] or '-'} org={fields['org_id'] or '-'}"
        )
        access_log.log(level, message, extra=fields)


API_ERROR_MESSAGES = {
    404: "Not found.",
    405: "This method is not allowed here.",
    500: "Something went wrong on our side. Nothing you sent was half-saved; please try again.",
}


class ApiErrorMiddleware:
    """Under /api/ every error answers the API's JSON error format, with the request id.

    An error body of the API (``{"detail": …}``) gains ``"requestId"``; an error answered by
    anything else (Django's 404 for an unknown path, ninja's 405 for a wrong method, the 500 page,
    DEBUG's traceback page) gets the body ``{"detail": …, "requestId": …}``, keeping its status and
    headers (``Allow``, ``Retry-After``). Inside RequestLogMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or response.streaming or not request.path.startswith("/api/"):
            return response
        request_id = getattr(request, "request_id", None)
        body = None
        if response.get("Content-Type", "").startswith("application/json"):
            try:
                body = json.loads(response.content)
            except ValueError:
                pass
            if not isinstance(body, dict) or "requestId" in body:
                return response
            body["requestId"] = request_id
        else:
            detail = API_ERROR_MESSAGES.get(response.status_code, f"{response.reason_phrase}.")
            body = {"detail": detail, "requestId": request_id}
        # The same response, its headers and cookies kept; only the body (and its type) change.
        response.content = json.dumps(body)
        response["Content-Type"] = "application/json"
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


class SecurityHeadersMiddleware:
    """CSP (no inline script or style anywhere), and headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A per-request nonce for <style> elements only: FullCalendar injects its stylesheet
        # into one (reading the nonce from <meta name="csp-nonce">). Scripts get no nonce.
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        policy = self.policy.replace("{style_nonce}", f" 'nonce-{request.csp_nonce}'")
        existing = response.get("Content-Security-Policy")
        if existing is None:
            response["Content-Security-Policy"] = policy
        elif "frame-ancestors" not in existing:
            # A view's own, narrower policy (a file preview) still may not be framed.
            response["Content-Security-Policy"] = f"{existing}; frame-ancestors 'none'"
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response


class RequestContextMiddleware:
    """The client's address, and (with WELLTRACK_DB_METRICS_HEADERS) what the request cost in DynamoDB."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_ip(request)
        if not settings.WELLTRACK_DB_METRICS_HEADERS:
            return self.get_response(request)
        with counting_requests() as counter:
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["X-DynamoDB-Requests"] = str(counter["requests"])
        response["X-DynamoDB-Read-Units"] = f"{counter['capacity']:.1f}"
        return response


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def sign_in_redirect(request: HttpRequest) -> HttpResponse:
    """Pages: to the sign-in page (LOGIN_URL), coming back afterwards; htmx: the whole page.
    API paths: 401 JSON."""
    login = resolve_url(settings.LOGIN_URL)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": NotAuthenticated.default_message}, status=401)
    if getattr(request, "htmx", False):
        response = HttpResponseRedirect(login)
        response["HX-Redirect"] = login
        return response
    return HttpResponseRedirect(f"{login}?{urlencode({'next': request.get_full_path()})}")


def error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The one rendering of a domain error: JSON for the API, a page (or fragment) otherwise;
    a session found ended on a page goes to sign in."""
    if isinstance(error, NotAuthenticated) and not _wants_json(request):
        return sign_in_redirect(request)
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"detail": error.message}, status=error.status_code)
    else:
        template = "errors/fragment.html" if getattr(request, "htmx", False) else "errors/error.html"
        response = TemplateResponse(
            request,
            template,
            {"error": error, "status": error.status_code, "message": error.message},
            status=error.status_code,
        )
        response.render()
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    if isinstance(error, DependencyUnavailable):
        response["Retry-After"] = "30"
    return response


class DependencyFailureMiddleware:
    """Turns an uncaught domain error into its status, and an unreachable or throttled
    DynamoDB into a 503 that says a change may not have been saved (a write can land after its
    answer was lost)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return error_response(request, exception)
        if is_dependency_failure(exception):
            log.warning("dependency failure on %s: %r", request.path, exception)
            return error_response(request, DependencyUnavailable())
        return None
