"""Default voices fit what the script says about each character."""

from __future__ import annotations

import pytest

from tts_app import casting
from tts_app.engines.registry import get_engine


def _genders_of(engine: str) -> dict[str, str]:
    return {v.id: v.gender for v in get_engine(engine).voices()}


@pytest.mark.parametrize(
    ("name", "gender"),
    [
        ("MRS LINDE", "female"), ("LADY CAPULET", "female"), ("Miss Prism", "female"), ("QUEEN", "female"),
        ("FRIAR LAWRENCE", "male"), ("SIR TOBY", "male"), ("KING", "male"), ("FATHER", "male"),
        ("BOY", "child"), ("GIRL", "child"), ("THE CHILDREN", "child"),
        ("ROMEO", None), ("MERCUTIO", None), ("CHORUS", None),
    ],
)
def test_titles_and_role_words_in_a_name_say_who_it_is(name, gender):
    assert casting.gender_from_name(name) == gender


def test_first_names_count_only_when_the_dictionary_is_sure():
    assert casting.gender_from_first_name("JULIET") == "female"
    assert casting.gender_from_first_name("ROMEO") == "male"
    assert casting.gender_from_first_name("MRS NORA HELMER") == "female"  # the title is skipped
    assert casting.gender_from_first_name("MERCUTIO") is None
    assert casting.gender_from_first_name("PUCK") is None  # "mostly female" is not sure


def _scene(*elements):
    return {"elements": list(elements)}


def _direction(text):
    return {"type": "direction", "text": text, "character": None}


def _line(who, text, direction=None):
    return {"type": "dialogue", "character": who, "text": text, "direction": direction}


def test_pronouns_in_directions_that_name_a_character_decide():
    characters = [{"id": "sam", "name": "SAM"}, {"id": "alex", "name": "ALEX"}, {"id": "quinn", "name": "QUINN"}]
    scenes = [
        _scene(
            _direction("Enter SAM. She is carrying a lantern; she sets it down."),
            _line("sam", "Anyone here?", direction="to herself"),
            _direction("ALEX comes in behind her. He drops his bag."),  # names ALEX only: "her" is about ALEX
            _line("alex", "Only me.", direction="rubbing his eyes"),
            _direction("SAM and ALEX look at each other. She laughs; he does not."),  # two people: no vote
            _line("quinn", "Hello?"),
        )
    ]
    genders = casting.character_genders(characters, scenes)
    assert genders == {"sam": "female", "alex": "male", "quinn": None}


def test_a_character_nothing_speaks_for_stays_unknown_and_may_get_any_voice():
    voices = [("f1", "female"), ("m1", "male")]
    cast = casting.cast([{"id": "x"}, {"id": "y"}], {"x": None, "y": None}, voices)
    assert cast == {"x": "f1", "y": "m1"}


def test_leads_get_distinct_voices_before_any_voice_is_shared():
    voices = [("f1", "female"), ("m1", "male"), ("f2", "female"), ("m2", "male")]
    characters = [{"id": c} for c in ("a", "b", "c", "d", "e")]
    genders = {"a": "male", "b": "male", "c": "male", "d": "female", "e": "male"}
    cast = casting.cast(characters, genders, voices)
    assert cast["a"] != cast["b"]
    assert {cast["a"], cast["b"]} == {"m1", "m2"}
    assert cast["d"] == "f1"
    assert cast["c"] in {"m1", "m2"} and cast["e"] in {"m1", "m2"} and cast["c"] != cast["e"]


def test_a_child_gets_a_childs_voice_or_else_a_womans():
    assert casting.cast([{"id": "kid"}], {"kid": "child"}, [("m", "male"), ("c", "child")]) == {"kid": "c"}
    assert casting.cast([{"id": "kid"}], {"kid": "child"}, [("m", "male"), ("f", "female")]) == {"kid": "f"}


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ["espeak", "natural"])
def test_a_dolls_house_casts_its_women_and_men_as_women_and_men(corpus, engine):
    from scripts_app.services import script_create
    from tts_app.services import default_voice_assignments

    script = script_create(source=(corpus / "a_dolls_house_pg2542.txt").read_text(encoding="utf-8"))
    cast = default_voice_assignments(script=script, user_role=None, engine=engine)
    voice_gender = _genders_of(engine)
    for who in ("nora", "mrs-linde"):
        assert voice_gender[cast[who]] == "female", who
    for who in ("helmer", "krogstad", "rank"):
        assert voice_gender[cast[who]] == "male", who
    leads = sorted(script.characters, key=lambda c: -c["line_count"])[:6]
    assert len({cast[c["id"]] for c in leads}) == len(leads)  # the six biggest parts: six voices


@pytest.mark.django_db
def test_the_teen_playing_nora_hears_the_others_in_fitting_voices(corpus):
    from scripts_app.services import script_create
    from tts_app.services import default_voice_assignments

    script = script_create(source=(corpus / "a_dolls_house_pg2542.txt").read_text(encoding="utf-8"))
    cast = default_voice_assignments(script=script, user_role="nora", engine="natural")
    assert "nora" not in cast
    assert _genders_of("natural")[cast["helmer"]] == "male"
    assert _genders_of("natural")[cast["mrs-linde"]] == "female"


@pytest.mark.parametrize(
    ("play", "expected"),
    [
        ("romeo_and_juliet_pg1513.txt", {"romeo": "male", "juliet": "female", "nurse": "female",
                                         "lady-capulet": "female", "friar-lawrence": "male"}),
        ("importance_of_being_earnest_pg844.txt", {"jack": "male", "cecily": "female", "gwendolen": "female",
                                                   "lady-bracknell": "female", "miss-prism": "female"}),
    ],
)
def test_other_corpus_plays_are_cast_sensibly(corpus, play, expected):
    from scripts_app.parsing import parse_script

    parsed = parse_script((corpus / play).read_text(encoding="utf-8"))
    genders = casting.character_genders(parsed["characters"], parsed["scenes"])
    assert {k: genders.get(k) for k in expected} == expected


def test_characters_who_meet_in_a_scene_are_never_given_one_voice_while_another_fits():
    voices = [("m1", "male"), ("m2", "male"), ("m3", "male")]
    characters = [{"id": c} for c in ("a", "b", "c", "d")]
    genders = dict.fromkeys("abcd", "male")
    scenes = [_scene(_line("a", "Hello."), _line("d", "Hi.")), _scene(_line("b", "Yes."), _line("c", "No."))]
    cast = casting.cast(characters, genders, voices, scenes=scenes)
    assert cast["a"] != cast["d"]  # billing order alone gives d the first voice again, a's
    assert len({cast["a"], cast["b"], cast["c"]}) == 3


def test_a_robotic_fallback_voice_is_cast_only_where_a_scene_has_run_out_of_natural_ones():
    voices = [("m1", "male"), ("m2", "male"), ("e1", "male")]
    genders = dict.fromkeys("abc", "male")
    characters = [{"id": c} for c in "abc"]
    apart = [_scene(_line("a", "One."), _line("b", "Two.")), _scene(_line("c", "Three."))]
    together = [_scene(_line("a", "One."), _line("b", "Two."), _line("c", "Three."))]
    assert casting.cast(characters, genders, voices, scenes=apart, fallback={"e1"})["c"] == "m1"
    assert casting.cast(characters, genders, voices, scenes=together, fallback={"e1"})["c"] == "e1"


def _romeo_and_juliet(corpus):
    from scripts_app.services import script_create

    return script_create(source=(corpus / "romeo_and_juliet_pg1513.txt").read_text(encoding="utf-8"))


def _speakers(scene):
    return {e["character"] for e in scene["elements"] if e["type"] == "dialogue" and e.get("character")}


@pytest.mark.django_db
def test_in_romeo_and_juliet_nobody_shares_a_voice_with_someone_in_the_same_scene(corpus):
    from tts_app.services import default_voice_assignments

    script = _romeo_and_juliet(corpus)
    cast = default_voice_assignments(script=script, user_role="juliet", engine="natural")
    for scene in script.scenes:
        voiced = sorted(_speakers(scene) - {"juliet"})
        assert len({cast[c] for c in voiced}) == len(voiced), scene["title"]
    assert casting.shared_in_scenes(script.scenes, cast) == []
    genders = _genders_of("natural")
    assert genders[cast["romeo"]] == "male" and genders[cast["nurse"]] == "female"


@pytest.mark.django_db
def test_with_fewer_voices_than_a_scenes_speakers_only_such_scenes_share_and_the_page_is_told(corpus, monkeypatch):
    from tts_app import services
    from tts_app.selectors import voice_shares

    monkeypatch.setattr(services, "fallback_chain", lambda engine: [engine])  # the natural voices only
    script = _romeo_and_juliet(corpus)
    cast = services.default_voice_assignments(script=script, user_role=None, engine="natural")
    voice_count = len(set(cast.values()))
    crowded = {scene["title"] for scene in script.scenes if len(_speakers(scene)) > voice_count}
    assert crowded  # Act I's brawl has more speakers than there are natural voices
    for scene in script.scenes:
        speakers = _speakers(scene)
        if scene["title"] not in crowded:
            assert len({cast[c] for c in speakers}) == len(speakers), scene["title"]
    shares = voice_shares(script, engine="natural", user_role=None, voice_assignments=cast)
    assert shares and all(len(s["characters"]) >= 2 for s in shares)
    assert {title for s in shares for title in s["scenes"]} <= {
        f"{s['act']}, {s['title']}" if s.get("act") else s["title"] for s in script.scenes if s["title"] in crowded}
    names = {c["id"]: c["name"] for c in script.characters}
    first = shares[0]
    assert first["voice_name"] == next(v.name for v in get_engine("natural").voices() if v.id == first["voice"])
    assert {cast[cid] for cid, name in names.items() if name in first["characters"]} == {first["voice"]}
