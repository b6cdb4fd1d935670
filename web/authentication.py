"""Two ways to be signed in: a Bearer token (separate frontend) or the cookie
session our own pages use (with CSRF). Both come from one PIN sign-in."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from rest_framework import authentication, exceptions, permissions

from sessions_app.signin import SESSION_KEY, token_by_id, token_lookup


@dataclass
class Rehearser:
    """The signed-in teen. Not a Django user: there is one PIN, not accounts."""

    token_id: int
    is_authenticated: bool = True
    is_active: bool = True
    pk = None


def client_address(request) -> str:
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The last entry is the one our proxy added; earlier ones are whatever the
            # client sent, and trusting them would let each guess claim a new address.
            return forwarded.split(",")[-1].strip()[:64] or "unknown"
    return request.META.get("REMOTE_ADDR", "unknown")[:64]


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Your sign-in is broken. Please sign in again.")
        row = token_lookup(header[1].decode("latin-1"))
        if row is None:
            raise exceptions.AuthenticationFailed("Your sign-in has expired. Please sign in again.")
        return Rehearser(token_id=row.pk), row

    def authenticate_header(self, request):
        return self.keyword


class PinSessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        session = getattr(request._request, "session", None)
        token_id = session.get(SESSION_KEY) if session is not None else None
        if token_id is None:
            return None
        row = token_by_id(token_id)
        if row is None:
            session.pop(SESSION_KEY, None)
            return None
        self.enforce_csrf(request)
        return Rehearser(token_id=row.pk), row


class IsSignedIn(permissions.BasePermission):
    message = "Please sign in with your PIN first."

    def has_permission(self, request, view):
        return isinstance(request.user, Rehearser)
