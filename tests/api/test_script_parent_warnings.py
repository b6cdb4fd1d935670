"""The script payload carries the short list of warnings a parent can act on."""

from django.core.files.uploadedfile import SimpleUploadedFile


def test_a_dolls_house_upload_lists_a_handful_of_things_to_check_not_a_hundred(api, corpus):
    raw = (corpus / "a_dolls_house_pg2542.txt").read_bytes()
    response = api.post("/api/scripts", {"file": SimpleUploadedFile("a_dolls_house.txt", raw)}, format="multipart")
    assert response.status_code == 201, response.content[:500]
    body = response.json()
    assert len(body["parsed"]["warnings"]) > 50  # every note is still in the parsed JSON
    shown = body["parent_warnings"]
    assert 0 < len(shown) <= 5
    assert any("RANK" in w["message"] for w in shown)
    assert all(set(w) == {"kind", "message", "lines"} for w in shown)
