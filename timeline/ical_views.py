"""Private calendar links: create and revoke them, and serve the .ics they point to."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET, require_POST

from orgs.decorators import org_member_required
from orgs.permissions import Action, authorize_user
from timeline import selectors, services
from timeline.ical import calendar_document
from timeline.models import CalendarToken, CalendarTokenStatus
from wells import selectors as wells_selectors
from welltrack.actor import Actor
from welltrack.errors import Forbidden, NotFound, dynamo_errors


@require_GET
@org_member_required(Action.VIEW)
def subscription_list(request: HttpRequest, org) -> HttpResponse:
    links = selectors.calendar_links(user_id=request.user.user_id, org_id=org.org_id)
    new_link = request.session.pop("new_calendar_link", None)
    return TemplateResponse(
        request,
        "timeline/subscriptions.html",
        {"org": org, "tokens": links.active, "renewable": links.renewable, "new_link": new_link},
    )


@require_POST
@org_member_required(Action.VIEW)
def subscription_create(request: HttpRequest, org) -> HttpResponse:
    scope = request.POST.get("scope", "")
    scope_id = request.POST.get("scope_id", "")[:64]
    if scope == "WELL":
        name = wells_selectors.well_get(well_id=scope_id, org_id=org.org_id).name
    elif scope == "PROJECT":
        name = wells_selectors.project_get(project_id=scope_id, org_id=org.org_id).name
    else:
        raise NotFound()
    token, _ = services.calendar_token_create(
        actor=Actor.from_request(request), org_id=org.org_id, scope_type=scope, scope_id=scope_id, scope_name=name
    )
    request.session["new_calendar_link"] = request.build_absolute_uri(reverse("timeline:ical-feed", args=[token]))
    messages.success(request, f"Private calendar link for {name} created. Copy it now: it is shown only once.")
    return HttpResponseRedirect(reverse("timeline:subscription-list", args=[org.org_id]))


@require_POST
@org_member_required(Action.VIEW)
def subscription_revoke(request: HttpRequest, org, token_id: str) -> HttpResponse:
    item = CalendarToken.get_or_404(token_id)
    if item.org_id != org.org_id:
        raise NotFound()
    services.calendar_token_revoke(actor=Actor.from_request(request), item=item)
    messages.success(request, f"The calendar link for {item.scope_name} no longer works.")
    return HttpResponseRedirect(reverse("timeline:subscription-list", args=[org.org_id]))


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No session: the secret in the link is the credential. 404 for anything not valid now.

    Each link may be fetched ICS_FETCHES_PER_HOUR times an hour (then 429 with Retry-After). The
    answer carries an ETag of its content; a client that sends it back (If-None-Match) while
    nothing changed gets 304 without the body."""
    with dynamo_errors():
        found = list(CalendarToken.token_hash_index.query(services.token_hash(token), limit=1))
    if not found:
        raise NotFound()
    services.calendar_fetch_rate_check(token_id=found[0].token_id)
    # The link's user must still be a member who may see the org's data (orgs.permissions
    # decides); the token is read again, consistently, in the same request.
    try:
        access = authorize_user(
            org_id=found[0].org_id,
            user_id=found[0].user_id,
            action=Action.VIEW,
            also=[(CalendarToken, found[0].token_id)],
        )
    except Forbidden:
        raise NotFound() from None  # a link answers nothing but 404 when it is not valid now
    (item,) = access.records
    if item is None or item.status != CalendarTokenStatus.ACTIVE:
        raise NotFound()
    if item.scope_type == "WELL":
        wells = [wells_selectors.well_get(well_id=item.scope_id, org_id=item.org_id)]
        name = wells[0].name
    else:
        project = wells_selectors.project_get(project_id=item.scope_id, org_id=item.org_id)
        wells, _ = wells_selectors.project_wells(project_id=project.project_id, limit=200)
        name = project.name
    document = calendar_document(name=f"{name} — WellTrack", org_id=item.org_id, wells=wells)
    response = HttpResponse(content_type="text/calendar; charset=utf-8")
    response["ETag"] = document.etag
    response["Cache-Control"] = "private, max-age=300"
    conditional = get_conditional_response(request, etag=document.etag, response=response)
    if conditional is not response:
        return conditional  # 304 Not Modified (with the ETag and Cache-Control), nothing rendered
    response.content = document.to_ical()
    response["Content-Disposition"] = 'inline; filename="welltrack.ics"'
    return response
