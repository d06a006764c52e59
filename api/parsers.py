"""The API's JSON parser: DRF's, with every way a body can fail to parse answered as a 400."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        # json nests by recursion: a body nested deeper than the interpreter's stack raises
        # RecursionError, which DRF's parser (catching ValueError only) would let through as a 500.
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON parse error - nested too deeply.") from error
