import pytest
from django.core.management import CommandError, call_command

from scripts_app.services import script_create
from tts_app import cache
from tts_app.models import AudioClip, ClipClaim

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(sample_text):
    script = script_create(source=sample_text)
    call_command("pregenerate", str(script.pk))
    return script


def _files():
    return {p.relative_to(cache.audio_root()).as_posix() for p in cache.audio_root().glob("*/*.wav")}


def test_it_removes_a_scripts_clips_and_their_files_together(generated, capsys):
    paths = set(AudioClip.objects.filter(script=generated).values_list("path", flat=True))
    call_command("purge_audio", "--script", str(generated.pk))
    assert AudioClip.objects.filter(script=generated).count() == 0
    assert not paths & _files()
    assert "Removed 24 clip row(s) and 24 file(s)" in capsys.readouterr().out


def test_a_dry_run_changes_nothing(generated, capsys):
    before = _files()
    call_command("purge_audio", "--script", str(generated.pk), "--dry-run")
    assert "Would remove 24 clip row(s)" in capsys.readouterr().out
    assert AudioClip.objects.filter(script=generated).count() == 24 and _files() == before


def test_older_than_keeps_recent_audio(generated):
    call_command("purge_audio", "--older-than", "30")
    assert AudioClip.objects.filter(script=generated).count() == 24


def test_it_never_removes_a_clip_a_running_job_is_writing(generated):
    row = AudioClip.objects.filter(script=generated).first()
    ClipClaim.objects.create(key=row.key, owner="elsewhere:1", claimed_at=row.updated_at)
    call_command("purge_audio", "--script", str(generated.pk))
    assert AudioClip.objects.filter(pk=row.pk).exists()
    assert cache.file_ok(row.path, row.size)


def test_orphans_repairs_both_directions(generated, capsys):
    stray = cache.audio_root() / "ab" / ("ab" + "0" * 62 + ".wav")
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"RIFF" + b"\0" * 100)
    lost = AudioClip.objects.filter(script=generated).first()
    cache.remove(lost.path)
    call_command("purge_audio", "--orphans")
    assert not stray.exists()
    assert not AudioClip.objects.filter(pk=lost.pk).exists()
    assert "repaired 1 row(s)" in capsys.readouterr().out


def test_it_asks_what_to_remove(generated):
    with pytest.raises(CommandError, match="Say what to remove"):
        call_command("purge_audio")
