import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from runthru_site.errors import UserError
from scripts_app.models import Script
from scripts_app.selectors import script_find
from tts_app.engines.registry import engine_names, get_engine
from tts_app.jobs import job_cancel, job_for, job_run
from tts_app.selectors import job_failures, voice_ids_for
from tts_app.services import default_voice_assignments, engine_for_new_session


class Command(BaseCommand):
    help = "Make the audio for a script now, in this window (no background worker needed)."

    def add_arguments(self, parser):
        parser.add_argument("script", help="The script's id or its exact title")
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--role", help="Your character: every other line is spoken")
        who.add_argument("--all-roles", action="store_true", help="Speak every line (the default)")
        parser.add_argument("--engine", choices=engine_names())
        parser.add_argument("--voices", default="", help="character=voice,… to override the default voices")

    def handle(self, *args, script, role=None, all_roles=False, engine=None, voices="", **options):
        found = self._script(script)
        engine = engine or engine_for_new_session()
        if not get_engine(engine).availability().available:
            raise CommandError(f"{engine} can't run here: {get_engine(engine).availability().reason}")
        role_id = self._role(found, role) if role else None
        assignments = default_voice_assignments(script=found, user_role=role_id, engine=engine)
        assignments.update(self._voices(found, engine, voices))
        try:
            job = job_for(script=found, engine=engine, user_role=role_id, voice_assignments=assignments,
                          reuse=False, enqueue=False)
        except UserError as exc:
            raise CommandError(exc.message) from None
        started = time.monotonic()
        bar = tqdm(total=job.total, unit="line", desc=found.title[:30], dynamic_ncols=True)
        try:
            job = job_run(job_id=job.pk, on_line=lambda line, status: bar.update(1)) or job
        except KeyboardInterrupt:
            job_cancel(job=job)
            bar.close()
            self.stderr.write("Stopped. Every clip already made is saved; run the command again to finish.")
            return
        bar.close()
        job.refresh_from_db()
        wall = time.monotonic() - started
        self.stdout.write(
            f"Made {job.made}, already there {job.cached}, failed {job.failed}; "
            f"{job.audio_seconds:.1f} s of audio in {wall:.1f} s."
        )
        for lid, err in job_failures(job, limit=20):
            self.stderr.write(f"  {lid}: {err}")

    def _script(self, ref: str) -> Script:
        found = script_find(ref)
        if found is None:
            raise CommandError(f"No script with id or title {ref!r}.")
        return found

    def _role(self, script: Script, name: str) -> str:
        for c in script.characters:
            if name.lower() in (c["id"], c["name"].lower()):
                return c["id"]
        names = ", ".join(c["name"] for c in script.characters)
        raise CommandError(f"No character {name!r} in this script. Characters: {names}")

    def _voices(self, script: Script, engine: str, spec: str) -> dict:
        out = {}
        valid = voice_ids_for(engine)
        for pair in filter(None, (p.strip() for p in spec.split(","))):
            if "=" not in pair:
                raise CommandError(f"Write voices as character=voice, not {pair!r}.")
            char, voice = (x.strip() for x in pair.split("=", 1))
            char = self._role(script, char)
            if voice not in valid:
                raise CommandError(f"No voice {voice!r} for {engine}. Voices: {', '.join(valid)}")
            out[char] = voice
        return out
