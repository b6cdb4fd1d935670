"""Whatever a reader finds on a page, the Markdown it writes parses (or is refused as no play), never crashes."""

from hypothesis import given, settings
from hypothesis import strategies as st

from scripts_app.documents.render import Item, render
from scripts_app.parsing import ScriptParseError, parse_script

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
_NAME = st.sampled_from(["NORA", "Helmer", "MRS LINDE", "A", "DR. RANK", "_x_", "**", "#", "(", ""]) | _TEXT
_ITEM = st.one_of(
    st.builds(Item, st.just("title"), _TEXT),
    st.builds(Item, st.just("heading"), _TEXT),
    st.builds(Item, st.just("cue"), _TEXT, _NAME, _TEXT),
    st.builds(Item, st.just("direction"), _TEXT),
    st.builds(Item, st.just("text"), _TEXT, st.just(""), st.just(""), st.booleans()),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ITEM, max_size=30))
def test_any_reading_renders_to_markdown_the_parser_takes_or_refuses_politely(items):
    markdown = render(items)
    try:
        parsed = parse_script(markdown)
    except ScriptParseError:
        return
    for scene in parsed["scenes"]:
        for element in scene["elements"]:
            assert element["text"].strip()


def test_a_cue_with_its_speech_reads_back_as_that_speech():
    items = [Item("cue", name="NORA", direction="laughing"), Item("text", "Yes, it is!"),
             Item("direction", "(She sits.)"), Item("cue", name="HELMER"), Item("text", "Good.")]
    parsed = parse_script(render(items))
    speeches = [(e["character"], e["text"], e["direction"]) for e in parsed["scenes"][0]["elements"]
                if e["type"] == "dialogue"]
    assert speeches == [("nora", "Yes, it is!", "laughing"), ("helmer", "Good.", None)]
