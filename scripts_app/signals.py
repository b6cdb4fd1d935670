from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Script
from .originals import original_remove
from .services import script_parse


@receiver(post_save, sender=Script, dispatch_uid="script_parse_on_save")
def parse_script_on_save(sender, instance: Script, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixture loads carry their parsed_json already
        script_parse(script=instance)


@receiver(post_delete, sender=Script, dispatch_uid="script_original_on_delete")
def remove_original_on_delete(sender, instance: Script, **kwargs) -> None:
    """However a script is deleted (API, admin, cascade), its kept file goes once the delete is committed."""
    if instance.original_file:
        name = instance.original_file
        transaction.on_commit(lambda: original_remove(name))
