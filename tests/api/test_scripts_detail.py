"""GET /api/scripts/{id}."""

import pytest

from .api_helpers import assert_error


def test_it_shows_the_parsed_script(api, script):
    response = api.get(f"/api/scripts/{script.pk}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"id", "title", "format", "markdown_source", "aliases", "parsed", "created_at", "updated_at"}
    parsed = body["parsed"]
    assert set(parsed) >= {"title", "characters", "scenes", "warnings"}
    assert len(parsed["scenes"]) == 2
    first = parsed["scenes"][0]["elements"][0]
    assert set(first) >= {"id", "type"}
    dialogue = next(e for e in parsed["scenes"][0]["elements"] if e["type"] == "dialogue")
    assert dialogue["character"] == "tobias"
    assert dialogue["emotion"]["label"]
    assert all({"id", "name", "line_count"} <= set(c) for c in parsed["characters"])


def test_it_says_an_unknown_script_is_not_found(api, db):
    assert_error(api.get("/api/scripts/999999"), 404, "not_found")


@pytest.mark.parametrize("path", ["/api/scripts/abc", "/api/scripts/..%2F..", "/api/scripts/%2e%2e",
                                  "/api/scripts/1%00", "/api/scripts/-1", "/api/scripts/1.5"])
def test_it_treats_path_tricks_as_not_found(api, script, path):
    assert_error(api.get(path), 404)


def test_it_says_why_each_default_voice_was_chosen(api, db):
    source = ("CAST\n\nPRISM, governess to Cecily\n\nACT I\n\nMS. PARK: Sit down.\nPRISM: Thank you.\n"
              "JUNO: Hi.\nMS. PARK: Quiet.\nPRISM: Sorry.\nJUNO: Bye.\n")
    created = api.post("/api/scripts", {"title": "Clues", "markdown_source": source}, format="json")
    assert created.status_code == 201, created.content
    clues = api.get(f"/api/scripts/{created.json()['id']}").json()["voice_clues"]
    assert clues["ms-park"] == {"kind": "female", "reason": "a woman: “MS” in the name"}
    assert clues["prism"] == {"kind": "female", "reason": "a woman: “governess” in the cast list"}
    assert clues["juno"]["reason"] == "a woman: Juno is usually a woman’s name"
