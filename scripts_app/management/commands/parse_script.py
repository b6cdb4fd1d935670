import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from scripts_app.parsing import ScriptParseError, parse_script


class Command(BaseCommand):
    help = "Parse a script file and print what RunThru understood, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", default="auto", choices=["auto", "markdown", "fountain"])

    def handle(self, *args, path, format, **options):
        file = Path(path)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            self._fail(f"Can't read {path}: {exc.strerror or exc}")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        if format == "auto" and file.suffix.lower() == ".fountain":
            format = "fountain"
        try:
            parsed = parse_script(text, format=format)
        except ScriptParseError as exc:
            self._fail(exc.message)
        self.stdout.write(json.dumps(parsed, ensure_ascii=False, indent=1))

    def _fail(self, message: str):
        sys.stderr.write(f"Error: {message}\n")
        sys.exit(2)
