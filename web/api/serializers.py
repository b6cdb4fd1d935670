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
from sessions_app.ladder import RUNGS
from sessions_app.room_selectors import session_line_notes
from sessions_app.selectors import (
    script_rehearsal_ready,
    session_audio_readiness,
    session_current_element,
    session_is_user_line,
    session_job,
)
from sessions_app.strictness import NAMES as STRICTNESS_NAMES
from tts_app.eta import time_left_words
from tts_app.models import GenerationJob
from tts_app.selectors import job_failures, voice_clues, voice_shares
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
    version = serializers.IntegerField(min_value=1, required=False,
                                       help_text="The version you read; if it changed since, 409 and nothing saved.")


class ScriptListItemSerializer(serializers.Serializer):
    """A Script annotated with last_rehearsed_at (sessions_app.selectors.scripts_with_last_rehearsal)."""

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    character_count = serializers.IntegerField()
    line_count = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    last_rehearsed_at = serializers.DateTimeField(allow_null=True)
    rehearse_url = serializers.SerializerMethodField(
        help_text="Where Rehearse goes: the latest rehearsal when its voices are ready (or being made), "
                  "else the Cast page to pick a role and make the voices.")

    def get_rehearse_url(self, script) -> str:
        session = script_rehearsal_ready(script)
        if session is None:
            return reverse("cast", args=[script.pk])
        return reverse("rehearse", args=[session.pk])


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


class VoiceClueSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["female", "male", "child"], allow_null=True)
    reason = serializers.CharField()


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
    voice_clues = serializers.SerializerMethodField(
        help_text="Character id -> the kind of voice the default cast gives them (female, male, child or "
                  "null for any) and why, in plain words: “a woman: “her” in the cast list”.")
    original_name = serializers.CharField(help_text="The PDF, Word or Final Draft file it was read from, if any.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField(help_text="Goes up with every edit; also the ETag, as \"v3\".")

    @extend_schema_field(ScriptFoundSerializer)
    def get_found(self, script) -> dict:
        return script_summary(script)

    @extend_schema_field(serializers.DictField(child=VoiceClueSerializer()))
    def get_voice_clues(self, script) -> dict:
        return voice_clues(script)


# --- sessions -----------------------------------------------------------------
# The length and the characters are checked by session_create/session_update, so the API and the
# admin refuse a name with the same words.
NAME_HELP = ("The teen's first name, so a parent can tell rehearsals apart: up to 40 characters once "
             "trimmed, no control characters; \"\" for none")


class SessionCreateSerializer(serializers.Serializer):
    script_id = serializers.IntegerField(min_value=1)
    user_role = serializers.CharField(max_length=120)
    voice_assignments = serializers.DictField(child=serializers.CharField(max_length=120), required=False)
    tts_engine = serializers.CharField(max_length=40, required=False)
    name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, help_text=NAME_HELP)


class SessionUpdateSerializer(serializers.Serializer):
    current_scene_index = serializers.IntegerField(required=False, min_value=0, max_value=100000)
    current_line_index = serializers.IntegerField(required=False, min_value=0, max_value=1000000)
    user_role = serializers.CharField(max_length=120, required=False)
    voice_assignments = serializers.DictField(child=serializers.CharField(max_length=120), required=False)
    tts_engine = serializers.CharField(max_length=40, required=False)
    practice_seconds_add = serializers.IntegerField(required=False, min_value=0, max_value=3600)
    completed_scene_index = serializers.IntegerField(required=False, min_value=0, max_value=100000)
    keep_recordings = serializers.BooleanField(required=False)
    strictness = serializers.CharField(required=False, max_length=16,
                                       help_text="word_perfect, close or gist: how listen mode marks a line")
    practice_minutes = serializers.IntegerField(required=False, min_value=1, max_value=120,
                                                help_text="About how long Today's practice lasts")
    name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, help_text=NAME_HELP)


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
    name = serializers.CharField(help_text="The teen's first name; \"\" when none was given")
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
    strictness = serializers.ChoiceField(choices=STRICTNESS_NAMES, help_text=(
        "How listen mode marks a line: word_perfect (every word as written), close (contractions and "
        "filler forgiven) or gist (the meaning words in order)."))
    practice_minutes = serializers.IntegerField()
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


class VoiceShareSerializer(serializers.Serializer):
    voice = serializers.CharField()
    voice_name = serializers.CharField()
    characters = serializers.ListField(child=serializers.CharField())
    scenes = serializers.ListField(child=serializers.CharField())


class SessionDetailSerializer(SessionStateSerializer):
    shared_voices = serializers.SerializerMethodField(
        help_text="Characters who speak in one scene and are given one voice (a cast larger than the voices).")

    @extend_schema_field(VoiceShareSerializer(many=True))
    def get_shared_voices(self, session) -> list[dict]:
        return voice_shares(session.script, engine=session.tts_engine, user_role=session.user_role,
                            voice_assignments=session.voice_assignments)


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
    seconds_left = serializers.FloatField(source="eta_seconds", allow_null=True,
                                          help_text="Smoothed estimate at the last line made; null until known.")
    time_left = serializers.SerializerMethodField(help_text='In words: "About a minute left".')
    failures = serializers.SerializerMethodField()

    def get_time_left(self, job) -> str:
        if job.state not in GenerationJob.ACTIVE:
            return ""
        return time_left_words(job.eta_seconds)

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


RUNG_HELP = "0 full text, 1 first few words, 2 first letters, 3 cue only"


class LineProgressSerializer(serializers.Serializer):
    line_id = serializers.CharField()
    attempts = serializers.IntegerField()
    best = serializers.FloatField(allow_null=True)
    latest = serializers.FloatField(allow_null=True)
    learnt = serializers.BooleanField(help_text='The last three grades were "got it": in listen mode, every word '
                                                'the strictness counts.')
    rung = serializers.IntegerField(min_value=0, max_value=3, help_text=RUNG_HELP)
    rung_name = serializers.SerializerMethodField()
    due = serializers.DateTimeField(allow_null=True, help_text="When the line is next due; null if never tried.")
    reviews = serializers.IntegerField(help_text="Grades so far (taps and listen-mode tries).")

    def get_rung_name(self, line) -> str:
        return RUNGS[line.rung]


class DayProgressSerializer(serializers.Serializer):
    day = serializers.DateField()
    minutes = serializers.FloatField()
    learnt_by_scene = serializers.ListField(child=serializers.IntegerField(),
                                            help_text="Lines learnt at the end of the day, by scene index.")


class MissedLineSerializer(serializers.Serializer):
    line_id = serializers.CharField()
    scene_index = serializers.IntegerField()
    text = serializers.CharField()
    misses = serializers.IntegerField(help_text='"Missed" and "nearly" grades.')
    missed_words = serializers.ListField(child=serializers.CharField(),
                                         help_text="Words dropped or changed most often in listen mode.")


class SceneProgressSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    title = serializers.CharField()
    learnt = serializers.IntegerField()
    total = serializers.IntegerField(help_text="The teen's lines in this scene.")


class ProgressSerializer(serializers.Serializer):
    strictness = serializers.ChoiceField(choices=STRICTNESS_NAMES)
    scenes = SceneProgressSerializer(many=True)
    lines = LineProgressSerializer(many=True)
    history = DayProgressSerializer(many=True, help_text="Each day from the first practised (60 days at most).")
    most_missed = MissedLineSerializer(many=True, help_text="The five lines missed most often.")
    chart_url = serializers.CharField(help_text="The same as a picture (SVG made on the server).")


# --- Today's practice -----------------------------------------------------------------
class PracticeLineSerializer(serializers.Serializer):
    line_id = serializers.CharField()
    scene_index = serializers.IntegerField()
    scene_title = serializers.CharField()
    text = serializers.CharField(help_text="The whole line, for after the tap.")
    rung = serializers.IntegerField(min_value=0, max_value=3, help_text=RUNG_HELP)
    rung_name = serializers.SerializerMethodField()
    shown = serializers.CharField(allow_blank=True, help_text="The line as shown at its rung.")
    due = serializers.DateTimeField(allow_null=True, help_text="Null for a line never tried.")
    new = serializers.BooleanField()
    cue_character = serializers.CharField(allow_null=True)
    cue_text = serializers.CharField(allow_null=True, help_text="The line before it; null at the start of a scene.")
    seconds = serializers.IntegerField(help_text="About how long it takes.")

    def get_rung_name(self, line) -> str:
        return RUNGS[line.rung]


class PracticeSerializer(serializers.Serializer):
    minutes = serializers.IntegerField(help_text="The practice length the rehearsal is set to.")
    seconds = serializers.IntegerField(help_text="About how long these lines take.")
    lines = PracticeLineSerializer(many=True, help_text="Due lines, weakest first, then a few new ones.")
    due_left = serializers.IntegerField(help_text="Due now but beyond the practice length.")
    new_left = serializers.IntegerField(help_text="Lines never tried that are still to come.")
    next_due = serializers.DateTimeField(allow_null=True, help_text="The next review after these lines.")


class GradeCreateSerializer(serializers.Serializer):
    grade = serializers.CharField(required=False, max_length=10,
                                  help_text="again (missed), hard (nearly), good (got it) or easy")
    attempt_id = serializers.IntegerField(required=False, min_value=1,
                                          help_text="Or: a listen-mode attempt at this line, graded by its score")
    seconds = serializers.IntegerField(required=False, min_value=0, max_value=600, default=0,
                                       help_text="Time spent on the line, added to today's practice")


class GradedSerializer(serializers.Serializer):
    line_id = serializers.CharField()
    grade = serializers.CharField()
    rung_before = serializers.IntegerField(help_text="The rung it was tried at.")
    rung = serializers.IntegerField(help_text=RUNG_HELP)
    due = serializers.DateTimeField(help_text="When it is due again.")
    reviews = serializers.IntegerField()
    attempt_id = serializers.IntegerField(allow_null=True)


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
