"""manage.py parse_script PATH: the parsed JSON, or a clear error and exit 2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "samples" / "the_lighthouse_keepers.md"


def parse(*args):
    return subprocess.run([sys.executable, "manage.py", "parse_script", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_it_prints_the_sample_as_json():
    result = parse(SAMPLE)
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["title"] == "The Lighthouse Keepers"
    assert {c["id"] for c in parsed["characters"]} >= {"maren", "tobias"}


@pytest.mark.slow
def test_it_prints_every_corpus_file_as_json(corpus):
    for path in sorted(corpus.iterdir()):
        if path.suffix not in (".md", ".txt", ".fountain") or path.name == "README.md":
            continue
        result = parse(path)
        assert result.returncode == 0, (path.name, result.stderr)
        assert json.loads(result.stdout)["characters"], path.name


def test_it_reads_a_fountain_file_as_fountain(tmp_path):
    play = tmp_path / "kettle.fountain"
    play.write_text("Title: Kettle\n\nINT. KITCHEN - DAY\n\nANNA\nIs it on?\n\nBEN\nAlways.\n")
    result = parse(play)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["format"] == "fountain"


def test_it_explains_an_empty_file_and_exits_2(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("")
    result = parse(empty)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_it_explains_a_binary_file_and_exits_2(tmp_path):
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    result = parse(binary)
    assert result.returncode == 2, result.stdout[:200]
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


def test_it_explains_a_missing_file_and_exits_2(tmp_path):
    result = parse(tmp_path / "nope.md")
    assert result.returncode == 2
    assert "nope.md" in result.stderr
    assert "Traceback" not in result.stderr
