"""The parents' admin: scripts, the PIN, lock-outs, voices and audio."""

import io

import numpy as np
import soundfile
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile

from scripts_app.models import Script
from scripts_app.services import script_create
from sessions_app.models import AccessPin, SignInFailure
from tts_app.clips import clip_make_now, line_spec
from tts_app.models import AudioClip, Voice

SMALL = "# Doctors\n\n## Scene 1\n\n**NORA:** (happily) Good evening.\n\n**RANK:** Goodbye, Nora.\n"


def script_form(**fields):
    return {"title": "", "format": "auto", "markdown_source": "", "same_person": "", **fields}


def test_the_parent_sees_the_admin_home(parent):
    response = parent.get("/admin/")
    assert response.status_code == 200
    assert b"RunThru for parents" in response.content


def test_the_script_list_shows_counts(parent, sample_text):
    script_create(source=sample_text)
    response = parent.get("/admin/scripts_app/script/")
    assert response.status_code == 200
    assert b"The Lighthouse Keepers" in response.content


def test_the_add_page_renders(parent):
    assert parent.get("/admin/scripts_app/script/add/").status_code == 200


def test_a_parent_adds_a_script_by_pasting(parent, sample_text):
    response = parent.post("/admin/scripts_app/script/add/", script_form(markdown_source=sample_text))
    assert response.status_code == 302, response.content[:2000]
    script = Script.objects.get()
    assert script.title == "The Lighthouse Keepers"
    assert script.characters


def test_a_parent_adds_a_script_by_uploading(parent):
    upload = SimpleUploadedFile("doctors.md", SMALL.encode())
    response = parent.post("/admin/scripts_app/script/add/", {**script_form(), "upload": upload})
    assert response.status_code == 302, response.content[:2000]
    assert {c["id"] for c in Script.objects.get().characters} == {"nora", "rank"}


def test_a_bad_upload_shows_a_friendly_form_error(parent):
    upload = SimpleUploadedFile("photo.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    response = parent.post("/admin/scripts_app/script/add/", {**script_form(), "upload": upload})
    assert response.status_code == 200
    assert b"errornote" in response.content or b"errorlist" in response.content
    assert b"plain text" in response.content
    assert not Script.objects.exists()


def test_text_without_dialogue_shows_a_friendly_form_error(parent):
    response = parent.post("/admin/scripts_app/script/add/", script_form(markdown_source="Just prose."))
    assert response.status_code == 200
    assert b"dialogue" in response.content
    assert not Script.objects.exists()


def test_the_change_page_shows_what_runthru_understood(parent, sample_text):
    script = script_create(source=sample_text + "\n**MAREN:**\n")
    response = parent.get(f"/admin/scripts_app/script/{script.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "What RunThru understood" in html
    for character in script.characters:
        assert character["name"] in html
        assert f"<td>{character['line_count']}</td>" in html
    assert "Warnings" in html


def test_a_parent_merges_names_with_aliases(parent):
    script = script_create(source=SMALL.replace("**RANK:** Goodbye", "**DOCTOR RANK:** Hi.\n\n**RANK:** Goodbye"))
    form = script_form(title=script.title, markdown_source=script.markdown_source,
                       same_person="DOCTOR RANK = RANK")
    response = parent.post(f"/admin/scripts_app/script/{script.pk}/change/", form)
    assert response.status_code == 302, response.content[:3000]
    script.refresh_from_db()
    assert {c["id"] for c in script.characters} == {"nora", "rank"}


def test_an_alias_with_a_hidden_control_character_gets_a_form_error_not_a_crash(parent):
    script = script_create(source=SMALL)
    form = script_form(title=script.title, markdown_source=script.markdown_source,
                       same_person="DOCTOR\x00RANK = RANK")
    response = parent.post(f"/admin/scripts_app/script/{script.pk}/change/", form)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    script.refresh_from_db()
    assert script.aliases == {}


def test_a_parent_deletes_a_script(parent, sample_text):
    script = script_create(source=sample_text)
    assert parent.get(f"/admin/scripts_app/script/{script.pk}/delete/").status_code == 200
    response = parent.post(f"/admin/scripts_app/script/{script.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert b"can be brought back for 30 days" in response.content
    script.refresh_from_db()
    assert script.deleted_at is not None  # hidden, not gone
    assert script.title.encode() not in parent.get("/admin/scripts_app/script/").content


def test_a_parent_brings_back_a_deleted_script_with_its_rehearsals(parent, sample_text, api):
    from sessions_app.services import session_create

    script = script_create(source=sample_text)
    session = session_create(script=script, user_role="maren")
    parent.post(f"/admin/scripts_app/script/{script.pk}/delete/", {"post": "yes"})
    assert api.get(f"/api/scripts/{script.pk}").status_code == 404
    assert api.get(f"/api/sessions/{session.pk}").status_code == 404
    assert api.get("/api/scripts").json() == []
    deleted = parent.get("/admin/scripts_app/script/?deleted=yes")
    assert script.title.encode() in deleted.content
    parent.post("/admin/scripts_app/script/?deleted=yes",
                {"action": "restore", "_selected_action": [script.pk]})
    assert api.get(f"/api/scripts/{script.pk}").status_code == 200
    assert api.get(f"/api/sessions/{session.pk}").status_code == 200


def test_a_parent_can_still_delete_a_script_for_good(parent, sample_text):
    script = script_create(source=sample_text)
    parent.post(f"/admin/scripts_app/script/{script.pk}/delete/", {"post": "yes"})
    parent.post("/admin/scripts_app/script/?deleted=yes",
                {"action": "delete_for_good", "_selected_action": [script.pk]})
    assert not Script.objects.exists()


def test_scripts_deleted_longer_ago_than_the_undo_time_go_for_good(db, sample_text):
    from datetime import timedelta

    from django.utils import timezone

    from tts_app.purge import purge_deleted_scripts

    old, recent = script_create(source=sample_text), script_create(source=sample_text)
    Script.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    Script.objects.filter(pk=recent.pk).update(deleted_at=timezone.now() - timedelta(days=29))
    assert purge_deleted_scripts() == 1
    assert list(Script.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_parent_sets_the_pin(parent):
    assert parent.get("/admin/sessions_app/accesspin/add/").status_code == 200
    response = parent.post("/admin/sessions_app/accesspin/add/", {"new_pin": "975313"})
    assert response.status_code == 302, response.content[:2000]
    assert check_password("975313", AccessPin.objects.get().pin_hash)


def test_a_parent_changes_the_pin(parent):
    parent.post("/admin/sessions_app/accesspin/add/", {"new_pin": "975313"})
    row = AccessPin.objects.get()
    response = parent.post(f"/admin/sessions_app/accesspin/{row.pk}/change/", {"new_pin": "112233"})
    assert response.status_code == 302
    assert AccessPin.objects.count() == 1
    assert check_password("112233", AccessPin.objects.get().pin_hash)


def test_a_pin_that_is_not_digits_is_refused_in_the_admin(parent):
    response = parent.post("/admin/sessions_app/accesspin/add/", {"new_pin": "abcd"})
    assert response.status_code == 200
    assert b"6 to 8 digits" in response.content
    assert not AccessPin.objects.exists()


def test_a_parent_sees_and_clears_lock_outs(parent):
    for _ in range(5):
        SignInFailure.objects.create(client_address="10.0.0.7")
    page = parent.get("/admin/sessions_app/signinfailure/")
    assert page.status_code == 200
    assert b"10.0.0.7" in page.content
    assert b"Clear all lock-outs" in page.content
    response = parent.post("/admin/sessions_app/signinfailure/clear/", follow=True)
    assert response.status_code == 200
    assert b"Everyone can sign in again" in response.content
    assert not SignInFailure.objects.exists()


def test_clearing_lock_outs_needs_a_post(parent):
    SignInFailure.objects.create(client_address="10.0.0.7")
    parent.get("/admin/sessions_app/signinfailure/clear/")
    assert SignInFailure.objects.count() == 1


def test_someone_not_signed_in_to_the_admin_cannot_clear_lock_outs(db, client):
    SignInFailure.objects.create(client_address="10.0.0.7")
    client.post("/admin/sessions_app/signinfailure/clear/", HTTP_HOST="localhost")
    assert SignInFailure.objects.count() == 1


def five_second_wav() -> bytes:
    t = np.arange(5 * 16000) / 16000
    buf = io.BytesIO()
    soundfile.write(buf, (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32), 16000, format="WAV")
    return buf.getvalue()


def test_the_voice_pages_render_and_a_parent_uploads_a_voice(parent):
    assert parent.get("/admin/tts_app/voice/").status_code == 200
    assert parent.get("/admin/tts_app/voice/add/").status_code == 200
    upload = SimpleUploadedFile("grandma.wav", five_second_wav())
    response = parent.post("/admin/tts_app/voice/add/", {"name": "Grandma", "description": "", "file": upload})
    assert response.status_code == 302, response.content[:2000]
    voice = Voice.objects.get()
    assert parent.get(f"/admin/tts_app/voice/{voice.pk}/change/").status_code == 200
    played = parent.get(f"/admin/tts_app/voice/{voice.pk}/play/")
    assert played.status_code == 200
    assert b"".join(played.streaming_content)[:4] == b"RIFF"


def test_the_audio_clip_pages_render(parent):
    clip = clip_make_now(line_spec(text="Light the second lamp.", engine="espeak", voice_id="en-us-f2", emotion=None))
    page = parent.get("/admin/tts_app/audioclip/")
    assert page.status_code == 200
    assert b"on disk" in page.content
    assert parent.get(f"/admin/tts_app/audioclip/{clip.pk}/change/").status_code == 200
    played = parent.get(f"/admin/tts_app/audioclip/{clip.pk}/play/")
    assert played.status_code == 200
    assert AudioClip.objects.count() == 1


def test_a_parent_uploads_a_latin_1_file(parent):
    text = "# Café\n\n**JOSÉ:** Où est le café?\n\n**RENÉE:** Là-bas.\n"
    upload = SimpleUploadedFile("cafe.txt", text.encode("latin-1"))
    response = parent.post("/admin/scripts_app/script/add/", {**script_form(), "upload": upload})
    assert response.status_code == 302, response.content[:2000]
    assert "Où est le café?" in Script.objects.get().markdown_source


def test_a_word_document_upload_shows_a_friendly_form_error(parent):
    upload = SimpleUploadedFile("play.docx", b"**A:** Hi.\n\n**B:** Hello.\n")
    response = parent.post("/admin/scripts_app/script/add/", {**script_form(), "upload": upload})
    assert response.status_code == 200
    assert b".fountain" in response.content
    assert not Script.objects.exists()


def test_uploading_a_family_voice_says_which_engines_can_use_it_and_that_none_can_here(parent):
    page = parent.get("/admin/tts_app/voice/add/").content.decode()
    assert "Chatterbox" in page and "IndexTTS2" in page and "graphics card" in page
    upload = SimpleUploadedFile("grandma.wav", five_second_wav())
    response = parent.post("/admin/tts_app/voice/add/", {"name": "Grandma", "description": "", "file": upload},
                           follow=True)
    assert "Nobody hears this voice yet" in response.content.decode()


def test_parents_see_only_what_they_manage(parent):
    page = parent.get("/admin/").content.decode()
    for engineer_only in ("Groups", "Users", "Django Q", "Scheduled tasks", "Queued tasks"):
        assert engineer_only not in page, engineer_only
    for theirs in ("Scripts", "Voices", "Audio clips", "Generation jobs", "Sign-in PIN"):
        assert theirs.lower() in page.lower(), theirs


def test_lengths_and_sizes_read_as_seconds_and_megabytes(parent):
    clip = clip_make_now(line_spec(text="Light the second lamp.", engine="espeak", voice_id="en-us-f2", emotion=None))
    listing = parent.get("/admin/tts_app/audioclip/").content.decode()
    assert f"{clip.duration:.1f} s" in listing
    assert repr(clip.duration) not in listing
    assert " KB" in listing or " MB" in listing
    detail = parent.get(f"/admin/tts_app/audioclip/{clip.pk}/change/").content.decode()
    assert f"{clip.duration:.1f} s" in detail and repr(clip.duration) not in detail


def test_a_parent_joins_and_separates_names_in_plain_words_not_json(parent):
    script = script_create(source=SMALL.replace("**RANK:** Goodbye", "**DOCTOR RANK:** Hi.\n\n**RANK:** Goodbye"))
    page = parent.get(f"/admin/scripts_app/script/{script.pk}/change/").content.decode()
    assert 'name="same_person"' in page and 'name="aliases"' not in page
    form = script_form(title=script.title, markdown_source=script.markdown_source,
                       same_person="DOCTOR RANK = DOCTOR RANK\nNORA = RANK")
    response = parent.post(f"/admin/scripts_app/script/{script.pk}/change/", form)
    assert response.status_code == 302, response.content[:3000]
    script.refresh_from_db()
    assert {c["id"] for c in script.characters} == {"doctor-rank", "rank"}
    again = parent.get(f"/admin/scripts_app/script/{script.pk}/change/").content.decode()
    assert "DOCTOR RANK = DOCTOR RANK" in again


def test_a_pair_without_an_equals_sign_is_a_friendly_form_error(parent):
    script = script_create(source=SMALL)
    form = script_form(title=script.title, markdown_source=script.markdown_source, same_person="DOCTOR RANK RANK")
    response = parent.post(f"/admin/scripts_app/script/{script.pk}/change/", form)
    assert response.status_code == 200
    assert "write it like DOCTOR RANK = RANK" in response.content.decode()


def test_a_parent_sees_that_new_devices_must_wait_after_a_flood_of_wrong_pins(parent):
    SignInFailure.objects.bulk_create(SignInFailure(client_address=f"10.1.0.{i}") for i in range(110))
    page = parent.get("/admin/sessions_app/signinfailure/")
    assert b"a device that never signed in before must wait" in page.content
    assert b"Devices that signed in before are not affected" in page.content


def test_changing_the_pin_in_the_admin_says_every_device_was_signed_out(parent):
    parent.post("/admin/sessions_app/accesspin/add/", {"new_pin": "975313"})
    form = parent.get(f"/admin/sessions_app/accesspin/{AccessPin.objects.get().pk}/change/")
    assert b"signs every device out" in form.content
    response = parent.post(f"/admin/sessions_app/accesspin/{AccessPin.objects.get().pk}/change/",
                           {"new_pin": "112233"}, follow=True)
    assert b"Every device was signed out" in response.content


def test_a_new_pin_of_four_digits_is_refused_but_an_older_one_still_signs_in(parent, client):
    from django.contrib.auth.hashers import make_password

    response = parent.post("/admin/sessions_app/accesspin/add/", {"new_pin": "1234"})
    assert b"6 to 8 digits" in response.content
    AccessPin.objects.create(pin_hash=make_password("1234"))  # set before the 6-digit rule
    verify = client.post("/api/auth/verify", {"pin": "1234"}, content_type="application/json", HTTP_HOST="localhost")
    assert verify.status_code == 200
