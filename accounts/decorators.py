"""The page decorator for pages of a signed-in user that belong to no organization (profile, tokens)."""

from functools import wraps

from welltrack.middleware import sign_in_redirect


def login_required(view):
    """Only for a signed-in user; anyone else goes to sign in (API paths: 401).

    Pages inside an organization use orgs.decorators.org_member_required instead, which reads
    the session with the membership (orgs.reads)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return sign_in_redirect(request)

    return wrapper
