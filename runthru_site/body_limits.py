"""The one table of how many bytes a request to each path may send.

The web server (runthru_site/serve.py) refuses a body at its declared length and stops reading
at this limit; the ASGI handler (runthru_site/http.py) and, for the test client and WSGI,
web.middleware check the same numbers, so a path's limit is stated only here.
"""

from __future__ import annotations

from django.conf import settings

# A PIN, a logout or a password: nothing a family sends there is bigger than this.
SIGN_IN_BYTES = 16 * 1024
SIGN_IN_PATHS = ("/api/auth/verify", "/api/auth/logout", "/admin/login", "/signin")
VOICE_UPLOAD_PATH = "/api/tts/voices"
SCRIPT_UPLOAD_PATH = "/api/scripts"


def body_limit(path: str, content_type: str = "") -> int:
    """A voice recording, a script's document (a Word file with pictures), a short sign-in, else a
    script's text. The admin's pages take any of the uploads."""
    path = path.rstrip("/")
    if path in SIGN_IN_PATHS:
        return SIGN_IN_BYTES
    if path == VOICE_UPLOAD_PATH:
        return settings.RUNTHRU_MAX_VOICE_BYTES
    if path == SCRIPT_UPLOAD_PATH and content_type.startswith("multipart/form-data"):
        return settings.RUNTHRU_MAX_DOCUMENT_BYTES  # a text file inside is held to the text limit when read
    if path.startswith("/api/"):
        return settings.RUNTHRU_MAX_BODY_BYTES
    if path.startswith("/admin/"):
        return largest_body()
    return settings.RUNTHRU_MAX_BODY_BYTES


def largest_body() -> int:
    return max(settings.RUNTHRU_MAX_BODY_BYTES, settings.RUNTHRU_MAX_VOICE_BYTES, settings.RUNTHRU_MAX_DOCUMENT_BYTES)
