"""Request and response shapes of the REST contract (validation and docs only)."""

from rest_framework import serializers


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
FORMAT_CHOICES = ["auto", "markdown", "fountain"]


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
    id = serializers.IntegerField()
    title = serializers.CharField()
    character_count = serializers.IntegerField()
    line_count = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    last_rehearsed_at = serializers.DateTimeField(allow_null=True)


class ScriptDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    format = serializers.CharField()
    markdown_source = serializers.CharField()
    aliases = serializers.DictField(child=serializers.CharField())
    parsed = serializers.JSONField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


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


class AudioReadinessSerializer(serializers.Serializer):
    ready = serializers.IntegerField()
    total = serializers.IntegerField()


class SessionStateSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    script_id = serializers.IntegerField()
    script_title = serializers.CharField()
    current_scene_index = serializers.IntegerField()
    current_line_index = serializers.IntegerField()
    user_role = serializers.CharField()
    voice_assignments = serializers.DictField(child=serializers.CharField())
    tts_engine = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_accessed_at = serializers.DateTimeField()
    current_element = serializers.JSONField(allow_null=True)
    is_user_line = serializers.BooleanField()
    audio = AudioReadinessSerializer()
    practice_seconds = serializers.IntegerField()
    scene_runs = serializers.DictField(child=serializers.IntegerField())


# --- voices and speech --------------------------------------------------------
class VoiceSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    engine = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    preview_url = serializers.CharField()


class VoiceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    name = serializers.CharField(max_length=80, required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EmotionSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=40, required=False, default="neutral")
    intensity = serializers.FloatField(min_value=0, max_value=1, required=False, default=0.5)
    valence = serializers.ChoiceField(choices=["positive", "neutral", "negative"], required=False, default="neutral")


class SynthesizeSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    character = serializers.CharField(max_length=120, required=False)
    engine = serializers.CharField(max_length=40)
    voice_id = serializers.CharField(max_length=120)
    emotion = EmotionSerializer(required=False)
    flat = serializers.BooleanField(required=False, default=False)
