"""Writes to scripts. Parsing happens here and nowhere else."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from runthru_site.errors import UserError

from . import parsing
from .documents import DOCUMENT_SUFFIXES, PICTURE_SUFFIXES, read_document
from .documents.errors import PICTURE
from .models import Script
from .originals import original_remove, original_store
from .parsing import FORMATS, UNTITLED, ScriptParseError, parse_script

MAX_TITLE = 200
COUNT_FIELDS = ("character_count", "line_count", "scene_count", "warning_count")

# The files a parent can upload, and the format each is read as ("auto" looks at the text); a
# document's entry names its reader (scripts_app/documents), which writes Markdown for the parser.
UPLOAD_FORMATS = {".md": "auto", ".markdown": "auto", ".txt": "auto", ".spmd": "auto", ".fountain": "fountain",
                  **DOCUMENT_SUFFIXES}
UPLOAD_IN_WORDS = "a PDF, a Word file (.docx or .odt), a Final Draft file (.fdx) or text (Markdown, .txt or Fountain)"
# For a file picker: the suffixes, and the types phones offer files by.
UPLOAD_ACCEPT = ",".join(UPLOAD_FORMATS) + (
    ",text/plain,text/markdown,application/pdf,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text"
)


class ScriptRejected(UserError):
    code = "not_a_script"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parser_fingerprint() -> str:
    """The parser's own code, hashed: a script read by an older parser is read again
    (scripts_reparse_outdated) without anyone having to remember to bump a version."""
    files = sorted(Path(parsing.__file__).parent.glob("*.py"))
    return _sha256("".join(f"{f.name}\0{f.read_text(encoding='utf-8')}\0" for f in files))


PARSER_FINGERPRINT = _parser_fingerprint()


def _parse_hash(source_hash: str, fmt: str, aliases: dict, title: str) -> str:
    blob = json.dumps([source_hash, fmt, sorted(aliases.items()), title, PARSER_FINGERPRINT], ensure_ascii=False)
    return _sha256(blob)


def _storable(text: str) -> bool:
    """No NUL (PostgreSQL refuses it) and no lone surrogates (not encodable as UTF-8)."""
    return "\x00" not in text and not any("\ud800" <= ch <= "\udfff" for ch in text)


def clean_aliases(aliases) -> dict[str, str]:
    if aliases is None:
        return {}
    if not isinstance(aliases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() and _storable(k + v)
        for k, v in aliases.items()
    ):
        raise UserError(
            'Aliases should look like {"DOCTOR RANK": "RANK"}: each other name points to the main name.',
            code="bad_aliases",
        )
    return {k.strip(): v.strip() for k, v in aliases.items()}


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE 00 00 starts both
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def script_text_from_bytes(raw: bytes) -> str:
    """The text of an uploaded script file: UTF-8 (with or without a byte order
    mark), UTF-16/32 with a byte order mark (Windows Notepad's "Unicode"), else
    cp1252, which older Windows editors save (it covers Latin-1 text)."""
    encodings = [enc for bom, enc in _BOMS if raw.startswith(bom)][:1] or ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(
        "We couldn't read that file as text. Save it as plain text (UTF-8) and try again.", code="bad_encoding"
    )


def upload_format(filename: str) -> str:
    """The format a file of this name is read as ('pdf', 'docx', 'fdx' for documents); a friendly
    error for any other kind of file, with a word on what to do for pictures and old Word files."""
    name = (filename or "").lower().strip()
    allowed = {"allowed": list(UPLOAD_FORMATS)}
    if name.endswith(PICTURE_SUFFIXES):
        raise UserError(PICTURE, code="bad_file_type", details=allowed)
    for suffix, fmt in UPLOAD_FORMATS.items():
        if name.endswith(suffix):
            return fmt
    if name.endswith((".doc", ".docm", ".rtf", ".pages")):
        raise UserError("RunThru reads Word files saved as .docx. Open the file in your word processor and use "
                        "Save As → Word Document (.docx), or save it as a PDF.", code="bad_file_type", details=allowed)
    raise UserError(f"Upload the script as {UPLOAD_IN_WORDS}.", code="bad_file_type", details=allowed)


def is_document(fmt: str) -> bool:
    return fmt in DOCUMENT_SUFFIXES.values()


def script_from_upload(upload) -> tuple[str, str]:
    """(text, format) of an uploaded text script file (documents go through script_create_from_upload)."""
    fmt = upload_format(upload.name)
    data = upload.read()
    limit = settings.RUNTHRU_MAX_BODY_BYTES  # documents may be bigger; text may not
    if len(data) > limit:
        raise UserError(f"That's too big. The most we accept is {limit // (1024 * 1024)} MB.", code="too_large",
                        status=413, details={"max_bytes": limit})
    return script_text_from_bytes(data), fmt


# A file name's tail that is no part of a title: 'romeo_and_juliet_pg1513', 'cyber_bob_ep00001', 'play-v2'.
_NAME_NUMBER = re.compile(r"(?:[\s._-]+(?:pg|ep|v|no)?\d+)+$", re.I)
_NAME_SPLIT = re.compile(r"[\s._-]+")
_SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"})


def title_from_filename(filename: str | None) -> str | None:
    """A readable title from an uploaded file's name: 'romeo_and_juliet_pg1513.txt' -> 'Romeo and Juliet'."""
    stem = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    words = [w for w in _NAME_SPLIT.split(_NAME_NUMBER.sub("", stem[:MAX_TITLE])) if w]
    if not any(ch.isalpha() for w in words for ch in w):
        return None
    return " ".join(w.capitalize() if w.islower() and not (i and w in _SMALL_WORDS) else w
                    for i, w in enumerate(words))


def script_validate(*, source: str, fmt: str = "auto", aliases: dict | None = None, title: str | None = None) -> dict:
    """Parse without saving; raises ScriptRejected with a friendly message."""
    if fmt not in FORMATS:
        raise UserError(
            f"The format must be {', '.join(FORMATS[:-1])} or {FORMATS[-1]}.", code="bad_format",
            details={"valid": list(FORMATS)},
        )
    try:
        return parse_script(source, format=fmt, title=title or None, aliases=aliases or {})
    except ScriptParseError as exc:
        raise ScriptRejected(exc.message, details=exc.details) from None


def _apply_parse(script: Script, parsed: dict) -> None:
    script.parsed_json = parsed
    script.source_hash = _sha256(script.markdown_source)
    script.parsed_hash = _parse_hash(script.source_hash, script.format, script.aliases, script.title)
    script.set_counts()


def script_create(*, source: str, title: str | None = None, fmt: str = "auto", aliases: dict | None = None,
                  filename: str | None = None, original_file: str = "", original_name: str = "") -> Script:
    """`filename`: the uploaded file's name, the title when neither `title` nor the text gives one.
    `original_file`: the kept document it was read from (scripts_app/originals.py), if any."""
    aliases = clean_aliases(aliases)
    title = (title or "").strip()[:MAX_TITLE]
    # Parse before any transaction: SQLite takes its write lock at BEGIN, and a slow parse
    # there would make every other write wait (or fail with "database is locked").
    parsed = script_validate(source=source, fmt=fmt, aliases=aliases, title=title)
    if not title and parsed["title"] == UNTITLED:
        title = (title_from_filename(filename) or "")[:MAX_TITLE]
    script = Script(title=title or parsed["title"][:MAX_TITLE], markdown_source=source, format=fmt, aliases=aliases,
                    original_file=original_file, original_name=original_name[:255])
    _apply_parse(script, parsed)
    with transaction.atomic():
        script.save()
    return script


def script_create_from_upload(*, upload, title: str | None = None, fmt: str = "auto",
                              aliases: dict | None = None) -> Script:
    """A script from an uploaded file. Call it outside any transaction: a PDF, Word or Final
    Draft file is read first, for up to a few seconds, in a bounded worker process; its
    original is then kept (written whole) before the row that points at it is saved."""
    kind = upload_format(upload.name)
    if not is_document(kind):
        source, detected = script_from_upload(upload)
        return script_create(source=source, title=title, fmt=detected if fmt == "auto" else fmt, aliases=aliases,
                             filename=upload.name)
    data = upload.read()
    found = read_document(data, kind)
    stored = original_store(data, kind)
    try:
        # the reader wrote the Modern Markdown layout: no guessing the format
        return script_create(source=found.markdown, title=title, fmt="markdown", aliases=aliases,
                             filename=upload.name, original_file=stored,
                             original_name=(upload.name or "").rsplit("/", 1)[-1])
    except BaseException:
        original_remove(stored)
        raise


class ChangedElsewhere(UserError):
    status = 409
    code = "changed_elsewhere"


CHANGED_ELSEWHERE = "This script was changed on another device. Reload it."
_MERGE_TRIES = 3


def script_update(
    *, script: Script, title: str | None = None, source: str | None = None, fmt: str | None = None, aliases=None,
    expected_version: int | None = None, conflict_status: int = 409,
) -> Script:
    """Apply only the fields given. `expected_version`: the version the device read; if the script
    has changed since, ChangedElsewhere (`conflict_status`) instead of overwriting that change.
    Without it, an edit that lands while another is saving is applied on top of that one (a title
    here, the text there: both kept), never saved over it."""
    for _ in range(_MERGE_TRIES):
        if expected_version is not None and expected_version != script.version:
            raise ChangedElsewhere(CHANGED_ELSEWHERE, status=conflict_status, details={"version": script.version})
        read_version = script.version
        _apply_changes(script, title=title, source=source, fmt=fmt, aliases=aliases)
        parsed = script_validate(  # outside the transaction, as in script_create
            source=script.markdown_source, fmt=script.format, aliases=script.aliases, title=script.title
        )
        _apply_parse(script, parsed)
        with transaction.atomic():
            # IMMEDIATE transactions (SQLite) and the row lock (PostgreSQL): nobody saves in between.
            current = Script.objects.select_for_update().filter(pk=script.pk).values_list("version", flat=True)
            if current.first() == read_version:
                script.version = read_version + 1
                script.save()
                return script
        script = Script.objects.get(pk=script.pk)  # another edit won the race: apply ours to it
    raise ChangedElsewhere(CHANGED_ELSEWHERE, status=conflict_status, details={"version": script.version})


def _apply_changes(script: Script, *, title, source, fmt, aliases) -> None:
    if aliases is not None:
        script.aliases = clean_aliases(aliases)
    if source is not None:
        script.markdown_source = source
    if fmt is not None:
        script.format = fmt
    if title is not None:
        if not title.strip():
            raise UserError("The title can't be empty.", code="bad_title")
        script.title = title.strip()[:MAX_TITLE]


def script_parse(*, script: Script) -> Script:
    """Idempotent: (re)parse only when source, format, aliases or title changed.

    Called from the post_save signal, so admin edits and shell saves parse too.
    Input that cannot be parsed keeps an empty structure and a warning rather
    than failing the save (the API and admin validate before saving).
    """
    wanted = _parse_hash(_sha256(script.markdown_source), script.format, script.aliases or {}, script.title)
    if script.parsed_hash == wanted and script.parsed_json:
        return script
    try:
        parsed = parse_script(
            script.markdown_source, format=script.format, title=script.title, aliases=script.aliases or {}
        )
    except ScriptParseError as exc:
        parsed = {"title": script.title, "format": "markdown", "characters": [], "scenes": [],
                  "warnings": [{"line": 1, "message": exc.message}]}
    _store_parse(script, parsed)
    return script


def _store_parse(script: Script, parsed: dict) -> None:
    _apply_parse(script, parsed)
    # update() instead of save(): no second post_save, no updated_at churn.
    Script.objects.filter(pk=script.pk).update(
        parsed_json=script.parsed_json, source_hash=script.source_hash, parsed_hash=script.parsed_hash,
        **{f: getattr(script, f) for f in COUNT_FIELDS},
    )


def scripts_reparse_outdated() -> int:
    """Read again every script an older parser read (RunThru was updated since), so its
    fixes reach scripts already in the library. Line ids come from a line's words and place,
    so unchanged lines keep their progress and audio. Returns how many were read again."""
    count = 0
    # The stored source hash stands for the text: a start reads no script's text unless it is outdated.
    rows = Script.objects.order_by("pk").values_list("pk", "source_hash", "format", "aliases", "title", "parsed_hash")
    outdated = [pk for pk, source_hash, fmt, aliases, title, parsed_hash in rows
                if parsed_hash != _parse_hash(source_hash, fmt, aliases or {}, title)]
    for pk in outdated:
        script = Script.objects.filter(pk=pk).first()  # one script's text in memory at a time
        if script is None or not script.parsed_json:
            continue
        try:
            parsed = parse_script(script.markdown_source, format=script.format, title=script.title,
                                  aliases=script.aliases or {})
        except ScriptParseError:
            continue  # the older reading stays: better than losing the scenes
        _store_parse(script, parsed)
        count += 1
    return count


def script_sample_load(*, path) -> Script | None:
    """The sample play, loaded on first run so there is something to rehearse (None when
    there are scripts already or no sample)."""
    if Script.objects.exists() or not path.exists():
        return None
    return script_create(source=path.read_text(encoding="utf-8"))


def script_soft_delete(*, script: Script) -> None:
    """Hide the script, its rehearsals and audio; script_restore undoes it."""
    Script.objects.filter(pk=script.pk, deleted_at=None).update(deleted_at=timezone.now())


def script_restore(*, script: Script) -> None:
    Script.objects.filter(pk=script.pk).update(deleted_at=None)


def script_delete(*, script: Script) -> None:
    """Delete the script and everything of it (sessions, jobs, clip rows cascade;
    tts_app's receiver removes the audio files only this script used)."""
    script.delete()
