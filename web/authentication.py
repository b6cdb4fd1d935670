"""Who is asking: the teen, signed in with the PIN (a Bearer token for a separate frontend,
or the cookie session our own pages use, with CSRF), or a parent, signed in to the admin
(a Django staff session).

The teen rehearses, uploads and edits scripts, chooses voices and starts generating.
Only a parent deletes scripts (undoably), uploads voices, stops generation another device
started, and purges audio (the admin and the purge_audio command)."""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework import authentication, exceptions, permissions

from runthru_site.errors import UserError
from sessions_app.signin import SESSION_KEY, token_by_id, token_lookup


@dataclass
class Rehearser:
    """The signed-in teen. Not a Django user: there is one PIN, not accounts."""

    token_id: int
    is_authenticated: bool = True
    is_active: bool = True
    is_parent = False
    pk = None


@dataclass
class Parent:
    """A parent signed in to the admin, using the API from the same browser."""

    user: object
    is_authenticated: bool = True
    is_active: bool = True
    is_parent = True
    token_id = None
    pk = None


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


class _CookieSession(authentication.SessionAuthentication):
    def enforce_csrf(self, request):
        # A page left open while someone signed in again elsewhere sends an old CSRF token;
        # "not allowed" would send the teen looking for a permission they can't get.
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            raise UserError("This page is out of date. Reload it and try again.",
                            code="page_out_of_date", status=403) from exc


class PinSessionAuthentication(_CookieSession):
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


class ParentSessionAuthentication(_CookieSession):
    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if user is None or not user.is_active or not user.is_staff:
            return None
        self.enforce_csrf(request)
        return Parent(user=user), None


class IsSignedIn(permissions.BasePermission):
    message = "Please sign in with your PIN first."

    def has_permission(self, request, view):
        return isinstance(request.user, (Rehearser, Parent))


PARENTS_ONLY = "Only a parent can do that. Ask a parent to do it in the parents' area (/admin/)."


def parents_only(request, message: str = PARENTS_ONLY) -> None:
    if not isinstance(request.user, Parent):
        raise UserError(message, code="parents_only", status=403)


class IsParent(permissions.BasePermission):
    def has_permission(self, request, view):
        parents_only(request)
        return True
