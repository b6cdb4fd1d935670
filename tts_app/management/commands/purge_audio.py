from django.core.management.base import BaseCommand, CommandError

from tts_app.purge import purge


class Command(BaseCommand):
    help = "Remove generated audio (rows and files together) and repair the cache."

    def add_arguments(self, parser):
        parser.add_argument("--script", type=int, help="Only this script's audio")
        parser.add_argument("--older-than", type=int, metavar="DAYS", help="Only audio not used for DAYS days")
        parser.add_argument("--orphans", action="store_true",
                            help="Remove files with no row and rows with no file")
        parser.add_argument("--all", action="store_true", help="Remove all generated audio")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be removed")

    def handle(self, *args, script=None, older_than=None, orphans=False, all=False, dry_run=False, **options):
        if script is None and older_than is None and not orphans and not all:
            raise CommandError("Say what to remove: --script ID, --older-than DAYS, --orphans or --all.")
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than must be 0 or more days.")
        report = purge(script_id=script, older_than_days=older_than, orphans=orphans, dry_run=dry_run,
                       everything=all)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {report.rows} clip row(s) and {report.files} file(s), "
            f"freeing {report.bytes / 1e6:.2f} MB; repaired {report.repaired_rows} row(s) with a missing file."
        )
