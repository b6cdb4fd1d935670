"""Read a screenplay from a Final Draft file (.fdx): XML whose paragraphs say what they are.

Each <Paragraph Type="…"> is already a role (Scene Heading, Character, Parenthetical, Dialogue,
Action, Transition), so the reading is a mapping. lxml parses it with entities left unexpanded
and no network, so an entity bomb or an external reference does nothing.
"""

from __future__ import annotations

from . import errors, limits
from .render import Item, cue_name

DAMAGED = errors.DAMAGED_FDX
_DIRECTIONS = {"action", "general", "shot", "transition", "parenthetical", "cast list"}


def read_fdx(data: bytes) -> tuple[list[Item], int]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        raise errors.DocumentRejected(DAMAGED)
    if root is None or root.tag != "FinalDraft":
        raise errors.DocumentRejected(DAMAGED)
    content = root.find("Content")
    if content is None:
        raise errors.DocumentRejected(DAMAGED)
    items: list[Item] = []
    title = _title(root)
    if title:
        items.append(Item("title", title))
    chars = 0
    for para in content.iter("Paragraph"):
        text = "".join(t.text or "" for t in para.iter("Text")).strip()
        chars += len(text)
        if chars > limits.MAX_CHARS:
            raise errors.DocumentRejected(errors.TOO_MUCH_TEXT.format(limit=limits.MAX_CHARS), code="document_too_big")
        if not text:
            continue
        kind = (para.get("Type") or "").strip().lower()
        if kind == "scene heading":
            items.append(Item("heading", text))
        elif kind == "character":
            name = cue_name(text)
            direction = ""
            if "(" in name and name.endswith(")"):  # JOHN (V.O.)
                name, _, direction = name[:-1].partition("(")
            items.append(Item("cue", name=name.strip(), direction=direction.strip()))
        elif kind == "dialogue":
            items.append(Item("text", text, new_para=False))
        elif kind in _DIRECTIONS or kind:
            items.append(Item("direction", text))
    if not chars:
        raise errors.DocumentRejected(errors.NOTHING, code="scanned_document")
    return items, max(1, chars // 1800)  # a screenplay page holds about 1,800 characters


def _title(root) -> str:
    page = root.find("TitlePage")
    if page is None:
        return ""
    for para in page.iter("Paragraph"):
        text = "".join(t.text or "" for t in para.iter("Text")).strip()
        if text:
            return text[:200]
    return ""
