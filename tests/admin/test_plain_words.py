"""Every admin page and every teen page, walked for what a parent or a teen should never be shown:
references to the repository's files, an empty value (None, {}, []), or a raw id."""

import pytest
from django.contrib import admin
from django.test import Client

from tests.admin.family import PARENT, PASSWORD, family_seed
from tests.admin.plain_text import never_shown_in, shown_text


@pytest.fixture
def family(db, sample_text):
    return family_seed(sample_text)


def admin_pages(family) -> list[str]:
    script, session, deleted = family
    pages = ["/admin/", "/admin/scripts_app/script/?deleted=yes", "/admin/password_change/"]
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages.append(base)
        pages.append(base + "add/")
        first = model_admin.get_queryset(None).first() if model is not type(script) else script
        if first is not None:
            pages.append(f"{base}{first.pk}/change/")
            pages.append(f"{base}{first.pk}/delete/")
    return pages


def test_no_admin_page_shows_a_parent_a_file_reference_an_empty_value_or_a_raw_id(family):
    parent = Client(HTTP_HOST="localhost")
    assert parent.login(username=PARENT, password=PASSWORD)
    walked = {}
    for url in admin_pages(family):
        response = parent.get(url)
        if response.status_code == 403:  # an add page a model does not offer
            continue
        assert response.status_code == 200, url
        walked[url] = never_shown_in(shown_text(response.content.decode()))
    assert len(walked) > 20
    assert {url: found for url, found in walked.items() if found} == {}


def test_no_teen_page_shows_a_file_reference_an_empty_value_or_a_raw_id(family):
    script, session, _ = family
    client = Client(HTTP_HOST="localhost")
    assert client.post("/api/auth/verify", {"pin": "24681357"}, content_type="application/json").status_code == 200
    pages = ["/", f"/scripts/{script.pk}/cast", f"/rehearse/{session.pk}"]
    found = {url: never_shown_in(shown_text(client.get(url).content.decode())) for url in pages}
    found["/signin"] = never_shown_in(shown_text(Client(HTTP_HOST="localhost").get("/signin").content.decode()))
    assert {url: words for url, words in found.items() if words} == {}


def test_the_script_lists_read_as_words_not_as_field_names(family):
    parent = Client(HTTP_HOST="localhost")
    assert parent.login(username=PARENT, password=PASSWORD)
    library = shown_text(parent.get("/admin/scripts_app/script/").content.decode())
    deleted = shown_text(parent.get("/admin/scripts_app/script/?deleted=yes").content.decode())
    assert "Characters" in library and "Worth checking" in library and "Last changed" in library
    assert "Character count" not in library and "Select script to change" not in library
    assert "Deleted scripts you can bring back" in deleted and "can be brought back until" in deleted


def test_a_rehearsal_reads_as_the_play_the_part_and_whose_rehearsal_it_is(family):
    script, session, _ = family
    parent = Client(HTTP_HOST="localhost")
    assert parent.login(username=PARENT, password=PASSWORD)
    title = "The Lighthouse Keepers — MAREN (Sam's rehearsal)"
    base = "/admin/sessions_app/rehearsalsession/"
    assert title in shown_text(parent.get(base).content.decode())
    assert title in shown_text(parent.get(f"{base}{session.pk}/change/").content.decode())


def test_a_rehearsal_with_no_name_reads_as_the_play_and_the_part(family):
    _, session, _ = family
    session.name = ""
    assert str(session) == "The Lighthouse Keepers — MAREN"
