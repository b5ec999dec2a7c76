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
from welltrack.views import form_view

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

    def save(data):
        services.register_rate_check(ip_address=client_ip(request))
        user = services.user_register(
            email=data["email"],
            password=data["password"],
            name=data["name"],
            time_zone=data["time_zone"],
            ip_address=client_ip(request),
        )
        services.user_login(request=request, user=user)
        return user

    return form_view(
        request,
        forms.RegisterForm(request.POST or None),
        save=save,
        field_map=FIELD_MAP,
        message=lambda user: f"Welcome to WellTrack, {user.name}.",
        success_url=_next_url(request),
        template="accounts/register.html",
        context={"next": _next_url(request)},
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
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    ip_address=client_ip(request),
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
    return form_view(
        request,
        forms.PasswordChangeForm(request.POST or None),
        save=lambda data: services.password_change(
            user=user_get(user_id=request.user.user_id),
            old_password=data["old_password"],
            new_password=data["new_password"],
            actor=Actor.from_request(request),
            keep_session_key=request.session.session_key,
        ),
        message="Your password was changed. Your other sessions were signed out and your private calendar "
        "links revoked: make new ones from your calendar subscriptions.",
        success_url=reverse("accounts:profile"),
        template="accounts/password_change.html",
        context={},
    )


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
    return form_view(
        request,
        forms.SetPasswordForm(request.POST or None),
        save=lambda data: services.password_reset_complete(
            user=user, new_password=data["new_password"], ip_address=client_ip(request)
        ),
        message="Your password was reset and your private calendar links revoked. Sign in with the new one.",
        success_url=reverse("accounts:login"),
        template="accounts/password_reset_confirm.html",
        context={"reset_user": user},
    )


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = user_get(user_id=request.user.user_id)

    def save(data):
        services.profile_update(
            user=user, name=data["name"], time_zone=data["time_zone"], actor=Actor.from_request(request)
        )
        remember_user(request.session, user)

    return form_view(
        request,
        forms.ProfileForm(request.POST or None, initial={"name": user.name, "time_zone": user.time_zone}),
        save=save,
        field_map=FIELD_MAP,
        message="Your profile was saved.",
        success_url=reverse("accounts:profile"),
        template="accounts/profile.html",
        context={},
    )
