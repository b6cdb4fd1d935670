"""Request body parsers: DRF's, with a 400 for JSON nested too deeply to read.

Python's json module gives up on about 1,000 nested arrays with a RecursionError, which DRF's
JSONParser does not catch (it catches ValueError): the unauthenticated sign-in answered 500.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONParserNestingSafe(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("We couldn't read that request: it is nested too deeply.") from None
