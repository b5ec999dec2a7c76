"""Organization pages: my organizations, settings, members, invitations, activity."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import services as account_services
from accounts.decorators import login_required
from accounts.selectors import users_by_id
from orgs import forms, selectors, services
from orgs.decorators import org_member_required
from orgs.models import OrgStatus
from orgs.permissions import Action
from welltrack.actor import Actor
from welltrack.audit import org_activity
from welltrack.errors import Conflict, DomainError, Forbidden, RateLimited, ValidationFailed
from welltrack.forms import apply_errors
from welltrack.views import Stale, form_view


@require_GET
@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    orgs = selectors.user_orgs_with_unfinished(user_id=request.user.user_id)
    return TemplateResponse(
        request, "orgs/org_list.html", {"pairs": orgs.active, "unfinished": orgs.unfinished, "form": forms.OrgForm()}
    )


@require_GET
@login_required
def org_switcher(request: HttpRequest) -> HttpResponse:
    """The navigation's organization menu, loaded only when it is opened."""
    return TemplateResponse(
        request, "orgs/org_switcher.html", {"pairs": selectors.user_orgs(user_id=request.user.user_id)}
    )


@require_http_methods(["GET", "POST"])
@login_required
def org_create(request: HttpRequest) -> HttpResponse:
    return form_view(
        request,
        forms.OrgForm(request.POST or None),
        save=lambda data: services.org_create(
            actor=Actor.from_request(request), name=data["name"], description=data["description"]
        ),
        message=lambda org: f"{org.name} is ready. You are its owner.",
        success_url=lambda org: reverse("org-detail", args=[org.org_id]),
        template="orgs/org_form.html",
        context={"org": None},
    )


@require_http_methods(["GET", "POST"])
@org_member_required(Action.MANAGE_ORG)
def org_settings(request: HttpRequest, org) -> HttpResponse:
    initial = {"name": org.name, "description": org.description, "version": org.version}
    return form_view(
        request,
        forms.OrgForm(request.POST or None, initial=initial),
        save=lambda data: services.org_update(
            actor=Actor.from_request(request),
            org=org,
            name=data["name"],
            description=data["description"],
            version=data["version"] or 0,
        ),
        # The organization was read with this request: it is what is stored now.
        on_conflict=lambda exc: Stale(
            org.version,
            message=f"{exc.message} Now stored: name “{org.name}”, description “{org.description or '(none)'}”.",
        ),
        message="Organization saved.",
        success_url=reverse("orgs:org-settings", args=[org.org_id]),
        template="orgs/org_form.html",
        context={"org": org, "can_delete": request.reads.can(org.org_id, Action.DELETE_ORG)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def org_delete(request: HttpRequest, org_id: str) -> HttpResponse:
    membership = request.reads.org_deletion(org_id)
    org = membership.organization
    # An outage cut this deletion short: the organization is gone for everyone, and its owner
    # finishes releasing the memberships here (no name to type: nothing more is lost).
    unfinished = org.status == OrgStatus.DELETED
    if not unfinished:
        request.current_org, request.current_membership = org, membership
    form = forms.OrgDeleteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        confirm = org.name if unfinished else (form.cleaned_data["confirm_name"] if form.is_valid() else None)
        if confirm is not None:
            try:
                services.org_delete(actor=Actor.from_request(request), org=org, confirm_name=confirm)
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                request.reads.forget_memberships()
                messages.success(request, f"{org.name} was deleted.")
                return HttpResponseRedirect(reverse("orgs:org-list"))
    return TemplateResponse(
        request, "orgs/org_delete.html", {"form": form, "org": org, "unfinished": unfinished}, status=status
    )


def _members_context(request, org, invite_form=None) -> dict:
    cursor = request.GET.get("cursor") or None
    try:
        rows, next_cursor = selectors.org_members(org_id=org.org_id, cursor=cursor)
    except ValidationFailed as exc:  # a tampered or stale page link: say so and show the first page
        messages.error(request, exc.errors.get("cursor", exc.message))
        cursor = None
        rows, next_cursor = selectors.org_members(org_id=org.org_id)
    manage = request.reads.can(org.org_id, Action.MANAGE_MEMBERS)
    invitations = selectors.invitations_pending(org_id=org.org_id) if manage else []
    names = users_by_id(user_ids={m.invited_by for m, _ in rows if m.invited_by} | {i.invited_by for i in invitations})
    return {
        "org": org,
        "rows": rows,
        "cursor": cursor,
        "next_cursor": next_cursor,
        "invitations": invitations,
        "names": {k: v.name for k, v in names.items()},
        "can_manage": manage,
        "is_owner": request.current_membership.role == "OWNER",
        "me": request.user.user_id,
        "invite_form": invite_form or forms.InviteForm(),
        "roles": forms.ALL_ROLES,
    }


@require_GET
@org_member_required(Action.VIEW)
def member_list(request: HttpRequest, org) -> HttpResponse:
    return TemplateResponse(request, "orgs/member_list.html", _members_context(request, org))


@require_POST
@org_member_required(Action.MANAGE_MEMBERS)
def member_invite(request: HttpRequest, org) -> HttpResponse:
    form = forms.InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=Actor.from_request(request),
                actor_role=request.current_membership.role,
                org=org,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                inviter_name=request.user.name,
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            return _members_refused(request, org, exc, form)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return HttpResponseRedirect(reverse("orgs:member-list", args=[org.org_id]))
    return TemplateResponse(request, "orgs/member_list.html", _members_context(request, org, form), status=422)


def _members_refused(request, org, error: RateLimited, invite_form=None) -> HttpResponse:
    """The members page again with the refusal on it: 429, and Retry-After for clients that read it."""
    response = TemplateResponse(
        request, "orgs/member_list.html", _members_context(request, org, invite_form), status=429
    )
    response["Retry-After"] = str(error.retry_after)
    return response


def _member_action(request, org, user_id: str, run) -> HttpResponse:
    target = selectors.member_get(org_id=org.org_id, user_id=user_id)
    target_user = users_by_id(user_ids=[user_id]).get(user_id)
    try:
        message = run(target, target_user.name if target_user else "")
    except (ValidationFailed, Conflict, Forbidden) as exc:
        messages.error(request, exc.message)
        status = exc.status_code
        if request.htmx:
            return TemplateResponse(request, "orgs/member_list.html", _members_context(request, org), status=status)
        return HttpResponseRedirect(reverse("orgs:member-list", args=[org.org_id]))
    request.reads.forget_memberships()
    messages.success(request, message)
    return HttpResponseRedirect(reverse("orgs:member-list", args=[org.org_id]))


@require_POST
@org_member_required(Action.MANAGE_MEMBERS)
def member_role(request: HttpRequest, org, user_id: str) -> HttpResponse:
    form = forms.RoleForm(request.POST)
    role = form.data.get("role", "")

    def run(target, name):
        services.member_change_role(
            actor=Actor.from_request(request),
            actor_membership=request.current_membership,
            org=org,
            target=target,
            role=role,
            target_name=name,
        )
        return f"{name or 'The member'} is now {role.lower()}."

    return _member_action(request, org, user_id, run)


@require_POST
@org_member_required(Action.MANAGE_MEMBERS)
def member_remove(request: HttpRequest, org, user_id: str) -> HttpResponse:
    def run(target, name):
        services.member_remove(
            actor=Actor.from_request(request),
            actor_membership=request.current_membership,
            org=org,
            target=target,
            target_name=name,
        )
        return f"{name or 'The member'} was removed from {org.name}."

    return _member_action(request, org, user_id, run)


@require_POST
@org_member_required(Action.TRANSFER_OWNERSHIP)
def member_transfer(request: HttpRequest, org, user_id: str) -> HttpResponse:
    def run(target, name):
        services.ownership_transfer(
            actor=Actor.from_request(request),
            actor_membership=request.current_membership,
            org=org,
            target=target,
            target_name=name,
            actor_name=request.user.name,
        )
        return f"{name} is now an owner of {org.name}; you are an admin."

    return _member_action(request, org, user_id, run)


@require_POST
@org_member_required(Action.VIEW)
def org_leave(request: HttpRequest, org) -> HttpResponse:
    try:
        services.member_remove(
            actor=Actor.from_request(request),
            actor_membership=None,
            org=org,
            target=request.current_membership,
            target_name=request.user.name,
            leaving=True,
        )
    except Conflict as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("orgs:member-list", args=[org.org_id]))
    messages.success(request, f"You left {org.name}.")
    return HttpResponseRedirect(reverse("orgs:org-list"))


@require_POST
@org_member_required(Action.MANAGE_MEMBERS)
def invitation_resend(request: HttpRequest, org, invitation_id: str) -> HttpResponse:
    invitation = selectors.invitation_get(org_id=org.org_id, invitation_id=invitation_id)
    try:
        services.invitation_resend(
            actor=Actor.from_request(request), org=org, invitation=invitation, inviter_name=request.user.name
        )
    except RateLimited as exc:
        messages.error(request, exc.message)
        return _members_refused(request, org, exc)
    messages.success(request, f"A new invitation link was sent to {invitation.email}; the old one no longer works.")
    return HttpResponseRedirect(reverse("orgs:member-list", args=[org.org_id]))


@require_POST
@org_member_required(Action.MANAGE_MEMBERS)
def invitation_revoke(request: HttpRequest, org, invitation_id: str) -> HttpResponse:
    invitation = selectors.invitation_get(org_id=org.org_id, invitation_id=invitation_id)
    services.invitation_revoke(actor=Actor.from_request(request), org=org, invitation=invitation)
    messages.success(request, f"The invitation of {invitation.email} was withdrawn.")
    return HttpResponseRedirect(reverse("orgs:member-list", args=[org.org_id]))


ENTITY_TYPES = ["ORGANIZATION", "MEMBERSHIP", "INVITATION", "PROJECT", "WELL", "STAGE", "EVENT", "FILE", "SUBSCRIPTION"]


@require_GET
@vary_on_headers("HX-Request")
@org_member_required(Action.VIEW)
def activity(request: HttpRequest, org) -> HttpResponse:
    entity_type = request.GET.get("type", "") if request.GET.get("type", "") in ENTITY_TYPES else ""
    user_id = request.GET.get("user", "")[:64]
    cursor = request.GET.get("cursor") or None
    # "Who" offers the first page of members (any member's activity is also linked from the
    # members page). Filtering on anyone else asks whether they are or were a member: the
    # filter answers only for the org's members and former members, and anyone else's id shows
    # nothing of them (no name, no entries), as an unknown id does.
    members, _ = selectors.org_members(org_id=org.org_id)
    names = {m.user_id: u.name for m, u in members if u}
    listed = {m.user_id for m, _ in members}
    selected_elsewhere = None
    known = not user_id or user_id in listed
    if not known:
        person = selectors.org_person(org_id=org.org_id, user_id=user_id)
        known = person is not None
        if person is not None and person.user is not None:
            selected_elsewhere = names[user_id] = person.user.name
    entries, next_cursor = [], None
    if known:
        try:
            entries, next_cursor = org_activity(
                org_id=org.org_id, entity_type=entity_type, user_id=user_id, cursor=cursor
            )
        except ValidationFailed as exc:  # a tampered or stale cursor: say so and start from the newest
            messages.error(request, exc.errors.get("cursor", exc.message))
            cursor = None
            entries, next_cursor = org_activity(org_id=org.org_id, entity_type=entity_type, user_id=user_id)
    # The entries' authors not on the members' page (former members) are named in one read.
    missing = {e.user_id for e in entries} - set(names)
    names.update({k: v.name for k, v in users_by_id(user_ids=missing).items()})
    template = "orgs/activity.html#activity-page" if request.htmx else "orgs/activity.html"
    return TemplateResponse(
        request,
        template,
        {
            "org": org,
            "entries": entries,
            "cursor": cursor,
            "next_cursor": next_cursor,
            "user_names": names,
            "entity_types": ENTITY_TYPES,
            "selected_type": entity_type,
            "selected_user": user_id,
            "members": members,
            "selected_elsewhere": selected_elsewhere,
            "show_ip": request.reads.can(org.org_id, Action.VIEW_AUDIT_DETAILS),
        },
    )


# --- invitation links ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token=token)
        org = selectors.org_get(org_id=invitation.org_id)
    except DomainError as exc:
        return TemplateResponse(
            request, "orgs/invitation_invalid.html", {"message": exc.message}, status=exc.status_code
        )
    inviter = users_by_id(user_ids=[invitation.invited_by]).get(invitation.invited_by)
    form = forms.InvitationRegisterForm(request.POST or None) if not request.user.is_authenticated else None
    status, retry_after = 200, None
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                user = request.user
            else:
                status = 422
                if not form.is_valid():
                    raise ValidationFailed({})
                # Not the per-address sign-up limit: a valid link, for its own address (see the service).
                services.invitation_register_rate_check(invitation=invitation)
                user = account_services.user_register(
                    email=invitation.email,
                    password=form.cleaned_data["password"],
                    name=form.cleaned_data["name"],
                    ip_address=request.client_ip,
                )
                account_services.user_login(request=request, user=user)
            services.invitation_accept(actor=Actor(user.user_id, request.client_ip), user=user, token=token)
        except ValidationFailed as exc:
            if form is not None and exc.errors:
                # "An account with this email already exists": a form-wide error beside the sign-in link.
                apply_errors(form, exc, {"email": "__all__"})
        except RateLimited as exc:
            if form is None:
                raise
            form.add_error(None, exc.message)
            status, retry_after = exc.status_code, exc.retry_after
        except DomainError as exc:
            return TemplateResponse(
                request, "orgs/invitation_invalid.html", {"message": exc.message}, status=exc.status_code
            )
        else:
            messages.success(request, f"Welcome to {org.name}.")
            return HttpResponseRedirect(reverse("org-detail", args=[org.org_id]))
    response = TemplateResponse(
        request,
        "orgs/invitation_detail.html",
        {
            "invitation": invitation,
            "org": org,
            "inviter": inviter,
            "form": form,
            "email_matches": request.user.is_authenticated and request.user.email == invitation.email,
        },
        status=status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
