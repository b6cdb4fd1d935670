"""Parents add a script from a PDF or Word file in the admin and can download the original back."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from scripts_app.models import Script
from scripts_app.originals import original_path

from . import hostile, makers


def _add(client, name: str, data: bytes):
    form = {"title": "", "format": "auto", "markdown_source": "", "aliases": "{}",
            "upload": SimpleUploadedFile(name, data)}
    return client.post("/admin/scripts_app/script/add/", form)


def test_a_parent_adds_a_pdf_and_downloads_the_original_from_the_script_page(parent, play):
    pdf = makers.stage_pdf(*play)
    response = _add(parent, "Lighthouse.pdf", pdf)
    assert response.status_code == 302, response.content[:2000]
    script = Script.objects.get()
    assert len(script.characters) == 4
    page = parent.get(f"/admin/scripts_app/script/{script.pk}/change/").content.decode()
    assert "Download Lighthouse.pdf" in page
    download = parent.get(f"/admin/scripts_app/script/{script.pk}/original/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="Lighthouse.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == pdf


def test_a_parent_adds_a_word_file_in_the_admin(parent, play):
    assert _add(parent, "play.docx", makers.styled_docx(*play)).status_code == 302
    assert Script.objects.get().original_name == "play.docx"


def test_a_locked_pdf_in_the_admin_shows_why_and_saves_nothing(parent):
    response = _add(parent, "locked.pdf", hostile.locked_pdf())
    assert response.status_code == 200 and b"locked with a password" in response.content
    assert not Script.objects.exists()


def test_only_a_signed_in_parent_can_download_an_original(parent, play):
    _add(parent, "play.pdf", makers.stage_pdf(*play))
    script = Script.objects.get()
    response = Client(HTTP_HOST="localhost").get(f"/admin/scripts_app/script/{script.pk}/original/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert parent.get("/admin/scripts_app/script/999/original/").status_code == 404


def test_deleting_a_script_in_the_admin_removes_its_original_once_it_cannot_be_undone(
        parent, play, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from tts_app.purge import purge_deleted_scripts

    _add(parent, "play.pdf", makers.stage_pdf(*play))
    script = Script.objects.get()
    stored = original_path(script.original_file)
    with django_capture_on_commit_callbacks(execute=True):
        response = parent.post(f"/admin/scripts_app/script/{script.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and stored.exists()  # can still be brought back
    Script.objects.filter(pk=script.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_deleted_scripts() == 1
    assert not stored.exists()
