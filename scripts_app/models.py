from django.db import models

from .parsing import FORMATS, parent_warnings

# How the admin names each of the parser's formats.
FORMAT_LABELS = {"auto": "Detect automatically", "markdown": "Markdown / plain text", "fountain": "Fountain"}


class Script(models.Model):
    title = models.CharField(max_length=200)
    markdown_source = models.TextField(help_text="The script text as uploaded.")
    format = models.CharField(max_length=10, choices=[(f, FORMAT_LABELS[f]) for f in FORMATS], default="auto")
    # Name variant -> canonical name, e.g. {"DOCTOR RANK": "RANK"}.
    aliases = models.JSONField(default=dict, blank=True)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Hash of what parsed_json was made from (source, format, aliases); lets the
    # parse service skip work that is already done.
    parsed_hash = models.CharField(max_length=64, blank=True, editable=False)
    parsed_json = models.JSONField(default=dict, blank=True, editable=False)
    # The PDF or Word file the script was read from, kept under <data dir>/scripts/ by its
    # content hash (never by the uploaded name); the name is only shown and offered on download.
    original_file = models.CharField(max_length=80, blank=True, editable=False)
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    # Counts from parsed_json, kept beside it so lists never load the parsed JSON (megabytes
    # for a long play); services._apply_parse sets them with it.
    character_count = models.PositiveIntegerField(default=0, editable=False)
    line_count = models.PositiveIntegerField(default=0, editable=False, help_text="Speeches, counted per speaker.")
    scene_count = models.PositiveIntegerField(default=0, editable=False)
    warning_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up by one with every edit: a device that edits what it read at an older version is told
    # to reload instead of overwriting another device's change (API: ETag / If-Match).
    version = models.PositiveIntegerField(default=1)
    # Deleting only hides a script (with its rehearsals and audio) for RUNTHRU_UNDO_DAYS, so a
    # slip loses nothing: a parent brings it back in the admin. Then it goes for good.
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def characters(self) -> list[dict]:
        return self.parsed_json.get("characters", [])

    @property
    def scenes(self) -> list[dict]:
        return self.parsed_json.get("scenes", [])

    @property
    def warnings(self) -> list[dict]:
        return self.parsed_json.get("warnings", [])

    @property
    def warnings_for_parents(self) -> list[dict]:
        """The few warnings a parent can act on, grouped (every warning stays in `warnings`)."""
        return parent_warnings(self.parsed_json or {})

    def set_counts(self) -> None:
        """The count fields from parsed_json (warning_count: the warnings a parent can act on)."""
        self.character_count = len(self.characters)
        self.line_count = sum(c.get("line_count", 0) for c in self.characters)
        self.scene_count = len(self.scenes)
        self.warning_count = len(self.warnings_for_parents)
