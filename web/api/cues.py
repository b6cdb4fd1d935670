"""A parent reads the cues: record, hear and delete one line's recording for a rehearsal."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from runthru_site.errors import NotFound
from sessions_app.cue_selectors import cue_for_line, cue_list
from sessions_app.cues import MAX_CUE_SECONDS, cue_delete, cue_record, cue_recordings_purge
from sessions_app.selectors import session_get

from ..authentication import Parent, parents_only
from .attempts import _upload_bytes
from .audio import cue_response
from .serializers import CueRecordingListSerializer, CueRecordingSerializer, CueUploadSerializer, ErrorSerializer

PARENTS_RECORD = ("Only a parent can record lines. Sign in to the parents' area (/admin/) in this browser, "
                  "then come back to this page.")


class CueRecordingsView(APIView):
    @extend_schema(responses={200: CueRecordingListSerializer, 404: ErrorSerializer},
                   summary="The lines a parent recorded for this rehearsal, and whether you may record")
    def get(self, request, pk: str):
        session = session_get(pk)
        body = {"can_record": isinstance(request.user, Parent), "max_seconds": MAX_CUE_SECONDS,
                "recordings": cue_list(session)}
        return Response(CueRecordingListSerializer(body).data)

    @extend_schema(responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
                   summary="Delete every line a parent recorded for this rehearsal (parents)")
    def delete(self, request, pk: str):
        parents_only(request, PARENTS_RECORD)
        cue_recordings_purge(session=session_get(pk))
        return Response(status=204)


class CueRecordingView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[OpenApiParameter("v", str, description="The recording's take (from the listing): "
                                                            "with it, the answer may be cached for good")],
        responses={(200, "audio/mpeg"): OpenApiResponse(description="The parent's recording (MP3)"),
                   (206, "audio/mpeg"): OpenApiResponse(description="Part of it"),
                   404: ErrorSerializer, 416: ErrorSerializer},
        summary="Hear a parent's recording of a line (only through its own rehearsal)",
    )
    def get(self, request, pk: str, line_id: str):
        row = cue_for_line(session_get(pk), line_id)
        if row is None:
            raise NotFound("That line hasn't been recorded.", code="no_recording")
        try:
            return cue_response(row, request, take=request.query_params.get("v"))
        except (OSError, ValueError):
            raise NotFound("That line hasn't been recorded.", code="no_recording") from None

    @extend_schema(
        request={"multipart/form-data": CueUploadSerializer},
        responses={200: CueRecordingSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Record a line yourself: it becomes that line's voice in this rehearsal (parents)",
    )
    def put(self, request, pk: str, line_id: str):
        parents_only(request, PARENTS_RECORD)  # before the upload is read
        session = session_get(pk)
        data = CueUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = cue_record(session=session, line_id=line_id, data=_upload_bytes(data.validated_data["audio"]))
        return Response(CueRecordingSerializer(row).data)

    @extend_schema(
        request={"multipart/form-data": CueUploadSerializer},
        responses={200: CueRecordingSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="The same as PUT, for forms and clients that only POST (parents)",
    )
    def post(self, request, pk: str, line_id: str):
        return self.put(request, pk, line_id)

    @extend_schema(responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
                   summary="Delete a recorded line: the chosen voice reads it again (parents)")
    def delete(self, request, pk: str, line_id: str):
        parents_only(request, PARENTS_RECORD)
        cue_delete(session=session_get(pk), line_id=line_id)
        return Response(status=204)
