"""Cue tapes: 202 with the job while a tape is made, then the MP3 itself."""

from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sessions_app.selectors import session_get
from sessions_app.tapes import VERSIONS, parse_request, tape_file, tape_request

from .audio import ranged
from .serializers import ErrorSerializer

RETRY_AFTER_S = 2
MAX_PART_BYTES = 4 << 20  # one answer to a Range request: about 11 minutes of tape


class TapeJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField(help_text="queued, running or failed")
    done = serializers.IntegerField(help_text="lines done so far")
    total = serializers.IntegerField()
    error = serializers.CharField(help_text="why a failed tape couldn't be made")


class TapePendingSerializer(serializers.Serializer):
    job = TapeJobSerializer()


class TapeView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("version", str, enum=list(VERSIONS), required=True,
                             description="gaps: the other parts with a silence for each of your lines; lines: your "
                                         "lines read too, in a voice of their own; cues: only the line before each "
                                         "of yours, then the silence"),
            OpenApiParameter("gap", float, description="The gap setting (0.5-3, default 1): how long the silences are"),
        ],
        responses={
            (200, "audio/mpeg"): OpenApiResponse(description="The tape (MP3 with ID3 title, artist, track and a "
                                                             "chapter per line)"),
            (206, "audio/mpeg"): OpenApiResponse(description="Part of the tape"),
            202: OpenApiResponse(TapePendingSerializer, description="Being made: ask again (Retry-After)"),
            400: ErrorSerializer, 404: ErrorSerializer,
        },
        summary="A cue tape of a scene, or of the whole role (scene_id \"all\")",
    )
    def get(self, request, pk: str, scene_id: str):
        version, gap = parse_request(request.query_params.get("version"), request.query_params.get("gap"))
        tape = tape_request(session=session_get(pk), scene_id=scene_id, version=version, gap=gap)
        if tape.state != tape.State.DONE:
            job = {"id": tape.pk, "state": tape.state, "done": tape.done, "total": tape.total, "error": tape.error}
            response = Response(TapePendingSerializer({"job": job}).data, status=202)
            response["Retry-After"] = str(RETRY_AFTER_S)
            return response
        path, etag = tape_file(tape), f'"tape-{tape.key}"'
        name = f'runthru-{scene_id}-{version}.mp3'
        if "Range" in request.headers or request.headers.get("If-None-Match") == etag:
            response = ranged(path, tape.size, request, etag, content_type="audio/mpeg", max_part=MAX_PART_BYTES)
        else:
            # A whole-role tape is tens of MB: streamed from the file, not read into memory.
            response = FileResponse(open(path, "rb"), content_type="audio/mpeg")
            response["Accept-Ranges"] = "bytes"
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-cache"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
