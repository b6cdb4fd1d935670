"""After signing in, the page goes to ?next=…: only ever a page of ours."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SIGNIN_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "signin.js"
ORIGIN = "http://runthru.example"

AWAY = ["//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example",
        "https://evil.example/", "http:evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>", " //evil.example", "/signin?next=//evil.example"]
HOME = ["/", "/scripts/3/cast", "/rehearse/abc?x=1#top", "scripts/3/cast"]


def run_safe_next(values: list[str]) -> list[list[str]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    source = SIGNIN_JS.read_text()
    function = re.search(r"^function safeNext\(.*?^}\n", source, re.S | re.M)
    assert function, "signin.js has no safeNext(next, origin) function"
    program = function.group(0) + (
        f"const origin = {json.dumps(ORIGIN)};"
        # Each target, and where a browser at our origin really lands with location.assign(target).
        f"console.log(JSON.stringify({json.dumps(values)}.map((v) => {{"
        "  const target = safeNext(v, origin); return [target, new URL(target, origin).origin]; })));"
    )
    result = subprocess.run([node, "-e", program], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_next_never_leads_to_another_site():
    for value, (target, lands_on) in zip(AWAY, run_safe_next(AWAY), strict=True):
        assert lands_on == ORIGIN, (value, target)
        assert target.startswith("/") and not target.startswith(("//", "/\\", "/signin")), (value, target)


def test_next_keeps_our_own_pages():
    targets = [target for target, _ in run_safe_next(HOME)]
    assert targets == ["/", "/scripts/3/cast", "/rehearse/abc?x=1#top", "/scripts/3/cast"]
