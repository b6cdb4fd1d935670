from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Script
from .services import script_parse


@receiver(post_save, sender=Script, dispatch_uid="script_parse_on_save")
def parse_script_on_save(sender, instance: Script, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixture loads carry their parsed_json already
        script_parse(script=instance)
