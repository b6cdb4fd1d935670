"""Recordings leave with their row, however it goes: deleted alone, with its session or with its script."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .attempts import recordings_remove
from .cues import cue_folder_remove, cue_remove_files
from .models import CueRecording, CueTape, LineAttempt, RehearsalSession
from .tapes import tape_remove_files


@receiver(post_delete, sender=LineAttempt)
def _remove_recording(sender, instance: LineAttempt, **kwargs):
    if instance.recording:
        path = instance.recording
        transaction.on_commit(lambda: recordings_remove([path]))


@receiver(post_delete, sender=CueRecording)
def _remove_cue_recording(sender, instance: CueRecording, **kwargs):
    path = instance.path
    transaction.on_commit(lambda: cue_remove_files([path]))


@receiver(post_delete, sender=RehearsalSession)
def _remove_cue_folder(sender, instance: RehearsalSession, **kwargs):
    session_id = instance.pk
    transaction.on_commit(lambda: cue_folder_remove(session_id))


@receiver(post_delete, sender=CueTape)
def _remove_tape(sender, instance: CueTape, **kwargs):
    if instance.path:
        path = instance.path
        transaction.on_commit(lambda: tape_remove_files([path]))
