"""Hostile and careless scripts through the API: nothing holds the database while a script is read,
one huge script never slows everyone's list, and a script bigger than any play gets a friendly 400."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import scripts_app.services
from scripts_app.models import Script
from scripts_app.services import script_create, script_update

from .api_helpers import SMALL_PLAY, assert_error


@pytest.fixture
def parse_spy(monkeypatch):
    """Records, for each real parse, whether a database transaction was open around it."""
    real = scripts_app.services.parse_script
    in_transaction: list[bool] = []

    def parse_and_note(*args, **kwargs):
        in_transaction.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(scripts_app.services, "parse_script", parse_and_note)
    return in_transaction


@pytest.mark.django_db(transaction=True)
def test_a_script_is_read_before_the_database_is_locked_for_the_save(parse_spy):
    # SQLite takes its write lock when a transaction begins: a slow parse inside one made every
    # other user's save wait, then fail with "database is locked".
    script = script_create(source=SMALL_PLAY)
    script_update(script=script, source=SMALL_PLAY + "\n**RANK:** One more line.\n")
    assert parse_spy and not any(parse_spy)


def test_the_script_list_never_loads_the_parsed_script(api, small_script):
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/scripts").status_code == 200
    script_queries = [q["sql"] for q in queries if '"scripts_app_script"' in q["sql"]]
    assert script_queries and not any("parsed_json" in sql or "markdown_source" in sql for sql in script_queries)


def test_the_script_list_shows_counts_kept_on_the_script(api, small_script):
    [item] = api.get("/api/scripts").json()
    script = Script.objects.get(pk=small_script.pk)
    assert item["character_count"] == script.character_count == len(script.parsed_json["characters"]) >= 2
    assert item["line_count"] == script.line_count == sum(c["line_count"] for c in script.parsed_json["characters"])
    assert script.scene_count == len(script.parsed_json["scenes"])


def test_changing_a_script_updates_its_counts(api, small_script):
    api.patch(f"/api/scripts/{small_script.pk}", {"markdown_source": SMALL_PLAY + "\n**HELMER:** And me.\n"},
              format="json")
    item = api.get("/api/scripts").json()[0]
    assert (item["character_count"], item["line_count"]) == (small_script.character_count + 1,
                                                             small_script.line_count + 1)


def test_a_script_with_more_scenes_than_any_play_gets_a_friendly_400(api):
    text = "".join(f"# Scene {i}\nANNA: Hello there.\n" for i in range(48_000))[:1_900_000]
    error = assert_error(api.post("/api/scripts", {"markdown_source": text}, format="json"), 400, "not_a_script")
    assert "more than 1,000 scenes" in error["message"]
    assert not Script.objects.exists()


def test_a_script_with_an_endless_line_gets_a_friendly_400(api):
    text = "# a" + " " * 80_000 + "x\n\nA: hi\n\nB: yo\n"
    error = assert_error(api.post("/api/scripts", {"markdown_source": text}, format="json"), 400, "not_a_script")
    assert error["message"].startswith("Line 1 is very long")
