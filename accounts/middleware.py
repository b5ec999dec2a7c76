"""request.user from the session: a User, loaded on first use, or an AnonymousUser."""

from django.utils.functional import SimpleLazyObject

from accounts.models import AnonymousUser
from accounts.selectors import user_get
from accounts.session_store import USER_SESSION_KEY


def _user_from_session(request):
    user_id = request.session.get(USER_SESSION_KEY)
    if user_id:
        user = user_get(user_id=user_id)
        if user is not None:
            return user
    return AnonymousUser()


class AuthenticationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: _user_from_session(request))
        return self.get_response(request)
