from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from accounts.middleware import defer_session_check


def sign_in_redirect(request) -> HttpResponse:
    """Pages: to the login page (coming back afterwards; htmx: the whole page). API paths: 401 JSON."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Authentication required."}, status=401)
    if getattr(request, "htmx", False):
        response = HttpResponseRedirect(reverse("accounts:login"))
        response["HX-Redirect"] = reverse("accounts:login")
        return response
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")


def login_required(view):
    """Only for a signed-in user; anyone else goes to sign in (sign_in_redirect).

    A session this process has seen is checked with the view's first read for the user (the
    membership, see accounts.middleware), not before: one DynamoDB round trip less per page.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if defer_session_check(request) or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return sign_in_redirect(request)

    return wrapper
