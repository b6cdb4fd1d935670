import getpass

from django.core.management.base import BaseCommand, CommandError

from runthru_site.errors import UserError
from sessions_app.signin import pin_set


class Command(BaseCommand):
    help = "Set or change the PIN the teen signs in with (6 to 8 digits). Every device is signed out."

    def add_arguments(self, parser):
        parser.add_argument("pin", nargs="?", help="The new PIN. Leave it out to be asked for it.")

    def handle(self, *args, pin=None, **options):
        if pin is None:
            pin = getpass.getpass("New PIN (6 to 8 digits): ")
            if getpass.getpass("Type it again: ") != pin:
                raise CommandError("The two PINs were different. Nothing was changed.")
        try:
            pin_set(pin=pin)
        except UserError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS("PIN saved. Every device was signed out: sign in again with the new PIN."))
