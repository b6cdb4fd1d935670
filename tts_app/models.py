from django.db import models
from django.utils import timezone


class Voice(models.Model):
    """An uploaded reference clip; the cloning engines (Chatterbox, IndexTTS2) speak in it."""

    id = models.SlugField(primary_key=True, max_length=60)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=200, blank=True)
    # Relative to RUNTHRU_VOICES_DIR; only ever set by the upload service.
    path = models.CharField(max_length=200, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    duration = models.FloatField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AudioClip(models.Model):
    """One line's audio, ready to play (table audio_cache).

    The file is content-addressed by `key`: several rows (scripts, lines) can
    point at one file, which is synthesized once. A row is only ever added
    after its file is whole on disk, so every row is playable; lines being
    made are tracked by ClipClaim, lines that failed by their JobLine.
    """

    script = models.ForeignKey("scripts_app.Script", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="audio_clips")
    line_id = models.CharField(max_length=40, blank=True)
    key = models.CharField(max_length=64, db_index=True)
    engine = models.CharField(max_length=40, help_text="The engine that actually made the sound.")
    voice = models.CharField(max_length=80)
    emotion_hash = models.CharField(max_length=16)
    path = models.CharField(max_length=200, blank=True, help_text="Relative to data/audio-cache.")
    size = models.PositiveIntegerField(default=0)
    duration = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "audio_cache"
        verbose_name = "audio clip"
        constraints = [
            models.UniqueConstraint(fields=["script", "line_id", "key"], name="one_clip_per_line_and_key"),
        ]

    def __str__(self) -> str:
        return f"A line of {self.script}" if self.script_id else "Speech made on request"


class ClipClaim(models.Model):
    """Whoever inserts the claim for a key synthesizes it; everyone else waits.

    This is what makes two sessions (or two worker machines) generating the
    same play synthesize each clip once.
    """

    key = models.CharField(max_length=64, primary_key=True)
    owner = models.CharField(max_length=80)
    claimed_at = models.DateTimeField()


class GenerationJob(models.Model):
    """Pre-generating a play's audio. Progress lives here, so every process sees it."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Generating"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (State.QUEUED, State.RUNNING)

    script = models.ForeignKey("scripts_app.Script", on_delete=models.CASCADE, related_name="jobs")
    # The rehearsal that asked first (jobs are shared by every rehearsal wanting the same audio).
    # A plain id, not a foreign key: rehearsals live in the app above this one.
    session_id = models.UUIDField(null=True, blank=True)
    engine = models.CharField(max_length=40)
    user_role = models.CharField(max_length=120, blank=True, help_text="Empty: every role is spoken.")
    voice_assignments = models.JSONField(default=dict)
    # Same script text, role, engine and voices -> the same job is reused.
    fingerprint = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    total = models.PositiveIntegerField(default=0)
    made = models.PositiveIntegerField(default=0)
    cached = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    # The signed-in device (sign-in token id) that started it: a teen may stop only their own.
    requested_by = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    audio_seconds = models.FloatField(default=0)
    # Where the teen is now (the rehearsal that moved last): a worker reorders the lines still
    # waiting when focus_seq has moved past ordered_seq, between two batches.
    focus_scene = models.PositiveIntegerField(default=0)
    focus_line = models.PositiveIntegerField(default=0)
    focus_seq = models.PositiveIntegerField(default=0)
    ordered_seq = models.PositiveIntegerField(default=0)
    # Characters of speech: all the job's lines, those finished, and those an engine made (the
    # rate of work; cached lines cost nothing). The time left shown last, and when (smoothing).
    total_chars = models.PositiveIntegerField(default=0)
    finished_chars = models.PositiveIntegerField(default=0)
    made_chars = models.PositiveIntegerField(default=0)
    eta_seconds = models.FloatField(null=True, blank=True)
    eta_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "generation job"

    def __str__(self) -> str:
        if not self.user_role:
            return f"{self.script}: every character"
        role = next((c["name"] for c in self.script.characters if c["id"] == self.user_role), self.user_role.upper())
        return f"{self.script}: everyone but {role}"

    @property
    def finished_count(self) -> int:
        return self.made + self.cached + self.failed

    @property
    def elapsed_seconds(self) -> float | None:
        if not self.started_at:
            return None
        return ((self.finished_at or timezone.now()) - self.started_at).total_seconds()


class JobLine(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DONE = "done", "Made"
        CACHED = "cached", "Already there"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    line_id = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Committed before each try, so a line that kills its worker is given up
    # after MAX_ATTEMPTS instead of crashing every worker that picks it up.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Which worker is making this line now; several workers share one job.
    owner = models.CharField(max_length=80, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    engine_used = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["job", "line_id"], name="one_row_per_job_line")]
        indexes = [models.Index(fields=["job", "status", "position"])]


class JobEvent(models.Model):
    """Append-only progress log; its id is the SSE event id, so reconnects resume exactly."""

    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10)  # line | complete | error | cancelled
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class QueueTicket(models.Model):
    """One task put on the queue for a job, marked when a worker starts it. Tasks waiting
    while none start means the cluster is wedged (see tts_app/queue_watch.py)."""

    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, related_name="+")
    enqueued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"task for job {self.job_id}, queued {self.enqueued_at:%H:%M:%S}"
