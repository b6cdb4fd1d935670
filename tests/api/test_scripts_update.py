"""PATCH /api/scripts/{id}."""

from .api_helpers import SMALL_PLAY, assert_error


def test_it_changes_the_title(api, script):
    response = api.patch(f"/api/scripts/{script.pk}", {"title": "Storm Night"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Storm Night"
    assert api.get("/api/scripts").json()[0]["title"] == "Storm Night"


def test_it_reparses_a_changed_text(api, script):
    new = "# Two\n\n**ALICE:** Hello.\n\n**BOB:** Goodbye.\n"
    response = api.patch(f"/api/scripts/{script.pk}", {"markdown_source": new}, format="json")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["parsed"]["characters"]] == ["alice", "bob"]


def test_aliases_merge_two_names_into_one_character(api, small_script):
    # DOCTOR RANK is merged into RANK on its own; an alias to the name itself undoes that
    assert {c["id"] for c in small_script.characters} == {"nora", "rank"}
    assert small_script.parsed_json["merged"] == {"DOCTOR RANK": "RANK"}
    response = api.patch(f"/api/scripts/{small_script.pk}", {"aliases": {"DOCTOR RANK": "DOCTOR RANK"}},
                         format="json")
    assert {c["id"] for c in response.json()["parsed"]["characters"]} == {"nora", "doctor-rank", "rank"}
    response = api.patch(f"/api/scripts/{small_script.pk}", {"aliases": {"DOCTOR RANK": "RANK"}}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["aliases"] == {"DOCTOR RANK": "RANK"}
    characters = {c["id"]: c for c in body["parsed"]["characters"]}
    assert set(characters) == {"nora", "rank"}
    assert characters["rank"]["line_count"] == 3


def test_it_refuses_bad_aliases(api, small_script):
    assert_error(api.patch(f"/api/scripts/{small_script.pk}", {"aliases": {"RANK": ""}}, format="json"), 400)
    assert_error(api.patch(f"/api/scripts/{small_script.pk}", {"aliases": ["RANK"]}, format="json"), 400)


def test_it_refuses_text_without_dialogue_and_keeps_the_old_text(api, small_script):
    assert_error(api.patch(f"/api/scripts/{small_script.pk}", {"markdown_source": "nothing here"}, format="json"), 400)
    assert api.get(f"/api/scripts/{small_script.pk}").json()["markdown_source"] == SMALL_PLAY


def test_it_refuses_an_empty_title(api, small_script):
    assert_error(api.patch(f"/api/scripts/{small_script.pk}", {"title": "   "}, format="json"), 400)


def test_it_says_an_unknown_script_is_not_found(api, db):
    assert_error(api.patch("/api/scripts/424242", {"title": "x"}, format="json"), 404)


def test_put_is_not_part_of_the_contract(api, small_script):
    assert_error(api.put(f"/api/scripts/{small_script.pk}", {"title": "x"}, format="json"), 405)
