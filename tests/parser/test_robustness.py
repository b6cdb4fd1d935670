"""Arbitrary text never crashes the parser and never takes super-linear time."""

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from scripts_app.parsing import ScriptParseError, parse_script

ALPHABET = st.one_of(st.sampled_from(list("AB RO.:[]()_*#\n^@!>~é漢\r\t")), st.characters())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=400), st.sampled_from(["auto", "markdown", "fountain"]))
def test_it_never_crashes_on_arbitrary_text(text, fmt):
    try:
        result = parse_script(text, format=fmt)
    except ScriptParseError as err:
        assert err.message
        return
    ids = [e["id"] for s in result["scenes"] for e in s["elements"]]
    assert len(ids) == len(set(ids))


def test_pathological_input_takes_linear_time():
    for chunk in ["[" * 1000 + "\n", "(" * 1000, "ROMEO: hi\n" * 100, "A.\nb\n\n" * 100, "/* [[ " * 200]:
        small, big = "ROMEO.\n" + chunk * 20, "ROMEO.\n" + chunk * 80
        t0 = time.perf_counter()
        for _ in range(3):
            try:
                parse_script(small)
            except ScriptParseError:
                pass
        t1 = time.perf_counter()
        try:
            parse_script(big)
        except ScriptParseError:
            pass
        t2 = time.perf_counter()
        assert (t2 - t1) < max(0.5, 3 * (t1 - t0) * 4 / 3)
