"""The one exception the parser raises, with a message a 14-year-old can act on."""


class ScriptParseError(ValueError):
    """Raised when the input cannot be a play script at all (empty, binary, no dialogue)."""

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details


EMPTY = "This file looks empty. Paste or upload the text of your play."
BINARY = (
    "This doesn't look like a text file — it may be a picture or a Word document. "
    "Save it as plain text (.txt, .md or .fountain) and try again."
)
NO_DIALOGUE = (
    "We couldn't find any lines of dialogue. Character names should be on their own line "
    "(like ROMEO.) or written as **ROMEO:** followed by the line."
)

# One example of each layout the parser reads, shown when it finds none of them
LAYOUT_EXAMPLES = (
    "JUNO: Is anyone home?",
    "MS. PARK (sternly): Who left the oven on?",
    "**JUNO:** Is anyone home?",
    "JUNO. Is anyone home?",
    "JUNO - Is anyone home?",
    "JUNO on its own line, the speech on the line under it",
)
_SHOWN_LINES = 3


def no_dialogue(lines: list[str], start: int = 0) -> ScriptParseError:
    """The friendly refusal for a text where no layout found a speech: the first lines it could not
    read as anyone speaking, and an example of each layout it knows."""
    unread = []
    for i in range(start, min(len(lines), start + 400)):
        text = lines[i].strip()
        if text and text[0] != "#":  # a heading or a title is no speech anybody missed
            unread.append({"line": i + 1, "text": text[:80]})
            if len(unread) == _SHOWN_LINES:
                break
    shown = ", ".join(f"line {u['line']} (“{u['text']}”)" for u in unread)
    message = (f"We couldn't find any lines of dialogue. We couldn't tell who is speaking in {shown}. "
               f"Start each speech with the speaker's name, like “{LAYOUT_EXAMPLES[0]}” or "
               f"“{LAYOUT_EXAMPLES[2]}”, or put the name alone on a line (like ROMEO.) with the speech under it.")
    return ScriptParseError(message, {"unread_lines": unread, "layouts": list(LAYOUT_EXAMPLES)})
