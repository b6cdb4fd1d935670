"""A parent who uploads an untitled script in the admin gets a title from the file name (issue 15, item 7)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from scripts_app.models import Script


def test_an_untitled_upload_in_the_admin_is_named_after_its_file(parent):
    upload = SimpleUploadedFile("the_bake_sale_v2.txt", b"JO.\nWe sold forty!\n\nSAM.\nForty? Wow.\n")
    form = {"title": "", "format": "auto", "markdown_source": "", "aliases": "{}", "upload": upload}
    response = parent.post("/admin/scripts_app/script/add/", form)
    assert response.status_code == 302, response.content[:2000]
    assert Script.objects.get().title == "The Bake Sale"
