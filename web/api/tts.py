from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from tts_app import cache
from tts_app.selectors import engine_checked, engine_names_all, voices_for
from tts_app.services import synthesize_one
from tts_app.voices import voice_upload

from ..authentication import parents_only
from .serializers import ErrorSerializer, SynthesizeSerializer, VoiceSerializer, VoiceUploadSerializer


class VoiceListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("engine", str, description="Only this engine's voices")],
        responses={200: VoiceSerializer(many=True), 400: ErrorSerializer},
        summary="Voices, per engine",
    )
    def get(self, request):
        engine = request.query_params.get("engine")
        names = [engine_checked(engine)] if engine is not None else engine_names_all()
        return Response(VoiceSerializer([v for name in names for v in voices_for(name)], many=True).data)

    @extend_schema(
        request={"multipart/form-data": VoiceUploadSerializer},
        responses={201: VoiceSerializer(many=True), 400: ErrorSerializer, 403: ErrorSerializer, 413: ErrorSerializer},
        summary="Upload a reference clip (3-30 s) for the cloning engines (parents)",
    )
    def post(self, request):
        parents_only(request, "Only a parent can add voices. Ask a parent to add one in the parents' area (/admin/).")
        data = VoiceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        voice = voice_upload(upload=v["file"], name=v.get("name"), description=v.get("description", ""))
        made = [x for engine in engine_names_all() for x in voices_for(engine) if x.id.endswith(f"-ref-{voice.pk}")]
        return Response(VoiceSerializer(made, many=True).data, status=201)


def wav_response(row) -> HttpResponse:
    data = cache.absolute(row.path).read_bytes()
    response = HttpResponse(data, content_type="audio/wav")
    response["X-RunThru-Engine"] = row.engine
    response["ETag"] = f'"{row.key}"'
    return response


class SynthesizeView(APIView):
    @extend_schema(
        request=SynthesizeSerializer,
        responses={
            (200, "audio/wav"): OpenApiResponse(description="16-bit PCM WAV"),
            400: ErrorSerializer,
            503: ErrorSerializer,
        },
        summary="Speak one line (served from the cache when it was made before)",
    )
    def post(self, request):
        data = SynthesizeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        row = synthesize_one(text=v["text"], engine=v.get("engine"), voice_id=v.get("voice_id"),
                             emotion=v.get("emotion"), flat=v["flat"])
        return wav_response(row)


class VoicePreviewView(APIView):
    @extend_schema(
        responses={(200, "audio/wav"): OpenApiResponse(description="A short sample"), 400: ErrorSerializer,
                   503: ErrorSerializer},
        summary="Hear a voice",
    )
    def get(self, request, engine: str, voice_id: str):
        row = synthesize_one(
            text="Hello! This is how I sound when I read your cues.", engine=engine, voice_id=voice_id, emotion=None
        )
        return wav_response(row)
