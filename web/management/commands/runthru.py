"""Start RunThru with its embedded defaults: the one command a family runs."""

import functools
import logging
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from runthru_site.supervisor import GaveUp, Supervisor
from runthru_site.tls import certificate_files, daphne_endpoint
from runthru_site.webservers import daphne_on, open_listener, web_procs_default
from scripts_app.services import script_sample_load, scripts_reparse_outdated
from sessions_app.signin import parent_login_create, pin_exists, pin_generate, pin_set
from tts_app.jobs import jobs_requeue_unstarted
from tts_app.purge import purge_deleted_scripts
from tts_app.queue_watch import queue_stall

from ...lan import home_address, lan_environment, qr_code, tls_port

log = logging.getLogger("runthru")
QUEUE_CHECK_SECONDS = 5


def _stop_like_ctrl_c(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Set up the database, load the sample play, then run the web server and the background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.RUNTHRU_HOST)
        parser.add_argument("--port", type=int, default=settings.RUNTHRU_PORT)
        parser.add_argument("--setup-only", action="store_true", help="Prepare everything, start nothing.")
        parser.add_argument("--lan", action="store_true",
                            help="Also serve the home network, so a phone on the same Wi-Fi can rehearse.")

    def handle(self, *args, host, port, setup_only, lan, **options):
        call_command("migrate", interactive=False, verbosity=0)
        purge_deleted_scripts()  # deleted longer ago than the undo time
        self._first_run()
        if setup_only:
            return
        url = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}/"
        env = dict(os.environ)
        phone_url, tls = None, None
        if lan:
            host, phone_url, tls, lan_env = self._home_network(port)
            env.update(lan_env)
        python = sys.executable
        listener = open_listener(host, port)
        supervisor = Supervisor()
        code = 0
        # `kill` (SIGTERM) and closing the terminal (SIGHUP) stop everything as cleanly as Ctrl-C does.
        signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
        signal.signal(signal.SIGHUP, _stop_like_ctrl_c)
        try:
            for i in range(web_procs_default()):
                # The first process also serves phones over HTTPS (only one can bind that port).
                supervisor.add(f"web process {i + 1}", functools.partial(
                    daphne_on, listener, python, tls_endpoint=tls if i == 0 else None, env=env))
            cluster = supervisor.add("the background worker cluster",
                                     functools.partial(subprocess.Popen, [python, "manage.py", "qcluster"], env=env))
            self.stdout.write(self.style.SUCCESS(f"\nRunThru is running: open {url}"))
            if phone_url:
                self.stdout.write(f"On a phone or tablet on the same Wi-Fi, open {phone_url}")
                self.stdout.write("or point its camera at this code:\n" + qr_code(phone_url))
                self.stdout.write(
                    "The first time, the phone warns that the connection isn't private: RunThru made its own "
                    "certificate on this computer. Tap Advanced (or Show details) and carry on to the page; "
                    "it needs this secure address to hear the teen through the microphone.\n"
                    "The teen signs in there with the PIN, as on this computer.")
            self.stdout.write(f"Parents and directors: {url}admin/\nPress Ctrl-C to stop.\n")
            next_check = time.monotonic() + QUEUE_CHECK_SECONDS
            while True:
                time.sleep(0.5)
                supervisor.poll()
                if time.monotonic() >= next_check:
                    next_check = time.monotonic() + QUEUE_CHECK_SECONDS
                    self._check_queue(supervisor, cluster)
        except KeyboardInterrupt:
            pass
        except GaveUp as exc:
            self.stderr.write(str(exc))
            code = 1
        finally:
            # A second Ctrl-C (or the terminal closing) while stopping must not cut the stop short
            # with a traceback and leave processes behind.
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_IGN)
            supervisor.stop()
            listener.close()
        # Everything is stopped. Tearing down this interpreter's modules took another 3 s, which
        # a parent closing the terminal or a service manager would wait through for nothing.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)

    def _check_queue(self, supervisor, cluster):
        try:
            why = queue_stall()
            if why:
                supervisor.restart(cluster, why)
                jobs_requeue_unstarted()
        except DatabaseError:
            log.exception("could not check the task queue")
        finally:
            close_old_connections()

    def _home_network(self, port: int) -> tuple[str, str | None, str | None, dict]:
        """Listen on every interface, plus HTTPS for phones (browsers only open the microphone
        on a secure page); the address to show, the TLS endpoint and the settings that trust it."""
        address = home_address()
        if address is None:
            self.stdout.write(self.style.WARNING(
                "This computer doesn't seem to be on a home network (no Wi-Fi or cable address found), "
                "so only this computer can open RunThru."))
            return "0.0.0.0", None, None, {}
        cert, key = certificate_files(settings.DATA_DIR / "tls", [address])
        endpoint = daphne_endpoint(tls_port(port), cert, key)
        return "0.0.0.0", f"https://{address}:{tls_port(port)}/", endpoint, lan_environment(address, port)

    def _first_run(self):
        if script_sample_load(path=settings.SAMPLE_SCRIPT):
            self.stdout.write("Loaded the sample play, The Lighthouse Keepers.")
        reread = scripts_reparse_outdated()
        if reread:
            self.stdout.write(f"Read {reread} script(s) again with this version's script reader.")
        if not pin_exists():
            pin = pin_generate()
            pin_set(pin=pin)
            self.stdout.write(self.style.WARNING(f"\nSign-in PIN for the teen: {pin}"))
            self.stdout.write("(Shown once. Change it with: python manage.py set_pin)")
        password = parent_login_create()
        if password:
            self.stdout.write(self.style.WARNING(f"Admin login for parents: user 'parent', password '{password}'"))
            self.stdout.write("(Shown once. Change it with: python manage.py changepassword parent)\n")
