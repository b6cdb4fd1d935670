"""Every clip row is ready (drop status/error), a job's `made` count says what it counts,
its rehearsal is a plain id (rehearsals live in the app above), and the unused owner goes."""

from django.db import migrations, models


def drop_unready_clips(apps, schema_editor):
    apps.get_model("tts_app", "AudioClip").objects.exclude(status="ready").delete()


def keep_session_ids(apps, schema_editor):
    Job = apps.get_model("tts_app", "GenerationJob")
    for job_id, session_id in Job.objects.exclude(session=None).values_list("id", "session"):
        Job.objects.filter(pk=job_id).update(session_ref=session_id)


class Migration(migrations.Migration):
    dependencies = [("tts_app", "0002_jobs")]

    operations = [
        migrations.RunPython(drop_unready_clips, migrations.RunPython.noop),
        migrations.RemoveField(model_name="audioclip", name="status"),
        migrations.RemoveField(model_name="audioclip", name="error"),
        migrations.RenameField(model_name="generationjob", old_name="done", new_name="made"),
        migrations.RemoveField(model_name="generationjob", name="owner"),
        migrations.AddField(model_name="generationjob", name="session_ref", field=models.UUIDField(null=True, blank=True)),
        migrations.RunPython(keep_session_ids, migrations.RunPython.noop),
        migrations.RemoveField(model_name="generationjob", name="session"),
        migrations.RenameField(model_name="generationjob", old_name="session_ref", new_name="session_id"),
    ]
