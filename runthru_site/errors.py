"""The one kind of error a service raises when the user asked for something wrong.

Views never build error responses by hand: they let a UserError through and
web.errors turns it into the API's one JSON error shape.
"""

from __future__ import annotations

import json


class UserError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details=None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        if code:
            self.code = code
        if status:
            self.status = status


class NotFound(UserError):
    status = 404
    code = "not_found"


class Unavailable(UserError):
    status = 503
    code = "unavailable"


def too_large_body(limit: int) -> bytes:
    """The API's one JSON error shape, for a body over `limit` bytes: the web server and the ASGI
    handler answer with it before Django runs."""
    return json.dumps({"error": {
        "code": "too_large", "message": f"That's too big. The most we accept is {limit // (1024 * 1024)} MB.",
        "details": {"max_bytes": limit},
    }}).encode()
