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
        role = next((c["name"] for c in self.script.characters if c["id"] == self.user_role), self.user_role.upper())
        return f"{self.script} — {role}"


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
