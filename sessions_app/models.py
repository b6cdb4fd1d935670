import uuid

from django.db import models


class AccessPin(models.Model):
    """The one PIN a parent sets for the teen (stored hashed, like a password)."""

    pin_hash = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "sign-in PIN"
        verbose_name_plural = "sign-in PIN"

    def __str__(self) -> str:
        return f"PIN (changed {self.updated_at:%Y-%m-%d %H:%M})"


class ApiToken(models.Model):
    """A signed-in device. Only a hash of the token is kept."""

    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    client_address = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "signed-in device"

    def __str__(self) -> str:
        return f"Signed in {self.created_at:%Y-%m-%d %H:%M} from {self.client_address or 'unknown'}"


class KnownDevice(models.Model):
    """A browser or app that signed in with the right PIN before (a long-lived cookie holds
    its key; only a hash is kept). A flood of wrong PINs from elsewhere never locks it out."""

    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(auto_now_add=True)
    client_address = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "trusted device"

    def __str__(self) -> str:
        return f"Device first seen {self.created_at:%Y-%m-%d %H:%M} at {self.client_address or 'unknown'}"


class SignInFailure(models.Model):
    """One wrong PIN or admin password. Counted in the database so every process sees the same count."""

    class Kind(models.TextChoices):
        PIN = "pin", "PIN"
        ADMIN = "admin", "admin password"

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PIN)
    client_address = models.CharField(max_length=64, db_index=True)
    device = models.ForeignKey(KnownDevice, null=True, blank=True, on_delete=models.CASCADE)
    username = models.CharField(max_length=150, blank=True, help_text="For admin logins: the name that was tried.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "wrong PIN or password"
        verbose_name_plural = "wrong PINs and passwords"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.client_address} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class RehearsalSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    script = models.ForeignKey("scripts_app.Script", on_delete=models.CASCADE, related_name="sessions")
    current_scene_index = models.PositiveIntegerField(default=0)
    current_line_index = models.PositiveIntegerField(default=0)
    user_role = models.CharField(max_length=120)
    voice_assignments = models.JSONField(default=dict, blank=True)
    tts_engine = models.CharField(max_length=40)
    # A simple record of practice: seconds rehearsed and full runs per scene index.
    practice_seconds = models.PositiveIntegerField(default=0)
    scene_runs = models.JSONField(default=dict, blank=True)
    # Opt-in: keep the teen's last recording of each line so they can hear themselves.
    keep_recordings = models.BooleanField(default=False)
    # line id -> take of each line a parent recorded (CueRecording), kept with them in one
    # transaction: every audio request reads this row anyway, so lines nobody recorded cost no query.
    recorded_cues = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_accessed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.script} as {self.user_role}"


class LineAttempt(models.Model):
    """The teen saying one of their lines once, as the recogniser heard it."""

    session = models.ForeignKey(RehearsalSession, on_delete=models.CASCADE, related_name="attempts")
    line_id = models.CharField(max_length=64)
    score = models.FloatField()
    heard = models.TextField(blank=True)
    words = models.JSONField(default=list)
    duration = models.FloatField()
    # The signed-in device that sent it: attempts are rate-limited per device.
    device = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Path under the recordings folder; "" when the session does not keep recordings.
    recording = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "line_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.score:.0%}"


class CueRecording(models.Model):
    """A parent reading one line of another character for one rehearsal: that line's voice in
    this session. The row is written only after its file is whole on disk, so a row is a
    ready recording; re-recording replaces the file and the row's fields together."""

    session = models.ForeignKey(RehearsalSession, on_delete=models.CASCADE, related_name="cue_recordings")
    line_id = models.CharField(max_length=64)
    character = models.CharField(max_length=120)
    # Path under the recordings folder (an MP3, made like a clip).
    path = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    # Of the stored bytes: the ETag, and the version in the URLs the pages play.
    sha256 = models.CharField(max_length=64)
    duration = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["line_id"]
        constraints = [models.UniqueConstraint(fields=["session", "line_id"], name="one_cue_recording_per_line")]
        verbose_name = "parent's recorded line"

    def __str__(self) -> str:
        return f"{self.character}: {self.line_id}"

    @property
    def take(self) -> str:
        """A short version of the recording for URLs: a new recording gets a new URL."""
        return self.sha256[:16]


class Room(models.Model):
    """A rehearsal run together: one shared position that every phone follows.

    The row is the truth for every web process; `version` grows with each change the phones
    see, and every move is a conditional UPDATE on it, so two taps on one line move it once."""

    class Playback(models.TextChoices):
        HOST = "host", "together in one room (only the host's device plays)"
        EVERYONE = "everyone", "each at home (every device plays)"

    code = models.CharField(max_length=8, unique=True)
    session = models.ForeignKey(RehearsalSession, on_delete=models.CASCADE, related_name="rooms")
    version = models.PositiveBigIntegerField(default=1)
    # The current line, and what the phones need of it without reading the script: its
    # scene and who speaks it. line_id is "" once the play has run to its end.
    scene_index = models.PositiveIntegerField(default=0)
    scene_id = models.CharField(max_length=64, blank=True)
    line_id = models.CharField(max_length=64, blank=True)
    speakers = models.JSONField(default=list, blank=True)
    paused = models.BooleanField(default=False)
    playback = models.CharField(max_length=8, choices=Playback.choices, default=Playback.HOST)
    # When RunThru moves on from a line nobody in the room holds (its clip plus a beat).
    advance_at = models.DateTimeField(null=True, blank=True)
    active_at = models.DateTimeField(auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rehearsal room"

    def __str__(self) -> str:
        return f"Room {self.code}"


class RoomMember(models.Model):
    """Someone in a room: the host (who opened it) or a castmate who joined with the code.
    Only a hash of their token is kept; the token opens this room and nothing else."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=40)
    token_hash = models.CharField(max_length=64, unique=True)
    is_host = models.BooleanField(default=False)
    characters = models.JSONField(default=list, blank=True)
    # Open WebSockets, and when the member was last heard from: characters go back to
    # RunThru's voices a grace period after both went quiet.
    sockets = models.PositiveIntegerField(default=0)
    seen_at = models.DateTimeField()
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} in {self.room}"


class LineNote(models.Model):
    """A director's note on one line, for the actor who speaks it: shown in a room and in any
    rehearsal of the play."""

    script = models.ForeignKey("scripts_app.Script", on_delete=models.CASCADE, related_name="line_notes")
    line_id = models.CharField(max_length=64)
    text = models.CharField(max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["script", "line_id"], name="one_note_per_line")]
        verbose_name = "director's note"

    def __str__(self) -> str:
        return f"{self.line_id}: {self.text}"
