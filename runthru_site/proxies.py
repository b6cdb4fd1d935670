"""Forwarding headers (X-Forwarded-For, X-Forwarded-Proto) are believed only when they come
from a proxy the settings name (RUNTHRU_TRUSTED_PROXIES). Anyone else can write them: a
guesser who could pick its own address for each wrong PIN would never be locked out."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                      "HTTP_X_FORWARDED_PORT", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


@lru_cache(maxsize=1)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def is_trusted_proxy(address: str) -> bool:
    proxies = tuple(getattr(settings, "RUNTHRU_TRUSTED_PROXIES", ()) or ())
    if not proxies or not address:
        return False
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in _networks(proxies))


def client_address(request) -> str:
    """The address that sent the request: our own proxies' entries in X-Forwarded-For are
    skipped from the right; the first one they did not add is the client. Entries further
    left are whatever the client made up."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if not is_trusted_proxy(remote):
        return remote[:64]
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted_proxy(hop):
            return hop[:64]
    return (hops[0] if hops else remote)[:64]


class ForwardedHeadersMiddleware:
    """Drop forwarding headers that did not come from a trusted proxy, before Django's
    SECURE_PROXY_SSL_HEADER (is this HTTPS?) or anything else reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for name in FORWARDING_HEADERS:
                request.META.pop(name, None)
        return self.get_response(request)
