"""Listen mode over HTTP: send an attempt at a line, list and delete attempts, lines learnt."""

from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from runthru_site.errors import NotFound
from sessions_app.attempts import attempt_delete, attempt_record, recording_path
from sessions_app.listening import MAX_ATTEMPT_BYTES, AudioRejected
from sessions_app.progress import attempt_get, attempt_list
from sessions_app.selectors import session_get

from .serializers import AttemptCreateSerializer, AttemptSerializer, ErrorSerializer


def _upload_bytes(upload) -> bytes:
    if upload.size == 0:
        raise AudioRejected("That recording is empty. Check your microphone and try again.", code="audio_empty")
    if upload.size > MAX_ATTEMPT_BYTES:
        raise AudioRejected("That recording is too big. Say one line at a time.", code="audio_too_big")
    return upload.read(MAX_ATTEMPT_BYTES + 1)


class AttemptsView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[OpenApiParameter("line_id", str, description="Only attempts at this line")],
        responses={200: AttemptSerializer(many=True), 404: ErrorSerializer},
        summary="The teen's attempts at their lines, newest first",
    )
    def get(self, request, pk: str):
        session = session_get(pk)
        rows = attempt_list(session, line_id=request.query_params.get("line_id"))[:200]
        return Response(AttemptSerializer(rows, many=True).data)

    @extend_schema(
        request={"multipart/form-data": AttemptCreateSerializer},
        responses={201: AttemptSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 429: ErrorSerializer},
        summary="Check one attempt at a line: what was heard, and which words were missed",
    )
    def post(self, request, pk: str):
        session = session_get(pk)
        data = AttemptCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        audio = _upload_bytes(data.validated_data["audio"])
        attempt = attempt_record(session=session, line_id=data.validated_data["line_id"], data=audio,
                                 device_id=getattr(request.user, "token_id", None))
        return Response(AttemptSerializer(attempt).data, status=201)


class AttemptView(APIView):
    @extend_schema(responses={204: None, 404: ErrorSerializer}, summary="Delete one attempt (and its recording)")
    def delete(self, request, pk: str, attempt_id: str):
        attempt_delete(attempt=attempt_get(session_get(pk), attempt_id))
        return Response(status=204)


class AttemptAudioView(APIView):
    @extend_schema(
        responses={(200, "audio/wav"): OpenApiResponse(description="The kept recording"), 404: ErrorSerializer},
        summary="Hear a kept attempt (only through its own rehearsal)",
    )
    def get(self, request, pk: str, attempt_id: str):
        attempt = attempt_get(session_get(pk), attempt_id)
        try:
            handle = open(recording_path(attempt.recording), "rb")  # noqa: SIM115 - FileResponse closes it
        except (OSError, ValueError):
            raise NotFound("That recording wasn't kept.", code="no_recording") from None
        response = FileResponse(handle, content_type="audio/wav")
        response["Cache-Control"] = "private, no-store"
        return response
