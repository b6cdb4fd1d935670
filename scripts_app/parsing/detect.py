"""Guess whether a text is Fountain or one of our Markdown / plain-text play layouts."""

import re

_TITLE_PAGE = re.compile(r"^(?:title|credit|author|authors|source|draft date|contact)\s*:", re.I)
# Patterns start with a literal newline rather than a multiline "^": the regex engine can then
# jump from newline to newline instead of trying every position of a 200 KB text.
_SCENE = re.compile(r"\n(?:INT|EXT|EST|INT\./EXT|INT/EXT|I/E)[. ]")
_TRANSITION = re.compile(r"\n(?:>|[A-Z ]+TO:$|FADE (?:IN|OUT)[:.])", re.M)
# Any line either of the two above could match starts so: one scan to rule both out.
_SCREENPLAY_HINT = re.compile(r"\n(?:INT|EXT|EST|I/E|>|FADE |[A-Z ]+TO:$)", re.M)
_BOLD_CUE = re.compile(r"\n\*\*[^*\n]{1,60}\*\*")
_PERIOD_CUE = re.compile(r"\n[A-Z][A-Z .'’-]{1,40}\.$", re.M)
# "MS. PARK: text" (or " - ", or a tab): a play typed so, even when it has an INT. heading
_COLON_CUE = re.compile(r"\n[A-Z][A-Z .'’#-]{0,40}?(?:[ \t]*\([^()\n]{0,60}\))?(?:[ \t]*:[ \t]|[ \t]+[-–—][ \t]|\t)")


def detect_format(lines: list[str], start: int = 0, end: int | None = None) -> str:
    """'fountain' or 'markdown'."""
    end = len(lines) if end is None else end
    first = next((ln for ln in lines[start:min(end, start + 50)] if ln.strip()), "")
    text = "\n" + "\n".join(lines[start:end])
    if _SCREENPLAY_HINT.search(text):
        score = len(_SCENE.findall(text)) * 3 + len(_TRANSITION.findall(text))
    else:
        score = 0
    if _TITLE_PAGE.match(first) and start == 0:
        score += 6
    if score == 0:
        return "markdown"
    # a Fountain cue stands alone on its line: a cue with its speech beside it counts four times against
    other = len(_BOLD_CUE.findall(text)) + len(_PERIOD_CUE.findall(text)) + 4 * len(_COLON_CUE.findall(text))
    return "fountain" if score * 4 >= other else "markdown"
