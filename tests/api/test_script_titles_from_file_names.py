"""A script with no title in its text is named after its file, not "Untitled script" (issue 15, item 7)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scripts_app.services import title_from_filename

UNTITLED_PLAY = b"JO.\nWe sold forty already!\n\nSAM.\nForty? Wow.\n"


def upload(api, name, content: bytes):
    return api.post("/api/scripts", {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_an_uploaded_script_with_no_title_in_it_is_named_after_its_file(api):
    response = upload(api, "the_bake_sale_pg1513.txt", UNTITLED_PLAY)
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "The Bake Sale"
    assert api.get("/api/scripts").json()[0]["title"] == "The Bake Sale"


def test_a_title_in_the_text_beats_the_file_name(api, sample_text):
    response = upload(api, "draft_v2.md", sample_text.encode())
    assert response.json()["title"] == "The Lighthouse Keepers"


@pytest.mark.parametrize("name, title", [
    ("romeo_and_juliet_pg1513.txt", "Romeo and Juliet"),
    ("cyber_bob_ep00001.fountain", "Cyber Bob"),
    ("A-Dolls-House.md", "A Dolls House"),
    ("C:\\Users\\mum\\My Play v2.txt", "My Play"),
    ("2024.txt", None),
])
def test_a_file_name_reads_as_a_title(name, title):
    assert title_from_filename(name) == title
