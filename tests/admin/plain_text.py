"""What a page shows a person, and the words a parent or a teen should never see on it."""

import re
from html.parser import HTMLParser

# Repository references, an empty Python or JSON value, a raw database id
NEVER_SHOWN = ("docs/", ".md", "None", "{}", "[]")
RAW_ID = re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{10,}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-")


class _Text(HTMLParser):
    """The text of a page as a browser shows it closed: no scripts, styles or hidden inputs, and
    nothing inside a closed "technical details" fold (the one place raw values may wait)."""

    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            if tag == "input" and attrs.get("type") in {"submit", "button"} and not self._hidden():
                self.parts.append(attrs.get("value") or "")
            return
        folded = "collapse" in (attrs.get("class") or "").split()
        self.stack.append((tag, tag in self.SKIP or folded or "hidden" in attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def shown_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def never_shown_in(text: str) -> list[str]:
    """What in `text` a user should not see: each forbidden string found, and raw ids."""
    found = [word for word in NEVER_SHOWN if (re.search(r"\bNone\b", text) if word == "None" else word in text)]
    return found + RAW_ID.findall(text)
