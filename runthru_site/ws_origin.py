"""Which pages may open a WebSocket to RunThru: our own, on the same host AND port, or an
origin the settings list (RUNTHRU_CORS_ORIGINS, DJANGO_CSRF_TRUSTED_ORIGINS).

Channels' AllowedHostsOriginValidator compares the host only, so any other program's page
on the same computer (http://localhost:3000) could open one with the teen's cookies: browsers
send same-site cookies across ports."""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": "80", "https": "443"}


def _origin_netloc(origin: str) -> tuple[str, str] | None:
    try:
        parts = urlsplit(origin)
        port = str(parts.port) if parts.port is not None else DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or port is None:
        return None
    return parts.hostname.lower(), port


def origin_allowed(origin: str, host_header: str, secure: bool = False) -> bool:
    if not origin:
        return False  # browsers always send one; a page must say where it comes from
    listed = {o.rstrip("/") for o in [*settings.CORS_ALLOWED_ORIGINS, *settings.CSRF_TRUSTED_ORIGINS]}
    if origin.rstrip("/") in listed:
        return True
    theirs = _origin_netloc(origin)
    host, port = split_domain_port(host_header)
    if theirs is None or not host or not validate_host(host, settings.ALLOWED_HOSTS):
        return False
    ours = (host.strip("[]").lower(), port or ("443" if secure else "80"))
    return (theirs[0].strip("[]"), theirs[1]) == ours


class SameOriginValidator:
    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        origin = headers.get(b"origin", b"").decode("latin-1")
        host = headers.get(b"host", b"").decode("latin-1")
        if origin_allowed(origin, host, secure=scope.get("scheme") == "wss"):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
