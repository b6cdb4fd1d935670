"""Keep /api/ answers JSON, even for requests that never reach a view."""

from __future__ import annotations

import logging

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse

from runthru_site.body_limits import body_limit
from runthru_site.errors import too_large_body

from .errors import disk_full_response, error_response, is_disk_full, suspicious_response

log = logging.getLogger(__name__)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class ApiBodyLimitMiddleware:
    """Refuse oversized bodies before anything reads them, with a JSON 413 (for the WSGI entry
    point and the test client; under daphne the ASGI handler refuses them before reading)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_api(request):
            limit = body_limit(request.path, request.content_type or "")
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return HttpResponse(too_large_body(limit), status=413, content_type="application/json")
        return self.get_response(request)


class ApiErrorMiddleware:
    """Turn Django's HTML 404/500 pages and stray exceptions into the JSON error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_api(request) and response.status_code in (400, 403, 404, 405, 500) and not _is_json(response):
            messages = {
                400: ("bad_request", "We couldn't understand that request."),
                403: ("forbidden", "Your page is out of date. Reload it and try again."),
                404: ("not_found", "There's nothing at this address."),
                405: ("method_not_allowed", "That action isn't possible here."),
                500: ("server_error", "Something went wrong on our side. Please try again."),
            }
            code, message = messages[response.status_code]
            return error_response(response.status_code, code, message)
        return response

    def process_exception(self, request, exception):
        if _is_api(request) and isinstance(exception, SuspiciousOperation):
            return suspicious_response(exception)
        if _is_api(request) and is_disk_full(exception):
            log.error("The data folder's disk is full: %s", exception)  # one line for the parent, no traceback
            return disk_full_response()
        if _is_api(request):
            log.exception("Unhandled error on %s", request.path)
            return error_response(500, "server_error", "Something went wrong on our side. Please try again.")
        return None


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith(("application/json", "application/problem+json"))
