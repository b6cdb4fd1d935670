"""What a reader saw on the page, written as Markdown that the text parser reads faithfully.

A reader (pdf.py, word.py) turns layout into a list of Items: a bold name over indented text
becomes a cue, an italic line a direction. render() writes them in the Modern layout the parser
already knows (`**NAME**` cues, `_(direction)_` lines, `##` headings), so emotion, ids and
warnings come out exactly as they do for a text upload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_MARKS = re.compile(r"[*_]")
_BLANKS = re.compile(r"\n{3,}")
_BRACKETS = re.compile(r"[()\[\]]")
_CONTD = re.compile(r"\s*[(\[]\s*(?:cont(?:'|’)?d|continued|more)\s*\.?\s*[)\]]\s*$", re.I)


@dataclass(slots=True)
class Item:
    kind: str  # "title", "heading", "cue", "direction" or "text"
    text: str = ""
    name: str = ""  # a cue's name; its text is the speech that follows on the same line
    direction: str = ""  # a cue's direction on its own line, e.g. NORA (laughing)
    new_para: bool = True  # text: the page shows a paragraph break before it


def clean_line(text: str) -> str:
    """One line of Markdown-safe text: no emphasis marks, no heading mark, single spaces."""
    text = _SPACES.sub(" ", _MARKS.sub("", text.replace("\u00ad", ""))).strip()
    return text.lstrip("#>").strip() if text[:1] in "#>" else text


def cue_name(text: str) -> str:
    """'NORA (CONT'D)' -> 'NORA': a screenplay's continued-marks are layout, not a direction."""
    return _CONTD.sub("", text).strip()


def _direction_line(text: str) -> str:
    text = " ".join(clean_line(ln) for ln in text.splitlines())
    inner = text.strip(" ()[]")
    # brackets inside would end the direction early in the parser: keep the words, not the marks
    inner = _BRACKETS.sub(" — ", inner).strip(" —") if any(c in inner for c in "()[]") else inner
    return f"_({_SPACES.sub(' ', inner)})_" if inner.strip(" .") else ""


def render(items: list[Item]) -> str:
    out: list[str] = []
    in_speech = False
    last = ""
    for it in items:
        kind = it.kind
        if kind == "title":
            out += [f"# {clean_line(it.text)}", ""]
            in_speech = False
        elif kind == "heading":
            out += ["", f"## {clean_line(it.text)}", ""]
            in_speech = False
        elif kind == "cue":
            line = f"**{clean_line(it.name)}**"
            if it.direction:
                line += f" ({clean_line(it.direction).strip('()[] ')})"
            rest = [clean_line(ln) for ln in it.text.splitlines()]
            rest = [ln for ln in rest if ln]
            if rest:
                line += " " + rest[0]
            out += ["", line, *rest[1:]]
            in_speech = True
        elif kind == "direction":
            line = _direction_line(it.text)
            if not line:
                continue
            if not in_speech:
                out.append("")
            out.append(line)
            if not in_speech:
                out.append("")
        else:
            lines = [ln for ln in (clean_line(x) for x in it.text.splitlines()) if ln]
            if not lines:
                continue
            if not in_speech and (it.new_para or last != "text"):
                out.append("")
            out += lines
        last = kind
    return _BLANKS.sub("\n\n", "\n".join(out)).strip() + "\n"
