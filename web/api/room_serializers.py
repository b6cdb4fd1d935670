"""Request and response shapes of the rehearsal-room contract."""

from rest_framework import serializers

from sessions_app import limits
from sessions_app.models import Room
from sessions_app.room_selectors import room_state


class RoomCreateSerializer(serializers.Serializer):
    session = serializers.UUIDField(help_text="The rehearsal (script, scene, voices) the room runs")
    name = serializers.CharField(max_length=40, required=False, default="Host")
    playback = serializers.ChoiceField(choices=Room.Playback.values, required=False, default=Room.Playback.HOST)


class RoomCreatedSerializer(serializers.Serializer):
    code = serializers.CharField()
    join_url = serializers.CharField()
    host_token = serializers.CharField()
    member_id = serializers.IntegerField()
    qr_svg = serializers.CharField(help_text="The join link as a QR code (SVG)")


class RoomInviteSerializer(serializers.Serializer):
    code = serializers.CharField()
    join_url = serializers.CharField()
    qr_svg = serializers.CharField()


class RoomJoinSerializer(serializers.Serializer):
    # Checked by the service, which says what a good name is.
    name = serializers.CharField(max_length=200, allow_blank=True, error_messages={"required": "Type your first name."})


class RoomJoinedSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    token = serializers.CharField()


class CharacterSerializer(serializers.Serializer):
    character = serializers.CharField(max_length=120)


class LineSerializer(serializers.Serializer):
    line_id = serializers.CharField(max_length=64)


class GotoSerializer(serializers.Serializer):
    line_id = serializers.CharField(max_length=64, required=False)
    scene_id = serializers.CharField(max_length=64, required=False, help_text="Jump to this scene's first line")

    def validate(self, attrs):
        if ("line_id" in attrs) == ("scene_id" in attrs):
            raise serializers.ValidationError("Send a line_id or a scene_id.")
        return attrs


class PauseSerializer(serializers.Serializer):
    paused = serializers.BooleanField(required=False, default=True)


class RoomSettingsSerializer(serializers.Serializer):
    playback = serializers.ChoiceField(choices=Room.Playback.values)


class NoteSerializer(serializers.Serializer):
    line_id = serializers.CharField(max_length=64)
    text = serializers.CharField(max_length=limits.NOTE_MAX_CHARS, allow_blank=True,
                                 help_text="Empty removes the note")


class _Position(serializers.Serializer):
    scene_id = serializers.CharField(allow_null=True)
    line_id = serializers.CharField(allow_null=True, help_text="null once the play has run to its end")
    scene_index = serializers.IntegerField()


class _Speaking(serializers.Serializer):
    character = serializers.CharField(allow_null=True)
    characters = serializers.ListField(child=serializers.CharField())
    member_id = serializers.IntegerField(allow_null=True, help_text="null: RunThru reads it")


class _Member(serializers.Serializer):
    member_id = serializers.IntegerField()
    name = serializers.CharField()
    characters = serializers.ListField(child=serializers.CharField())
    is_host = serializers.BooleanField()
    connected = serializers.BooleanField()


class RoomStateSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    closed = serializers.BooleanField()
    position = _Position()
    finished = serializers.BooleanField()
    speaking = _Speaking()
    members = _Member(many=True)
    paused = serializers.BooleanField()
    playback = serializers.ChoiceField(choices=Room.Playback.values)
    advance_at = serializers.DateTimeField(allow_null=True, help_text="When RunThru moves on from a free part")
    note = serializers.CharField(allow_null=True, help_text="The director's note on the current line")
    session = serializers.CharField()
    script_id = serializers.IntegerField()


def room_state_json(room_id: int) -> dict:
    """The one state shape, for HTTP and the WebSocket alike."""
    return RoomStateSerializer(room_state(room_id)).data


class _RoomElement(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField()
    character = serializers.CharField(allow_null=True)
    characters = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_null=True)


class _RoomScene(serializers.Serializer):
    id = serializers.CharField()
    index = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    elements = _RoomElement(many=True)


class _RoomCharacter(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class RoomScriptSerializer(serializers.Serializer):
    title = serializers.CharField()
    characters = _RoomCharacter(many=True)
    scenes = _RoomScene(many=True)
    lines = serializers.IntegerField()
