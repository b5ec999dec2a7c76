"""Account pages: register, sign in and out, passwords, profile."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import forms, services
from accounts.decorators import login_required
from accounts.middleware import remember_user
from accounts.selectors import user_get
from welltrack.actor import Actor, client_ip
from welltrack.errors import RateLimited, ValidationFailed
from welltrack.forms import apply_errors

FIELD_MAP = {"timeZone": "time_zone"}


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse("home")


def _refused(request: HttpRequest, template: str, context: dict, error: RateLimited) -> HttpResponse:
    """The form again with the refusal above it: 429, and Retry-After for clients that read it."""
    response = TemplateResponse(request, template, context, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(_next_url(request))
    form = forms.RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.register_rate_check(ip_address=client_ip(request))
                user = services.user_register(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    name=form.cleaned_data["name"],
                    time_zone=form.cleaned_data["time_zone"],
                    ip_address=client_ip(request),
                )
            except ValidationFailed as exc:
                apply_errors(form, exc, FIELD_MAP)
            except RateLimited as exc:
                form.add_error(None, exc.message)
                return _refused(request, "accounts/register.html", {"form": form, "next": _next_url(request)}, exc)
            else:
                services.user_login(request=request, user=user)
                messages.success(request, f"Welcome to WellTrack, {user.name}.")
                return HttpResponseRedirect(_next_url(request))
        status = 422
    return TemplateResponse(
        request, "accounts/register.html", {"form": form, "next": _next_url(request)}, status=status
    )


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(_next_url(request))
    form = forms.LoginForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                user = services.user_authenticate(
                    email=form.cleaned_data["email"], password=form.cleaned_data["password"]
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
                status = 401
            except RateLimited as exc:
                form.add_error(None, exc.message)
                return _refused(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, exc)
            else:
                services.user_login(request=request, user=user)
                return HttpResponseRedirect(_next_url(request))
    return TemplateResponse(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    services.user_logout(request=request)
    messages.info(request, "You have signed out.")
    return HttpResponseRedirect(reverse("accounts:login"))


@require_http_methods(["GET", "POST"])
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.password_change(
                    user=user_get(user_id=request.user.user_id),
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password"],
                    actor=Actor.from_request(request),
                    keep_session_key=request.session.session_key,
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your password was changed. Your other sessions were signed out.")
                return HttpResponseRedirect(reverse("accounts:profile"))
    return TemplateResponse(request, "accounts/password_change.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.password_reset_request(email=form.cleaned_data["email"], ip_address=client_ip(request))
            except ValidationFailed as exc:
                apply_errors(form, exc)
            except RateLimited as exc:
                form.add_error(None, exc.message)
                return _refused(request, "accounts/password_reset.html", {"form": form}, exc)
            else:
                return TemplateResponse(
                    request, "accounts/password_reset_sent.html", {"email": form.cleaned_data["email"]}
                )
    return TemplateResponse(request, "accounts/password_reset.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = services.password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        return TemplateResponse(request, "accounts/password_reset_invalid.html", status=410)
    form = forms.SetPasswordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.password_reset_complete(
                    user=user, new_password=form.cleaned_data["new_password"], ip_address=client_ip(request)
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your password was reset. Sign in with the new one.")
                return HttpResponseRedirect(reverse("accounts:login"))
    return TemplateResponse(
        request, "accounts/password_reset_confirm.html", {"form": form, "reset_user": user}, status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = user_get(user_id=request.user.user_id)
    initial = {"name": user.name, "time_zone": user.time_zone}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.profile_update(
                    user=user,
                    name=form.cleaned_data["name"],
                    time_zone=form.cleaned_data["time_zone"],
                    actor=Actor.from_request(request),
                )
            except ValidationFailed as exc:
                apply_errors(form, exc, FIELD_MAP)
            else:
                remember_user(request.session, user)
                messages.success(request, "Your profile was saved.")
                return HttpResponseRedirect(reverse("accounts:profile"))
    return TemplateResponse(request, "accounts/profile.html", {"form": form}, status=status)
