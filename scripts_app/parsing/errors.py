"""The one exception the parser raises, with a message a 14-year-old can act on."""


class ScriptParseError(ValueError):
    """Raised when the input cannot be a play script at all (empty, binary, no dialogue)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


EMPTY = "This file looks empty. Paste or upload the text of your play."
BINARY = (
    "This doesn't look like a text file — it may be a picture or a Word document. "
    "Save it as plain text (.txt, .md or .fountain) and try again."
)
NO_DIALOGUE = (
    "We couldn't find any lines of dialogue. Character names should be on their own line "
    "(like ROMEO.) or written as **ROMEO:** followed by the line."
)
