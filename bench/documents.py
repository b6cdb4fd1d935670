"""How fast a school's PDF or Word script becomes a parsed play, against parsing the same play as text.

Run from the repository root: ``python bench/documents.py`` (needs the test extras: fpdf2 makes the
PDF). Romeo and Juliet from ../shared/corpus (or the sample play, repeated, without the corpus) is
laid out as a stage-layout PDF and a Word file; each is read through the bounded worker exactly as an
upload is (process start-up included) and then parsed. Prints pages per second for PDF and Word,
the time for a 100-page play (target: under 5 s), and the ratio to the text parse of the same play.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts_app.documents import extract, read_document  # noqa: E402
from scripts_app.parsing import parse_script  # noqa: E402
from tests.documents import makers  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
LATIN1 = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "--", "–": "-", "…": "..."})


def the_play() -> tuple[str, str, list[makers.Element]]:
    """(source text, title, elements) of the play to lay out."""
    path = CORPUS / "romeo_and_juliet_pg1513.txt"
    text = path.read_text(encoding="utf-8") if path.exists() else makers.SAMPLE.read_text(encoding="utf-8") * 12
    parsed = parse_script(text)
    names = {c["id"]: c["name"] for c in parsed["characters"]}
    elements = []
    for scene in parsed["scenes"]:
        elements.append(makers.Element("scene", scene["title"].translate(LATIN1)))
        for el in scene["elements"]:
            words = el["text"].translate(LATIN1).encode("latin-1", "replace").decode("latin-1")
            if el["type"] == "dialogue":
                elements.append(makers.Element("dialogue", words, names[el["character"]].translate(LATIN1),
                                               (el["direction"] or "").translate(LATIN1)))
            else:
                elements.append(makers.Element("direction", words))
    return text, parsed["title"].translate(LATIN1), elements


def best_of(fn, runs: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def speeches(parsed: dict) -> int:
    return sum(1 for s in parsed["scenes"] for e in s["elements"] if e["type"] == "dialogue")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=3)
    runs = args.parse_args().runs
    text, title, elements = the_play()
    pdf = makers.stage_pdf(title, elements)
    word = makers.styled_docx(title, elements)
    pages = extract(pdf, "pdf").pages
    text_time, text_parsed = best_of(lambda: parse_script(text), max(5, runs))
    tiny = makers.stage_pdf("Tiny", [makers.Element("dialogue", "Hello.", "A"), makers.Element("dialogue", "Hi.", "B")])
    startup, _ = best_of(lambda: read_document(tiny, "pdf"), runs)
    print(f"the bounded worker: {startup:.2f} s to start, import pdfminer and read a one-page PDF")
    print(f"{title}: {pages} PDF pages, {speeches(text_parsed)} speeches; text parse {text_time * 1000:.1f} ms")
    for kind, data in (("pdf", pdf), ("docx", word)):
        read_time, found = best_of(lambda data=data, kind=kind: read_document(data, kind), runs)
        parse_time, parsed = best_of(lambda found=found: parse_script(found.markdown), max(5, runs))
        total = read_time + parse_time
        per_100 = total * 100 / pages
        print(f"{kind:4}: {pages / total:6.1f} pages/s; read {read_time:.2f} s + parse {parse_time * 1000:.1f} ms"
              f" = {total:.2f} s, "
              f"{speeches(parsed)} speeches; 100 pages {per_100:.2f} s (target < 5 s: "
              f"{'yes' if per_100 < 5 else 'NO'}); {total / text_time:.0f}x the text parse")
    real = CORPUS / "documents" / "a_dolls_house_act1_stage.pdf"
    if real.exists():
        data = real.read_bytes()
        read_time, found = best_of(lambda: read_document(data, "pdf"), runs)
        print(f"corpus {real.name}: {found.pages} pages in {read_time:.2f} s, {found.pages / read_time:.1f} pages/s")


if __name__ == "__main__":
    main()
