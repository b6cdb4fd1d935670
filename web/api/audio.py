"""Serving cached clips so every browser's <audio> can seek: HEAD, Range, ETag."""

import re

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from runthru_site.errors import NotFound
from scripts_app.selectors import script_element_by_id
from sessions_app.cue_selectors import cue_for_line
from sessions_app.cues import cue_path
from sessions_app.selectors import plain_id, script_by_id, script_line_clip, session_for_audio
from tts_app import cache
from tts_app.selectors import clip_for_line

from ..errors import error_response

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def ranged(path, size: int, request, etag: str, content_type: str = "audio/wav", *,
           immutable: bool = False, max_part: int | None = None) -> HttpResponse:
    """Serve a whole file or one byte range of it, reading only the bytes sent (at most
    `max_part` of them: players ask for the rest as they need it)."""
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        header = request.headers.get("Range", "")
        match = _RANGE.match(header.strip()) if header else None
        if header and (match is None or match.groups() == ("", "")):
            response = error_response(416, "bad_range", "That part of the clip doesn't exist.")
            response["Content-Range"] = f"bytes */{size}"
            return response
        if match:
            first, last = match.groups()
            if first == "":  # suffix range: the last N bytes
                start, end = max(0, size - int(last)), size - 1
            else:
                start, end = int(first), min(int(last) if last else size - 1, size - 1)
            if max_part:
                end = min(end, start + max_part - 1)
            if start >= size or start > end:
                response = error_response(416, "bad_range", "That part of the clip doesn't exist.")
                response["Content-Range"] = f"bytes */{size}"
                return response
            with open(path, "rb") as fh:
                fh.seek(start)
                response = HttpResponse(fh.read(end - start + 1), status=206, content_type=content_type)
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
        else:
            with open(path, "rb") as fh:
                response = HttpResponse(fh.read(), content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    # Only a URL that names its exact bytes may be kept for good; a line's URL plays another
    # clip after a voice change, so the browser asks again (a 304 when nothing changed).
    response["Cache-Control"] = "private, max-age=31536000, immutable" if immutable else "private, no-cache"
    return response


def cue_response(row, request, *, take: str | None):
    """The recording, seekable; cached for good only at a URL that names this very take."""
    # Any other URL will play a new recording or, once it is deleted, the chosen voice.
    response = ranged(cue_path(row.path), row.size, request, f'"cue-{row.sha256}"', content_type="audio/mpeg",
                      immutable=take == row.take)
    response["X-RunThru-Engine"] = "parent"
    return response


class AudioLineView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("session", str, description="Use this rehearsal's voices and engine"),
                    OpenApiParameter("take", str, description="With session: the take of a parent's recording of "
                                                               "this line (the session's recorded_cues)")],
        responses={
            (200, "audio/mpeg"): OpenApiResponse(description="The clip (MP3)"),
            (206, "audio/mpeg"): OpenApiResponse(description="Part of the clip"),
            404: OpenApiResponse(description="Not generated yet"),
            416: OpenApiResponse(description="Range outside the clip"),
        },
        summary="A line's audio",
    )
    def get(self, request, script_id: str, line_id: str):
        session_id = request.query_params.get("session")
        if session_id:
            session = session_for_audio(session_id)
            # The session brings its script along: reading it again would cost a query and
            # decoding the whole parsed script a second time, on the busiest endpoint.
            script = session.script if session.script_id == plain_id(script_id) else script_by_id(script_id)
            if session.script_id != script.pk:
                raise NotFound("That rehearsal belongs to a different script.")
            return session_line_audio(session, script, line_id, request)
        script = script_by_id(script_id)
        return clip_response(script, script_line_clip(script, line_id), line_id, request)


def session_line_audio(session, script, line_id: str, request):
    """A line as one rehearsal plays it: a parent's recording of it, else its clip."""
    recorded = cue_for_line(session, line_id)
    if recorded is not None:
        try:
            return cue_response(recorded, request, take=request.query_params.get("take"))
        except (OSError, ValueError):
            pass  # deleted this moment: the chosen voice reads it
    row = clip_for_line(script, line_id, engine=session.tts_engine, voice_assignments=session.voice_assignments)
    return clip_response(script, row, line_id, request)


def clip_response(script, row, line_id: str, request):
    if row is None:
        if script_element_by_id(script, line_id) is None:
            raise NotFound("That line isn't in this script.")
        raise NotFound("This line hasn't been generated yet. Press Generate first.", code="not_generated")
    try:
        response = ranged(cache.absolute(row.path), row.size, request, f'"{row.key}"',
                          content_type=cache.content_type(row.path))
    except (OSError, ValueError):
        raise NotFound("This line hasn't been generated yet. Press Generate first.", code="not_generated") from None
    response["X-RunThru-Engine"] = row.engine
    return response
