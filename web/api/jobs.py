"""Pre-generation: start or reuse a job, follow it (SSE or polling), cancel it."""

from __future__ import annotations

import asyncio
import json
import time

from channels.db import database_sync_to_async
from django.core.handlers.asgi import ASGIRequest
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from runthru_site.errors import NotFound
from sessions_app.selectors import plain_id, session_get
from tts_app.jobs import job_cancel, job_events_since, job_for, job_resume_if_stalled
from tts_app.models import GenerationJob
from tts_app.selectors import job_find

from ..authentication import parents_only
from ..errors import JsonErrorsMixin
from ..streams import ProgressStreamResponse, device_of, stream_slot_take
from .serializers import ErrorSerializer, JobStateSerializer

POLL_SECONDS = 0.2
# An SSE response ends after this long; EventSource reconnects with Last-Event-ID.
STREAM_SECONDS = 300
FINAL = ("complete", "error", "cancelled")


class EventStreamRenderer(renderers.BaseRenderer):
    media_type = "text/event-stream"
    format = "sse"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


def _sse(event) -> str:
    kind = "error" if event.kind == "cancelled" else event.kind
    body = {**event.payload, "job_state": event.kind} if event.kind == "cancelled" else event.payload
    return f"id: {event.id}\nevent: {kind}\ndata: {json.dumps(body)}\n\n"


class _Progress:
    """Where one stream is in its job's events. step() looks at the database once; the two
    drivers below wait between steps, each in its server's way."""

    def __init__(self, job_id: int, after: int):
        self.job_id, self.after = job_id, after
        self.opening = f"retry: 1000\n: job {job_id}\n\n"
        self.deadline = time.monotonic() + STREAM_SECONDS
        self.idle = 0.0
        self.finished = False

    def step(self) -> tuple[list[str], bool]:
        """(the parts to send now, whether to wait before the next step)."""
        if time.monotonic() >= self.deadline:
            self.finished = True
            return [], False
        parts = []
        batch = job_events_since(self.job_id, self.after)
        for event in batch:
            self.after = event.id
            parts.append(_sse(event))
            if event.kind in FINAL:
                self.finished = True
                return parts, False
        if not batch:
            self.idle += POLL_SECONDS
            if self.idle >= 5:
                self.idle = 0.0
                parts.append(": still working\n\n")  # keeps proxies from closing a quiet stream
                job = job_find(self.job_id)
                if job is None:
                    self.finished = True
                else:
                    job_resume_if_stalled(job=job)
        return parts, not batch and not self.finished


async def event_stream(progress: _Progress):
    """Under daphne (ASGI): an async generator, which holds no thread while it waits (one is
    borrowed for each look at the database), so idle streams cannot starve new ones (each used
    to hold one of the web process's stream threads)."""
    yield progress.opening
    step = database_sync_to_async(progress.step)
    while not progress.finished:
        parts, wait = await step()
        for part in parts:
            yield part
        if wait:
            await asyncio.sleep(POLL_SECONDS)


def event_stream_sync(progress: _Progress):
    """Under a WSGI server (the WSGI entry point, the browser tests' live server), which cannot
    stream an async generator part by part."""
    yield progress.opening
    while not progress.finished:
        parts, wait = progress.step()
        yield from parts
        if wait:
            time.sleep(POLL_SECONDS)


def progress_stream(request, job_id: int) -> ProgressStreamResponse:
    """The progress stream answer, counted against the device's open streams."""
    give_back = stream_slot_take(device_of(request))
    progress = _Progress(job_id, _last_event_id(request))
    asgi = isinstance(getattr(request, "_request", request), ASGIRequest)
    response = ProgressStreamResponse(event_stream(progress) if asgi else event_stream_sync(progress), give_back)
    response["X-RunThru-Job"] = str(job_id)
    return response


def _last_event_id(request) -> int:
    raw = request.headers.get("Last-Event-ID") or request.query_params.get("last_event_id") or "0"
    return plain_id(raw) or 0


class GenerateView(JsonErrorsMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, EventStreamRenderer]

    @extend_schema(
        request=None,
        responses={(200, "text/event-stream"): OpenApiResponse(description=(
            "Progress events. `line`: {line_id, status, engine, error, done, total, seconds_left, time_left} "
            "(seconds_left is smoothed and never rises by more than 5 s between two events; null until known; "
            "time_left says it in words). `complete`, `error`, `cancelled`: the job's end. The job makes the "
            "teen's place first and follows them: PATCH the session's position and the next batch is there.")),
                   404: ErrorSerializer, 400: ErrorSerializer},
        summary="Generate this rehearsal's audio and stream progress",
    )
    def post(self, request, pk: str):
        session = session_get(pk)
        job = job_for(script=session.script, engine=session.tts_engine, user_role=session.user_role,
                      voice_assignments=session.voice_assignments, session_id=session.pk,
                      start_scene=session.current_scene_index, start_line=session.current_line_index,
                      requested_by=request.user.token_id)
        return progress_stream(request, job.pk)


def _job(pk) -> GenerationJob:
    job = job_find(plain_id(pk))
    if job is None:
        raise NotFound("We couldn't find that generation job.")
    return job


class JobView(JsonErrorsMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, EventStreamRenderer]

    @extend_schema(responses={200: JobStateSerializer, 404: ErrorSerializer},
                   summary="A generation job's progress")
    def get(self, request, pk: str):
        job = _job(pk)
        if request.accepted_renderer.format == "sse":
            return progress_stream(request, job.pk)
        job_resume_if_stalled(job=job)
        return Response(JobStateSerializer(job).data)

    @extend_schema(request=None, responses={200: JobStateSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
                   summary="Cancel a generation job (a rehearsal's: signed in; one a parent started: parents)")
    def delete(self, request, pk: str):
        job = _job(pk)
        # One PIN, one teen: any of the family's signed-in devices may stop a rehearsal's
        # generation; one a parent started (the admin, pregenerate: no rehearsal) is theirs.
        if job.session_id is None and (job.requested_by is None or job.requested_by != request.user.token_id):
            parents_only(request, "A parent started this. Only a parent can stop it.")
        return Response(JobStateSerializer(job_cancel(job=job)).data)
