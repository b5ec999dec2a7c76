"""The shell's own pages (home, health), and what every app's pages share: the redirect after a
POST, the version a delete confirmation posted, and the one skeleton of a form page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from welltrack.errors import Conflict, RateLimited, ValidationFailed
from welltrack.forms import apply_errors
from welltrack.health import health as run_health_checks

T = TypeVar("T")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        try:
            return HttpResponseRedirect(reverse("orgs:org-list"))
        except NoReverseMatch:
            pass
    return TemplateResponse(request, "home.html")


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    ok, checks = run_health_checks()
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


# --- shared by the apps' pages ------------------------------------------------------------


def htmx_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Where a successful POST goes: a 302, or for htmx an ``HX-Redirect`` (a 302 would be
    followed inside the request and the next page swapped into the form's target)."""
    return HttpResponseClientRedirect(url) if request.htmx else HttpResponseRedirect(url)


def posted_version(request: HttpRequest) -> int | None:
    """The version a delete confirmation showed (its hidden input); None when not sent."""
    raw = request.POST.get("version", "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationFailed({"version": "This page is out of date: reload it and try again."}) from None


@dataclass(frozen=True)
class Stale:
    """What a form page shows when its item changed since the form was opened.

    ``version`` is the stored one: the form is re-bound with it, so that saving the same input
    again is a deliberate overwrite. ``context`` is added to the page (the stored values);
    ``message`` replaces the Conflict's own above the form.
    """

    version: int
    context: dict[str, Any] = field(default_factory=dict)
    message: str | None = None

    @classmethod
    def of(cls, current) -> Stale:
        """The stored item itself, shown to the template as ``current``."""
        return cls(version=current.version, context={"current": current})


def form_view(
    request: HttpRequest,
    form: forms.Form,
    *,
    save: Callable[[dict[str, Any]], T],
    success_url: str | Callable[[T], str],
    message: str | Callable[[T], str] | None = None,
    template: str,
    context: dict[str, Any],
    field_map: dict[str, str] | None = None,
    on_conflict: Callable[[Conflict], Stale] | None = None,
) -> HttpResponse:
    """A form page: GET shows ``form``; a POST that is invalid shows it again with 422.

    A valid POST calls ``save(form.cleaned_data)`` (one service call) and answers:

    - its ``ValidationFailed``: the errors beside their fields (``field_map`` renames the
      service's names to the form's), 422;
    - its ``Conflict``, when ``on_conflict`` is given: the input kept and re-bound to the stored
      version, the message above the form and the stored values (``Stale``), 409; without
      ``on_conflict`` the Conflict goes on to the error page;
    - its ``RateLimited``: the message above the form, 429 with ``Retry-After``;
    - success: ``message`` (a string, or made from save's result) as a flash message and a
      redirect to ``success_url`` (likewise), htmx-aware.

    The template gets ``context`` and ``form``.
    """
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                result = save(form.cleaned_data)
            except ValidationFailed as exc:
                apply_errors(form, exc, field_map)
            except Conflict as exc:
                if on_conflict is None:
                    raise
                stale = on_conflict(exc)
                form.data = form.data.copy()
                form.data["version"] = str(stale.version)
                form.add_error(None, stale.message or exc.message)
                context = {**context, **stale.context}
                status = 409
            except RateLimited as exc:
                form.add_error(None, exc.message)
                response = TemplateResponse(request, template, {**context, "form": form}, status=429)
                response["Retry-After"] = str(exc.retry_after)
                return response
            else:
                if message:
                    messages.success(request, message(result) if callable(message) else message)
                return htmx_redirect(request, success_url(result) if callable(success_url) else success_url)
    return TemplateResponse(request, template, {**context, "form": form}, status=status)
