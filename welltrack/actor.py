"""Who is acting, for the audit log: every service that writes takes an Actor."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address; X-Forwarded-For is trusted only for the configured proxies."""
    trusted = settings.WELLTRACK_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= trusted:
            return hops[-trusted]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class Actor:
    user_id: str
    ip_address: str = "unknown"

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        return cls(user_id=request.user.user_id, ip_address=client_ip(request))

    @classmethod
    def system(cls) -> Actor:
        return cls(user_id="system", ip_address="local")
