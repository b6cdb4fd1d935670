import time

from django.core.management.base import BaseCommand

from tts_app import audio
from tts_app.engines.base import SynthesisRequest
from tts_app.engines.registry import engine_names, get_engine
from tts_app.health import gpu_info
from tts_app.prosody import params_for

TEST_LINE = "Is this thing on? Good. Let's rehearse."


class Command(BaseCommand):
    help = "Say which voice engines can run on this computer, and try each one."

    def add_arguments(self, parser):
        parser.add_argument("--engine", choices=engine_names(), help="Only check this engine")

    def handle(self, *args, engine=None, **options):
        gpu = gpu_info()
        described = f"{gpu['name']}, {gpu['free_bytes'] // 2**20} MiB free" if gpu else "none"
        self.stdout.write(f"GPU: {described}")
        for name in [engine] if engine else engine_names():
            self._check(name)

    def _check(self, name: str) -> None:
        eng = get_engine(name)
        avail = eng.availability()
        self.stdout.write(f"\n{eng.label or name} ({name})")
        if not avail.available:
            self.stdout.write(self.style.WARNING(f"  not available: {avail.reason}"))
            # Neural engines list every missing package, file and device with its fix.
            for problem in getattr(eng, "setup_report", list)():
                self.stdout.write(f"  - {problem}")
            return
        self.stdout.write(f"  installed and weights found; device {eng.capabilities().device}; "
                          f"{len(eng.voices())} voices; version {eng.version()}")
        started = time.perf_counter()
        try:
            eng.load()
            loaded = time.perf_counter() - started
            voice = eng.default_voice_ids()[0]
            started = time.perf_counter()
            clip = eng.synthesize([SynthesisRequest(text=TEST_LINE, voice_id=voice, params=params_for(name, None))])[0]
            spoke = time.perf_counter() - started
        except Exception as exc:  # report any engine failure to the parent, never crash the check
            self.stdout.write(self.style.ERROR(f"  failed: {exc}"))
            return
        problem = audio.quality_problem(audio.postprocess(clip), TEST_LINE)
        verdict = self.style.SUCCESS("ok") if problem is None else self.style.ERROR(f"problem: {problem}")
        self.stdout.write(
            f"  load {loaded:.2f} s; test line {spoke:.2f} s for {clip.duration:.1f} s of audio: {verdict}"
        )
