"""Recordings leave with their attempt, however it goes: deleted alone, with its session or with its script."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .attempts import recordings_remove
from .models import LineAttempt


@receiver(post_delete, sender=LineAttempt)
def _remove_recording(sender, instance: LineAttempt, **kwargs):
    if instance.recording:
        path = instance.recording
        transaction.on_commit(lambda: recordings_remove([path]))
