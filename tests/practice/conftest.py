"""A small play with four of Maya's lines in two scenes, and a fixed clock."""

from datetime import UTC, datetime

import pytest

from scripts_app.services import script_create
from sessions_app.services import session_create

PLAY = """# The Party

## Scene 1: The Kitchen

**MAYA:** I will not go to the party tonight.

**DAD:** Then you can help me paint the fence.

**MAYA:** Fine. But I am choosing the colour.

## Scene 2: The Garden

**DAD:** The fence is green now.

**MAYA:** It is the colour of a frog.

**DAD:** A handsome frog.

**MAYA:** I'm going inside.
"""
MONDAY = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


@pytest.fixture
def rehearsal(db):
    return session_create(script=script_create(source=PLAY), user_role="maya")


def maya_lines(rehearsal) -> list[str]:
    return [e["id"] for s in rehearsal.script.scenes for e in s["elements"] if e.get("character") == "maya"]


def dad_line(rehearsal) -> str:
    return next(e["id"] for e in rehearsal.script.scenes[0]["elements"] if e.get("character") == "dad")
