from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse


def login_required(view):
    """Pages: redirect to the login page (coming back afterwards). API paths: 401 JSON."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Authentication required."}, status=401)
        if getattr(request, "htmx", False):
            response = HttpResponseRedirect(reverse("accounts:login"))
            response["HX-Redirect"] = reverse("accounts:login")
            return response
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")

    return wrapper
