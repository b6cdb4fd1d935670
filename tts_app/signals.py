from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from scripts_app.models import Script

from .purge import files_release
from .selectors import script_clip_paths


@receiver(pre_delete, sender=Script, dispatch_uid="script_audio_release_on_delete")
def release_script_audio(sender, instance: Script, **kwargs) -> None:
    # The rows go with the script's cascade; its files go once that is committed.
    paths = script_clip_paths(instance.pk)
    transaction.on_commit(lambda: files_release(paths))
