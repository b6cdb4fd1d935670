"""One JSON error shape for the whole API: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import errno

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, JsonResponse
from rest_framework import exceptions, renderers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from runthru_site.errors import UserError

# Messages for DRF's own errors, in words a 14-year-old understands.
FRIENDLY = {
    "not_authenticated": "Please sign in with your PIN first.",
    "authentication_failed": "Your sign-in has expired. Please sign in again.",
    "permission_denied": "You're not allowed to do that.",
    "not_found": "We couldn't find that.",
    "method_not_allowed": "That action isn't possible here.",
    "unsupported_media_type": "Send JSON or upload a file.",
    "parse_error": "We couldn't read that request. Is it valid JSON?",
    "throttled": "Too many requests. Please wait a moment.",
    "not_acceptable": "We can't answer in that format.",
}


class JsonErrorsMixin:
    """Errors are JSON (the API's one error shape), even for a client that asked for an event
    stream or for audio."""

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer, request.accepted_media_type = renderers.JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details}}


def error_response(status_code: int, code: str, message: str, details=None) -> JsonResponse:
    return JsonResponse(error_body(code, message, details), status=status_code)


def _first_message(detail) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        inner = _first_message(value)
        return inner if key == "non_field_errors" else f"{key.replace('_', ' ').capitalize()}: {inner}"
    return str(detail)


def _suspicious(exc: SuspiciousOperation) -> tuple[int, str, str]:
    """A body Django refuses to read (too many fields or files, too much form data): the sender's
    mistake, answered in the one shape, and never a traceback in the terminal where the PIN is."""
    if isinstance(exc, RequestDataTooBig):
        return 413, "too_large", "That's too big. Send less at once."
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return 400, "too_many_fields", "That form has too many fields or files. Send fewer at once."
    return 400, "bad_request", "We couldn't understand that request."


def suspicious_response(exc: SuspiciousOperation) -> JsonResponse:
    return error_response(*_suspicious(exc))


DISK_FULL = (507, "disk_full", "This computer's disk is full, so we couldn't save that. "
                                "Ask a parent to free up some space, then try again.")


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full_response() -> JsonResponse:
    return error_response(*DISK_FULL)


def exception_handler(exc, context):
    if is_disk_full(exc):
        return Response(error_body(*DISK_FULL[1:]), status=DISK_FULL[0])
    if isinstance(exc, SuspiciousOperation):
        status_code, code, message = _suspicious(exc)
        return Response(error_body(code, message), status=status_code)
    if isinstance(exc, UserError):
        response = Response(error_body(exc.code, exc.message, exc.details), status=exc.status)
        retry = getattr(exc, "retry_after", None)
        if retry is not None:
            response["Retry-After"] = str(retry)
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: ApiErrorMiddleware answers with a JSON 500
    if isinstance(exc, exceptions.ValidationError):
        code, message, details = "invalid", _first_message(exc.detail), exc.detail
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        message = FRIENDLY.get(code) or _first_message(exc.detail)
        if code in ("authentication_failed",) and str(exc.detail) != exceptions.AuthenticationFailed.default_detail:
            message = str(exc.detail)
        details = None
    if response.status_code == status.HTTP_401_UNAUTHORIZED or response.status_code == status.HTTP_403_FORBIDDEN:
        if code == "not_authenticated" or code == "authentication_failed":
            response.status_code = status.HTTP_401_UNAUTHORIZED
    response.data = error_body(code, message, details)
    return response
