import pytest
from django.core.management import CommandError, call_command

from scripts_app.services import script_create
from tts_app import cache
from tts_app.models import AudioClip

pytestmark = pytest.mark.django_db


@pytest.fixture
def script(sample_text):
    return script_create(source=sample_text)


def test_it_makes_every_line_for_a_role_and_prints_a_summary(script, capsys):
    call_command("pregenerate", str(script.pk), "--role", "MAREN")
    out = capsys.readouterr().out
    others = sum(c["line_count"] for c in script.characters if c["id"] != "maren")
    assert f"Made {others}, already there 0, failed 0" in out
    assert "s of audio" in out
    assert AudioClip.objects.filter(script=script).count() == others


def test_a_second_run_finds_everything_in_the_cache(script, capsys):
    call_command("pregenerate", script.title)
    call_command("pregenerate", script.title)
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("Made 0, already there 24, failed 0") for line in out), out


def test_it_takes_voices_for_characters(script):
    call_command("pregenerate", str(script.pk), "--voices", "tobias=en-rp-croak")
    assert AudioClip.objects.filter(script=script, voice="en-rp-croak").count() == 7


@pytest.mark.parametrize(
    "args, message",
    [
        (["nope"], "No script"),
        (["1", "--role", "HAMLET"], "No character"),
        (["1", "--voices", "tobias=robot"], "No voice"),
        (["1", "--voices", "tobias"], "character=voice"),
    ],
)
def test_it_explains_bad_input(script, args, message):
    args = [str(script.pk) if a == "1" else a for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("pregenerate", *args)


def test_it_refuses_an_engine_that_cannot_run_here(script):
    with pytest.raises(CommandError, match="can't run here"):
        call_command("pregenerate", str(script.pk), "--engine", "indextts2")


def test_files_and_rows_agree_after_a_run(script):
    call_command("pregenerate", str(script.pk))
    for row in AudioClip.objects.all():
        assert cache.file_ok(row.path, row.size)
