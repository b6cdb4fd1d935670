import uuid

from django.db import models

from . import strictness


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
    # Optional: the admin lists every rehearsal of a play, and a family with two teens needs to tell them apart.
    name = models.CharField(max_length=40, blank=True, default="", help_text="The teen's first name.")
    voice_assignments = models.JSONField(default=dict, blank=True)
    tts_engine = models.CharField(max_length=40)
    # A simple record of practice: seconds rehearsed and full runs per scene index.
    practice_seconds = models.PositiveIntegerField(default=0)
    scene_runs = models.JSONField(default=dict, blank=True)
    # Opt-in: keep the teen's last recording of each line so they can hear themselves.
    keep_recordings = models.BooleanField(default=False)
    strictness = models.CharField(max_length=16, choices=strictness.CHOICES, default=strictness.DEFAULT,
                                  help_text="How listen mode marks a line, and so when a line counts as learnt.")
    practice_minutes = models.PositiveSmallIntegerField(default=10, help_text="About how long Today's practice lasts.")
    # line id -> take of each line a parent recorded (CueRecording), kept with them in one
    # transaction: every audio request reads this row anyway, so lines nobody recorded cost no query.
    recorded_cues = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_accessed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        role = next((c["name"] for c in self.script.characters if c["id"] == self.user_role), self.user_role.upper())
        title = f"{self.script} — {role}"
        return f"{title} ({self.name}'s rehearsal)" if self.name else title


class RefusedAttempt(models.Model):
    """An attempt whose recording could not be used: counted with the heard ones against the
    device's attempts a minute, so a stream of broken files costs as much as good ones."""

    device = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


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


class LineCard(models.Model):
    """One of the teen's lines in this rehearsal: its rung on the ladder and its review schedule.

    Written only under select_for_update, one grade at a time, so two devices grading the
    same line both count."""

    session = models.ForeignKey(RehearsalSession, on_delete=models.CASCADE, related_name="cards")
    line_id = models.CharField(max_length=64)
    rung = models.PositiveSmallIntegerField(default=0)
    due = models.DateTimeField(db_index=True)
    fsrs = models.JSONField(default=dict, help_text="The scheduler's card (fsrs.Card.to_dict()).")
    reviews = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "line_id"], name="one_card_per_line")]

    def __str__(self) -> str:
        return f"{self.line_id}: rung {self.rung}"


class LineGrade(models.Model):
    """One grade of one line, never changed: the history the chart and "learnt" are read from."""

    session = models.ForeignKey(RehearsalSession, on_delete=models.CASCADE, related_name="grades")
    line_id = models.CharField(max_length=64)
    grade = models.CharField(max_length=5)
    rung = models.PositiveSmallIntegerField(help_text="The rung the line was tried at.")
    # A listen-mode attempt is graded once, however many devices send it.
    attempt = models.OneToOneField(LineAttempt, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="grade")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"])]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.grade}"


class PracticeDay(models.Model):
    """Seconds practised on one day, for the minutes-per-day chart."""

    session = models.ForeignKey(RehearsalSession, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["session", "day"], name="one_row_per_practice_day")]


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


class CueTape(models.Model):
    """An MP3 of a scene (or the whole role) for listening away from the screen.

    `key` hashes everything the tape is made of (its clips, silences and tags): a tape whose
    key no longer matches the rehearsal (a voice or the script changed) is made again. The file
    is named by its key and written whole before the row says done."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Making"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    session = models.ForeignKey(RehearsalSession, on_delete=models.CASCADE, related_name="tapes")
    scene_id = models.CharField(max_length=64, help_text='A scene id, or "all" for the whole role.')
    version = models.CharField(max_length=8)
    gap = models.FloatField(default=1.0)
    key = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    duration = models.FloatField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cue tape"
        constraints = [models.UniqueConstraint(fields=["session", "scene_id", "version", "gap"],
                                               name="one_tape_per_scene_version_gap")]

    def __str__(self) -> str:
        return f"{self.session} {self.scene_id} ({self.version})"


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
