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


# --- two devices editing one script: nothing is lost silently ---------------------------------

CHANGED = "This script was changed on another device. Reload it."


def test_reading_a_script_gives_its_version_as_the_etag(api, script):
    response = api.get(f"/api/scripts/{script.pk}")
    assert response["ETag"] == f'"v{response.json()["version"]}"'
    edited = api.patch(f"/api/scripts/{script.pk}", {"title": "Storm Night"}, format="json")
    assert edited.json()["version"] == response.json()["version"] + 1
    assert edited["ETag"] == f'"v{edited.json()["version"]}"'


def test_the_second_device_to_save_what_it_read_earlier_is_told_to_reload(api, script):
    etag = api.get(f"/api/scripts/{script.pk}")["ETag"]  # both devices read the same version
    first = api.patch(f"/api/scripts/{script.pk}", {"title": "Storm Night"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    second = api.patch(f"/api/scripts/{script.pk}", {"markdown_source": "# X\n\n**ALICE:** Hi.\n"}, format="json",
                       HTTP_IF_MATCH=etag)
    assert_error(second, 412, "changed_elsewhere")
    assert second.json()["error"]["message"] == CHANGED
    kept = api.get(f"/api/scripts/{script.pk}").json()
    assert kept["title"] == "Storm Night" and kept["markdown_source"] == script.markdown_source


def test_a_version_in_the_body_works_like_if_match_with_409(api, script):
    version = api.get(f"/api/scripts/{script.pk}").json()["version"]
    assert api.patch(f"/api/scripts/{script.pk}", {"title": "A", "version": version}, format="json").status_code == 200
    stale = api.patch(f"/api/scripts/{script.pk}", {"title": "B", "version": version}, format="json")
    assert_error(stale, 409, "changed_elsewhere")
    assert api.get(f"/api/scripts/{script.pk}").json()["title"] == "A"


def test_a_nonsense_if_match_is_a_400(api, script):
    assert_error(api.patch(f"/api/scripts/{script.pk}", {"title": "A"}, format="json", HTTP_IF_MATCH="yesterday"),
                 400, "bad_if_match")


def test_two_edits_of_different_fields_that_cross_keep_both(script):
    # What two PATCHes at once did: each request reads the row, then saves every field of it.
    from scripts_app.models import Script
    from scripts_app.services import script_update

    read_by_the_text_edit = Script.objects.get(pk=script.pk)
    script_update(script=Script.objects.get(pk=script.pk), title="Storm Night")
    new_text = "# Storm Night\n\n**ALICE:** Hello.\n\n**BOB:** Goodbye.\n"
    script_update(script=read_by_the_text_edit, source=new_text)
    kept = Script.objects.get(pk=script.pk)
    assert (kept.title, kept.markdown_source) == ("Storm Night", new_text)
