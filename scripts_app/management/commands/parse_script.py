import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from runthru_site.errors import UserError
from scripts_app.parsing import FORMATS, ScriptParseError, parse_script
from scripts_app.services import UPLOAD_FORMATS, script_text_from_bytes


class Command(BaseCommand):
    help = "Parse a script file and print what RunThru understood, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", default="auto", choices=FORMATS)

    def handle(self, *args, path, format, **options):
        file = Path(path)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            self._fail(f"Can't read {path}: {exc.strerror or exc}")
        try:
            text = script_text_from_bytes(raw)
        except UserError as exc:
            self._fail(exc.message)
        if format == "auto":
            format = UPLOAD_FORMATS.get(file.suffix.lower(), "auto")
        try:
            parsed = parse_script(text, format=format)
        except ScriptParseError as exc:
            self._fail(exc.message)
        self.stdout.write(json.dumps(parsed, ensure_ascii=False, indent=1))

    def _fail(self, message: str):
        sys.stderr.write(f"Error: {message}\n")
        sys.exit(2)
