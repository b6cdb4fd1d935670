"""Start RunThru with its embedded defaults: the one command a family runs."""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from runthru_site.webservers import start_daphne, web_procs_default
from scripts_app.services import script_sample_load
from sessions_app.signin import parent_login_create, pin_exists, pin_generate, pin_set


def _stop_like_ctrl_c(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Set up the database, load the sample play, then run the web server and the background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.RUNTHRU_HOST)
        parser.add_argument("--port", type=int, default=settings.RUNTHRU_PORT)
        parser.add_argument("--setup-only", action="store_true", help="Prepare everything, start nothing.")

    def handle(self, *args, host, port, setup_only, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self._first_run()
        if setup_only:
            return
        url = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}/"
        python = sys.executable
        web = start_daphne(python, host, port, web_procs_default())
        procs = [*web, subprocess.Popen([python, "manage.py", "qcluster"])]
        # `kill` (SIGTERM) stops everything as cleanly as Ctrl-C does.
        signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
        self.stdout.write(self.style.SUCCESS(f"\nRunThru is running: open {url}"))
        self.stdout.write(f"Parents and directors: {url}admin/\nPress Ctrl-C to stop.\n")
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    # SIGTERM, not SIGINT: a shell starts background jobs with SIGINT
                    # ignored, and daphne and the cluster both stop cleanly on SIGTERM.
                    p.terminate()
            for p in procs:
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()

    def _first_run(self):
        if script_sample_load(path=settings.SAMPLE_SCRIPT):
            self.stdout.write("Loaded the sample play, The Lighthouse Keepers.")
        if not pin_exists():
            pin = pin_generate()
            pin_set(pin=pin)
            self.stdout.write(self.style.WARNING(f"\nSign-in PIN for the teen: {pin}"))
            self.stdout.write("(Shown once. Change it with: python manage.py set_pin)")
        password = parent_login_create()
        if password:
            self.stdout.write(self.style.WARNING(f"Admin login for parents: user 'parent', password '{password}'"))
            self.stdout.write("(Shown once. Change it with: python manage.py changepassword parent)\n")
