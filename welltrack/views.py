from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from welltrack.health import health as run_health_checks


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
