from django.conf import settings


def navigation(request):
    """What the base layout needs on every page; nothing here reads DynamoDB."""
    return {
        "WELLTRACK_DEBUG": settings.DEBUG,
        "current_org": getattr(request, "current_org", None),
        "current_membership": getattr(request, "current_membership", None),
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
