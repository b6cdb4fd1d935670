"""After RunThru is updated, `manage.py runthru` reads every script again with the new parser,
so its fixes reach the library; what the teen has done is keyed by line ids, which stay."""

from io import StringIO

import pytest
from django.core.management import call_command

from scripts_app.models import Script
from scripts_app.services import script_create, scripts_reparse_outdated

pytestmark = pytest.mark.django_db

PLAY = """# The Party

## Scene 1: The Kitchen

**MAYA:** (angrily) I will not go to the party tonight.

**DAD:** Then you can help me paint the fence.
"""


def _as_an_older_parser_left_it(script: Script) -> dict:
    """What an older parser might have made: no emotion read from the direction."""
    old = script.parsed_json
    stale = {**old, "scenes": [{**scene, "elements": [{**e, "emotion": None} for e in scene["elements"]]}
                               for scene in old["scenes"]]}
    Script.objects.filter(pk=script.pk).update(parsed_json=stale, parsed_hash="made-by-an-older-parser")
    return old


def _emotions(script: Script) -> list:
    script.refresh_from_db()
    return [e.get("emotion") for scene in script.scenes for e in scene["elements"] if e["type"] == "dialogue"]


def test_starting_runthru_reads_a_script_from_an_older_parser_again(settings, tmp_path):
    settings.SAMPLE_SCRIPT = tmp_path / "no-sample.md"
    script = script_create(source=PLAY)
    fresh = _as_an_older_parser_left_it(script)
    assert _emotions(script) == [None, None]
    out = StringIO()
    call_command("runthru", setup_only=True, stdout=out)
    assert "Read 1 script(s) again" in out.getvalue()
    assert _emotions(script)[0]["label"] == "angry"
    assert script.parsed_json == fresh  # the same line ids: progress and audio still match


def test_a_script_already_read_by_this_parser_is_left_alone():
    script = script_create(source=PLAY)
    Script.objects.filter(pk=script.pk).update(parsed_json={**script.parsed_json, "marker": 1})
    assert scripts_reparse_outdated() == 0
    script.refresh_from_db()
    assert script.parsed_json["marker"] == 1


def test_a_script_the_new_parser_cannot_read_keeps_its_older_reading():
    script = script_create(source=PLAY)
    old = _as_an_older_parser_left_it(script)
    Script.objects.filter(pk=script.pk).update(markdown_source="no play here, only a shopping list")
    assert scripts_reparse_outdated() == 0
    script.refresh_from_db()
    assert script.parsed_json["characters"] == old["characters"]
    assert script.scenes and script.parsed_hash == "made-by-an-older-parser"


def test_a_second_start_has_nothing_to_read_again():
    script = script_create(source=PLAY)
    _as_an_older_parser_left_it(script)
    assert scripts_reparse_outdated() == 1
    assert scripts_reparse_outdated() == 0
