"""Pre-generation: start or reuse a job, follow it (SSE or polling), cancel it."""

from __future__ import annotations

import json
import time

from django.http import StreamingHttpResponse
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


def event_stream(job_id: int, after: int):
    yield f"retry: 1000\n: job {job_id}\n\n"
    deadline = time.monotonic() + STREAM_SECONDS
    idle = 0.0
    while time.monotonic() < deadline:
        batch = job_events_since(job_id, after)
        for event in batch:
            after = event.id
            yield _sse(event)
            if event.kind in FINAL:
                return
        if not batch:
            idle += POLL_SECONDS
            if idle >= 5:
                idle = 0.0
                yield ": still working\n\n"  # keeps proxies from closing a quiet stream
                job = job_find(job_id)
                if job is None:
                    return
                job_resume_if_stalled(job=job)
            time.sleep(POLL_SECONDS)


def _last_event_id(request) -> int:
    raw = request.headers.get("Last-Event-ID") or request.query_params.get("last_event_id") or "0"
    return plain_id(raw) or 0


class JsonErrorsMixin:
    """Errors are JSON (the API's one error shape), even for a client that asked for an event stream."""

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer, request.accepted_media_type = renderers.JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class GenerateView(JsonErrorsMixin, APIView):
    renderer_classes = [renderers.JSONRenderer, EventStreamRenderer]

    @extend_schema(
        request=None,
        responses={(200, "text/event-stream"): OpenApiResponse(description="Progress events"),
                   404: ErrorSerializer, 400: ErrorSerializer},
        summary="Generate this rehearsal's audio and stream progress",
    )
    def post(self, request, pk: str):
        session = session_get(pk)
        job = job_for(script=session.script, engine=session.tts_engine, user_role=session.user_role,
                      voice_assignments=session.voice_assignments, session_id=session.pk,
                      requested_by=request.user.token_id)
        response = StreamingHttpResponse(event_stream(job.pk, _last_event_id(request)),
                                         content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"
        response["X-RunThru-Job"] = str(job.pk)
        return response


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
            return StreamingHttpResponse(event_stream(job.pk, _last_event_id(request)),
                                         content_type="text/event-stream")
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
