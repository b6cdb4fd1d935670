"""Reads of scripts."""

from __future__ import annotations

from runthru_site.errors import NotFound

from .models import Script


def live_scripts():
    """Scripts that are not deleted (a deleted one waits in the admin, to be brought back)."""
    return Script.objects.filter(deleted_at=None)


def script_list():
    """Scripts for a list: the counts, never the parsed JSON or the source (megabytes each)."""
    return live_scripts().only("id", "title", "character_count", "line_count", "scene_count", "updated_at",
                               "created_at")


def script_get(script_id) -> Script:
    try:
        return live_scripts().get(pk=int(script_id))
    except (Script.DoesNotExist, ValueError, TypeError):
        raise NotFound("We couldn't find that script. It may have been deleted.") from None


def script_find(ref: str) -> Script | None:
    """A script by id or exact title (for commands a parent types)."""
    found = Script.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
    return found or Script.objects.filter(title=ref).first()


def script_elements(script: Script):
    """Every element in play order, with its scene index and line index."""
    for scene in script.scenes:
        for line_index, element in enumerate(scene["elements"]):
            yield scene["index"], line_index, element


def script_element_by_id(script: Script, line_id: str) -> dict | None:
    for _, _, element in script_elements(script):
        if element["id"] == line_id:
            return element
    return None


def character_ids(script: Script) -> list[str]:
    return [c["id"] for c in script.characters]


def is_user_line(element: dict | None, role: str) -> bool:
    """Does the person playing `role` say this element (alone or in a joint cue)?"""
    if not element or element.get("type") != "dialogue":
        return False
    return element.get("character") == role or role in (element.get("characters") or [])


def script_summary(script: Script, biggest: int = 5) -> dict:
    """What was found, for the parent to check before the teen starts: counts and the biggest parts."""
    characters = sorted(script.characters, key=lambda c: -c.get("line_count", 0))
    acts = {s.get("act") for s in script.scenes if s.get("act")}
    lines = script.line_count

    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    parts = [count(len(characters), "character"), count(lines, "line")]
    parts.append(count(len(acts), "act") if acts else count(len(script.scenes), "scene"))
    return {
        "characters": len(characters),
        "lines": lines,
        "acts": len(acts),
        "scenes": len(script.scenes),
        "biggest": [{"name": c["name"], "line_count": c.get("line_count", 0)} for c in characters[:biggest]],
        "sentence": ", ".join(parts),
        "warnings": len(script.warnings),
        "from_document": bool(script.original_file),
    }


def deleted_scripts():
    """Deleted scripts still waiting to be brought back, the latest first."""
    return Script.objects.exclude(deleted_at=None).only("id", "title", "deleted_at").order_by("-deleted_at")
