"""Request and response shapes of the REST contract.

Request serializers validate what comes in; response serializers render the
domain's objects, so the documented shape is the shape sent.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scripts_app.parsing import FORMATS
from scripts_app.selectors import script_summary
from sessions_app.cue_selectors import cue_takes
from sessions_app.room_selectors import session_line_notes
from sessions_app.selectors import (
    session_audio_readiness,
    session_current_element,
    session_is_user_line,
    session_job,
)
from tts_app.selectors import job_failures
from tts_app.services import SYNTHESIZE_MAX_CHARS


class ErrorSerializer(serializers.Serializer):
    class _Error(serializers.Serializer):
        code = serializers.CharField()
        message = serializers.CharField()
        details = serializers.JSONField(allow_null=True)

    error = _Error()


# --- auth ---------------------------------------------------------------------
class PinSerializer(serializers.Serializer):
    pin = serializers.CharField(max_length=64, trim_whitespace=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


# --- scripts ------------------------------------------------------------------
FORMAT_CHOICES = list(FORMATS)


class ScriptCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    markdown_source = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False)
    format = serializers.ChoiceField(choices=FORMAT_CHOICES, required=False, default="auto")
    aliases = serializers.DictField(child=serializers.CharField(), required=False)


class ScriptUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    markdown_source = serializers.CharField(required=False, trim_whitespace=False)
    format = serializers.ChoiceField(choices=FORMAT_CHOICES, required=False)
    aliases = serializers.DictField(child=serializers.CharField(), required=False)


class ScriptListItemSerializer(serializers.Serializer):
    """A Script annotated with last_rehearsed_at (sessions_app.selectors.scripts_with_last_rehearsal)."""

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    character_count = serializers.IntegerField()
    line_count = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    last_rehearsed_at = serializers.DateTimeField(allow_null=True)


class ParentWarningSerializer(serializers.Serializer):
    kind = serializers.CharField()
    message = serializers.CharField()
    lines = serializers.ListField(child=serializers.IntegerField())


class ScriptFoundPartSerializer(serializers.Serializer):
    name = serializers.CharField()
    line_count = serializers.IntegerField()


class ScriptFoundSerializer(serializers.Serializer):
    """What was found, for the parent to check: "12 characters, 484 lines, 3 acts", biggest parts first."""

    characters = serializers.IntegerField()
    lines = serializers.IntegerField()
    acts = serializers.IntegerField()
    scenes = serializers.IntegerField()
    biggest = ScriptFoundPartSerializer(many=True)
    sentence = serializers.CharField()
    warnings = serializers.IntegerField()
    from_document = serializers.BooleanField()


class ScriptDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    format = serializers.CharField()
    markdown_source = serializers.CharField()
    aliases = serializers.DictField(child=serializers.CharField())
    parsed = serializers.JSONField(source="parsed_json")
    parent_warnings = ParentWarningSerializer(source="warnings_for_parents", many=True,
                                              help_text="The few warnings a parent can act on, grouped")
    found = serializers.SerializerMethodField()
    original_name = serializers.CharField(help_text="The PDF, Word or Final Draft file it was read from, if any.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(ScriptFoundSerializer)
    def get_found(self, script) -> dict:
        return script_summary(script)


# --- sessions -----------------------------------------------------------------
class SessionCreateSerializer(serializers.Serializer):
    script_id = serializers.IntegerField(min_value=1)
    user_role = serializers.CharField(max_length=120)
    voice_assignments = serializers.DictField(child=serializers.CharField(max_length=120), required=False)
    tts_engine = serializers.CharField(max_length=40, required=False)


class SessionUpdateSerializer(serializers.Serializer):
    current_scene_index = serializers.IntegerField(required=False, min_value=0, max_value=100000)
    current_line_index = serializers.IntegerField(required=False, min_value=0, max_value=1000000)
    user_role = serializers.CharField(max_length=120, required=False)
    voice_assignments = serializers.DictField(child=serializers.CharField(max_length=120), required=False)
    tts_engine = serializers.CharField(max_length=40, required=False)
    practice_seconds_add = serializers.IntegerField(required=False, min_value=0, max_value=3600)
    completed_scene_index = serializers.IntegerField(required=False, min_value=0, max_value=100000)
    keep_recordings = serializers.BooleanField(required=False)


class AudioReadinessSerializer(serializers.Serializer):
    ready = serializers.IntegerField()
    total = serializers.IntegerField()


class JobBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    state = serializers.CharField()
    done = serializers.IntegerField(source="finished_count", help_text="Lines finished: made, cached or failed.")
    total = serializers.IntegerField()


class SessionStateSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    script_id = serializers.IntegerField()
    script_title = serializers.CharField(source="script.title")
    current_scene_index = serializers.IntegerField()
    current_line_index = serializers.IntegerField()
    user_role = serializers.CharField()
    voice_assignments = serializers.DictField(child=serializers.CharField())
    tts_engine = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_accessed_at = serializers.DateTimeField()
    current_element = serializers.SerializerMethodField()
    is_user_line = serializers.SerializerMethodField()
    audio = serializers.SerializerMethodField()
    practice_seconds = serializers.IntegerField()
    scene_runs = serializers.DictField(child=serializers.IntegerField())
    job = serializers.SerializerMethodField(help_text="The newest job making this rehearsal's audio, if any")
    keep_recordings = serializers.BooleanField()
    recorded_cues = serializers.SerializerMethodField(
        help_text="Lines a parent recorded for this rehearsal: line id -> take. The audio URL with "
                  "&take= plays the recording instead of the chosen voice.")
    notes = serializers.SerializerMethodField(help_text="The director's notes on this role's lines: line id -> note")

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_notes(self, session) -> dict[str, str]:
        return session_line_notes(session)

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_recorded_cues(self, session) -> dict[str, str]:
        return cue_takes(session)

    @extend_schema_field(JobBriefSerializer(allow_null=True))
    def get_job(self, session) -> dict | None:
        job = session_job(session)
        return JobBriefSerializer(job).data if job is not None else None

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_current_element(self, session) -> dict | None:
        return session_current_element(session)

    def get_is_user_line(self, session) -> bool:
        return session_is_user_line(session)

    @extend_schema_field(AudioReadinessSerializer)
    def get_audio(self, session) -> dict:
        return session_audio_readiness(session)


# --- generation jobs ------------------------------------------------------------
class JobFailureSerializer(serializers.Serializer):
    line_id = serializers.CharField()
    error = serializers.CharField()


class JobStateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    script_id = serializers.IntegerField()
    session_id = serializers.UUIDField(allow_null=True)
    engine = serializers.CharField()
    state = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField(source="finished_count", help_text="Lines finished: made, cached or failed.")
    made = serializers.IntegerField()
    cached = serializers.IntegerField()
    failed = serializers.IntegerField()
    error = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    elapsed_seconds = serializers.FloatField(allow_null=True)
    audio_seconds = serializers.SerializerMethodField()
    failures = serializers.SerializerMethodField()

    def get_audio_seconds(self, job) -> float:
        return round(job.audio_seconds, 2)

    @extend_schema_field(JobFailureSerializer(many=True))
    def get_failures(self, job) -> list[dict]:
        return [{"line_id": line_id, "error": error} for line_id, error in job_failures(job, limit=50)]


# --- voices and speech --------------------------------------------------------
class VoiceSerializer(serializers.Serializer):
    """An engine's voice (tts_app.engines.base.Voice)."""

    id = serializers.CharField()
    name = serializers.CharField()
    engine = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    preview_url = serializers.SerializerMethodField()

    def get_preview_url(self, voice) -> str:
        return reverse("voice-preview", kwargs={"engine": voice.engine, "voice_id": voice.id})


class VoiceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    name = serializers.CharField(max_length=80, required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EmotionSerializer(serializers.Serializer):
    # No default label: intensity and valence alone still shape the delivery.
    label = serializers.CharField(max_length=40, required=False)
    intensity = serializers.FloatField(min_value=0, max_value=1, required=False, default=0.5)
    valence = serializers.ChoiceField(choices=["positive", "neutral", "negative"], required=False, default="neutral")


class SynthesizeSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=SYNTHESIZE_MAX_CHARS)
    character = serializers.CharField(max_length=120, required=False)
    engine = serializers.CharField(max_length=40, required=False, help_text="Default: the best engine here")
    voice_id = serializers.CharField(max_length=120, required=False, help_text="Default: the engine's first voice")
    emotion = EmotionSerializer(required=False)
    flat = serializers.BooleanField(required=False, default=False)


# --- listen mode: attempts and lines learnt --------------------------------------
class AttemptCreateSerializer(serializers.Serializer):
    line_id = serializers.CharField(max_length=64)
    # Empty files get listen mode's own message, not the generic one.
    audio = serializers.FileField(allow_empty_file=True,
                                  help_text="The teen saying the line: WAV, WebM/Opus, Ogg or MP4/AAC, at most "
                                            "60 s and 1.5 MB.")


class AttemptWordSerializer(serializers.Serializer):
    word = serializers.CharField()
    status = serializers.ChoiceField(choices=["ok", "missed", "changed", "extra"])


class AttemptSerializer(serializers.Serializer):
    """A sessions_app.models.LineAttempt."""

    id = serializers.IntegerField()
    line_id = serializers.CharField()
    score = serializers.FloatField(min_value=0, max_value=1)
    heard = serializers.CharField(allow_blank=True, help_text="What the recogniser heard.")
    words = AttemptWordSerializer(many=True, help_text="The line's words in order, with any extra words heard.")
    duration = serializers.FloatField(help_text="Seconds of audio.")
    created_at = serializers.DateTimeField()
    recording_url = serializers.SerializerMethodField()

    def get_recording_url(self, attempt) -> str | None:
        if not attempt.recording:
            return None
        return reverse("session-attempt-audio", kwargs={"pk": attempt.session_id, "attempt_id": attempt.pk})


class LineProgressSerializer(serializers.Serializer):
    line_id = serializers.CharField()
    attempts = serializers.IntegerField()
    best = serializers.FloatField(allow_null=True)
    latest = serializers.FloatField(allow_null=True)
    learnt = serializers.BooleanField(help_text="The last three attempts all scored 0.9 or more.")


class SceneProgressSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    title = serializers.CharField()
    learnt = serializers.IntegerField()
    total = serializers.IntegerField(help_text="The teen's lines in this scene.")


class ProgressSerializer(serializers.Serializer):
    scenes = SceneProgressSerializer(many=True)
    lines = LineProgressSerializer(many=True)


# --- a parent reads the cues -------------------------------------------------------
class CueUploadSerializer(serializers.Serializer):
    # Empty files get the recorder's own message, not the generic one.
    audio = serializers.FileField(allow_empty_file=True,
                                  help_text="The parent reading the line: WAV, WebM/Opus, Ogg or MP4/AAC, at "
                                            "most 3 minutes and 1.5 MB.")


class CueRecordingSerializer(serializers.Serializer):
    """A sessions_app.models.CueRecording."""

    line_id = serializers.CharField()
    character = serializers.CharField()
    duration = serializers.FloatField(help_text="Seconds, after the silence is trimmed.")
    take = serializers.CharField(help_text="Changes with every new recording of the line.")
    recorded_at = serializers.DateTimeField(source="updated_at")
    audio_url = serializers.SerializerMethodField()

    def get_audio_url(self, row) -> str:
        url = reverse("session-cue-recording", kwargs={"pk": row.session_id, "line_id": row.line_id})
        return f"{url}?v={row.take}"


class CueRecordingListSerializer(serializers.Serializer):
    can_record = serializers.BooleanField(help_text="Whoever asks is a parent, and may record and delete.")
    max_seconds = serializers.FloatField(help_text="The longest recording of one line that is taken.")
    recordings = CueRecordingSerializer(many=True)
