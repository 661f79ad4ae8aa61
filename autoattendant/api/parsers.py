"""The API's body parsers: the REST framework's, with the limits a hostile body needs.

Every way a body can fail to be read ends in the error envelope with a 4xx, never a 500:

- JSON nested more than ``MAX_JSON_DEPTH`` levels — including so deep that Python's parser
  gives up (``RecursionError``) — is 601. No body of this API nests more than five levels; the
  cap also keeps everything that later walks the data (validation, the echo in an error's
  ``data``, rendering) far from the recursion limit.
- A NUL byte in any string of the body, a key included, is 600 naming the field
  (``keys[0].menuAction.actionData``) with the REST framework's own words for it.
  PostgreSQL refuses NUL in text, so one reaching a query would be a 500 there and a plain miss
  on SQLite; no sid, number, name or date holds one, so it is malformed input (DESIGN §11),
  refused before any lookup, the same on every database. ``middleware.RefuseNulMiddleware``
  does the same for the path and the query string.
- A multipart body Django cannot read is 624 with the reason (not "Malformed JSON"); too many
  fields or files is 413 (``envelope.request_error``).
"""

from __future__ import annotations

from typing import Any

from django.http.multipartparser import MultiPartParserError
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from ..errors import Errors

__all__ = ["MAX_JSON_DEPTH", "NUL_MESSAGE", "JSONParser", "MultiPartParser", "nul_fields"]

#: Objects and arrays inside one another, the body itself being level 1.
MAX_JSON_DEPTH = 32

#: What the REST framework and Django's forms say about a NUL in a text field.
NUL_MESSAGE = "Null characters are not allowed."

_HEADER_LIMIT_REASON = "Request max total header size exceeded."
_HEADER_LIMIT_HINT = (
    "A part's headers exceed 1024 bytes; a file name that long is not accepted. Send the file "
    "under a shorter name (it is stored under a generated name anyway)."
)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def nul_fields(data: Any) -> dict[str, str]:
    """``{field path: NUL_MESSAGE}`` for every string of ``data`` holding a NUL byte (keys
    included), in document order; 601 as soon as nesting passes ``MAX_JSON_DEPTH``.

    Iterative, so the walk itself never recurses however deep the data.
    """
    found: dict[str, str] = {}
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                found[path or "body"] = NUL_MESSAGE
            continue
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise Errors.MALFORMED_JSON(
                {"body": f"Objects and arrays nest more than {MAX_JSON_DEPTH} levels deep."}
            )
        for key, item in reversed(items):  # popped in document order
            child = _join(path, key)
            if isinstance(key, str) and "\x00" in key:
                found[child] = NUL_MESSAGE
            stack.append((item, child, depth + 1))
    return found


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise Errors.MALFORMED_JSON(
                {"body": f"Objects and arrays nest more than {MAX_JSON_DEPTH} levels deep."}
            ) from None
        if bad := nul_fields(data):
            raise Errors.VALIDATION(bad)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            result = super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            # The REST framework wraps Django's MultiPartParserError; its reason is the cause's.
            cause = exc.__context__
            reason = str(cause) if isinstance(cause, MultiPartParserError) else str(exc.detail)
            if reason == _HEADER_LIMIT_REASON:
                reason = _HEADER_LIMIT_HINT
            raise Errors.MALFORMED_MULTIPART({"body": reason}) from None
        fields = {name: values for name, values in result.data.lists()}
        if bad := nul_fields(fields):
            raise Errors.VALIDATION({path.split("[")[0]: message for path, message in bad.items()})
        return result
