import json

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from tts_app import audio
from tts_app.selectors import engine_checked, engine_names_all, voices_for
from tts_app.services import synthesize_one
from tts_app.voices import voice_upload

from ..authentication import parents_only
from ..errors import JsonErrorsMixin
from ..throttles import AdhocSpeechThrottle
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


_WAV_TYPES = ("audio/wav", "audio/x-wav", "audio/wave")


class _AudioRenderer(renderers.BaseRenderer):
    """Lets a client say Accept: audio/...; the views answer with an HttpResponse of audio,
    and an error still goes out as the usual JSON body."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class Mp3Renderer(_AudioRenderer):
    media_type, format = "audio/mpeg", "mp3"


class WavRenderer(_AudioRenderer):
    media_type, format = "audio/wav", "wav"


AUDIO_RENDERERS = [renderers.JSONRenderer, Mp3Renderer, WavRenderer]


def clip_response(clip, request) -> HttpResponse:
    """An ad-hoc clip (tts_app.adhoc.AdhocClip) as it is stored, or as WAV for a client
    that asks for it in Accept."""
    data, content_type, etag = clip.data, clip.content_type, f'"{clip.key}"'
    accept = request.headers.get("Accept", "")
    if content_type != "audio/wav" and any(kind in accept for kind in _WAV_TYPES):
        data, content_type, etag = audio.encode_wav(audio.decode_wav(data)), "audio/wav", f'"{clip.key}-wav"'
    response = HttpResponse(data, content_type=content_type)
    response["X-RunThru-Engine"] = clip.engine
    response["ETag"] = etag
    response["Vary"] = "Accept"
    return response


class SynthesizeView(JsonErrorsMixin, APIView):
    throttle_classes = [AdhocSpeechThrottle]
    renderer_classes = AUDIO_RENDERERS

    @extend_schema(
        request=SynthesizeSerializer,
        responses={
            (200, "audio/mpeg"): OpenApiResponse(description="MP3; 16-bit PCM WAV with Accept: audio/wav"),
            400: ErrorSerializer,
            503: ErrorSerializer,
        },
        summary="Speak one line (served from the cache when it was made before)",
    )
    def post(self, request):
        data = SynthesizeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        clip = synthesize_one(text=v["text"], engine=v.get("engine"), voice_id=v.get("voice_id"),
                              emotion=v.get("emotion"), flat=v["flat"])
        return clip_response(clip, request)


class VoicePreviewView(JsonErrorsMixin, APIView):
    renderer_classes = AUDIO_RENDERERS

    @extend_schema(
        responses={(200, "audio/mpeg"): OpenApiResponse(description="A short sample (MP3)"), 400: ErrorSerializer,
                   503: ErrorSerializer},
        summary="Hear a voice",
    )
    def get(self, request, engine: str, voice_id: str):
        clip = synthesize_one(
            text="Hello! This is how I sound when I read your cues.", engine=engine, voice_id=voice_id, emotion=None
        )
        return clip_response(clip, request)
