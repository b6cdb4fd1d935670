from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from .api import rooms
from .api.attempts import AttemptAudioView, AttemptsView, AttemptView
from .api.audio import AudioLineView
from .api.auth import LogoutView, VerifyPinView
from .api.cues import CueRecordingsView, CueRecordingView
from .api.health import HealthView
from .api.jobs import GenerateView, JobView
from .api.practice import PracticeGradeView, PracticeView, ProgressChartView, ProgressView
from .api.scripts import ScriptViewSet
from .api.sessions import SessionViewSet
from .api.tapes import TapeView
from .api.tts import SynthesizeView, VoiceListView, VoicePreviewView

router = SimpleRouter(trailing_slash=False)
router.trailing_slash = "/?"  # the REST contract has no trailing slash; accept one too
router.register("scripts", ScriptViewSet, basename="script")
router.register("sessions", SessionViewSet, basename="session")

urlpatterns = [
    path("auth/verify", VerifyPinView.as_view(), name="auth-verify"),
    path("auth/logout", LogoutView.as_view(), name="auth-logout"),
    path("health", HealthView.as_view(), name="health"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema", permission_classes=[],
                                                 authentication_classes=[]), name="docs"),
    path("tts/voices", VoiceListView.as_view(), name="voices"),
    path("tts/voices/<str:engine>/<str:voice_id>/preview", VoicePreviewView.as_view(), name="voice-preview"),
    path("tts/synthesize", SynthesizeView.as_view(), name="synthesize"),
    re_path(r"^audio/(?P<script_id>[^/]+)/(?P<line_id>[^/]+)$", AudioLineView.as_view(), name="audio-line"),
    re_path(r"^sessions/(?P<pk>[^/]+)/generate/?$", GenerateView.as_view(), name="session-generate"),
    re_path(r"^sessions/(?P<pk>[^/]+)/attempts/?$", AttemptsView.as_view(), name="session-attempts"),
    re_path(r"^sessions/(?P<pk>[^/]+)/attempts/(?P<attempt_id>[^/]+)/?$", AttemptView.as_view(),
            name="session-attempt"),
    re_path(r"^sessions/(?P<pk>[^/]+)/attempts/(?P<attempt_id>[^/]+)/audio$", AttemptAudioView.as_view(),
            name="session-attempt-audio"),
    re_path(r"^sessions/(?P<pk>[^/]+)/progress/?$", ProgressView.as_view(), name="session-progress"),
    re_path(r"^sessions/(?P<pk>[^/]+)/progress/chart\.svg$", ProgressChartView.as_view(),
            name="session-progress-chart"),
    re_path(r"^sessions/(?P<pk>[^/]+)/practice/?$", PracticeView.as_view(), name="session-practice"),
    re_path(r"^sessions/(?P<pk>[^/]+)/practice/(?P<line_id>[^/]+)/?$", PracticeGradeView.as_view(),
            name="session-practice-grade"),
    re_path(r"^sessions/(?P<pk>[^/]+)/recordings/?$", CueRecordingsView.as_view(), name="session-cue-recordings"),
    re_path(r"^sessions/(?P<pk>[^/]+)/lines/(?P<line_id>[^/]+)/recording/?$", CueRecordingView.as_view(),
            name="session-cue-recording"),
    re_path(r"^sessions/(?P<pk>[^/]+)/tapes/(?P<scene_id>[^/]+)/?$", TapeView.as_view(), name="session-tape"),
    re_path(r"^jobs/(?P<pk>[^/]+)/?$", JobView.as_view(), name="job"),
    path("rooms", rooms.RoomsView.as_view(), name="rooms"),
    path("rooms/<str:code>", rooms.RoomView.as_view(), name="room"),
    path("rooms/<str:code>/members", rooms.RoomMembersView.as_view(), name="room-members"),
    path("rooms/<str:code>/invite", rooms.RoomInviteView.as_view(), name="room-invite"),
    path("rooms/<str:code>/script", rooms.RoomScriptView.as_view(), name="room-script"),
    path("rooms/<str:code>/audio/<str:line_id>", rooms.RoomAudioView.as_view(), name="room-audio"),
    path("rooms/<str:code>/claim", rooms.claim_view, name="room-claim"),
    path("rooms/<str:code>/release", rooms.release_view, name="room-release"),
    path("rooms/<str:code>/done", rooms.done_view, name="room-done"),
    path("rooms/<str:code>/goto", rooms.goto_view, name="room-goto"),
    path("rooms/<str:code>/pause", rooms.pause_view, name="room-pause"),
    path("rooms/<str:code>/notes", rooms.note_view, name="room-notes"),
    *router.urls,
]
