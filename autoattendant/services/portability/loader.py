"""The document's text → the document, or the problems that make it unusable, each naming the
line of the file. Every JSON object of the document remembers the line where it starts
(``.line``), so the import can report a bad record where an editor finds it."""

from __future__ import annotations

import bisect
import json
import re

from ..number_import import Problem

__all__ = ["FORMAT", "SECTIONS", "VERSION", "load_document"]

FORMAT = "autoattendant-enterprise"
VERSION = 1
SECTIONS = (
    "users",
    "numbers",
    "announcements",
    "mailboxes",
    "systems",
    "menus",
    "schedules",
    "calendars",
    "flowTests",
)


class _Located(dict):
    """A JSON object that remembers the line of the file where it starts."""

    line = 0


class _LineDecoder(json.JSONDecoder):
    """The pure-Python scanner with a hook on objects: each one learns its starting line."""

    def __init__(self, text: str):
        super().__init__()
        newlines = [m.start() for m in re.finditer("\n", text)]
        plain_object = self.parse_object

        def parse_object(s_and_end, *args):
            obj, end = plain_object(s_and_end, *args)
            located = _Located(obj)
            located.line = bisect.bisect_left(newlines, s_and_end[1] - 1) + 1
            return located, end

        self.parse_object = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)


def load_document(text: str) -> tuple[dict | None, list[Problem]]:
    """The document in ``text`` (objects carry ``.line``) or the problems that make it unusable
    (not JSON, another format or version, a section of the wrong type)."""
    try:
        document = _LineDecoder(text).decode(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})")]
    if not isinstance(document, dict):
        return None, [Problem(1, "expected a JSON object")]
    line = getattr(document, "line", 1)
    if document.get("format") != FORMAT:
        return None, [Problem(line, f"format: expected {FORMAT!r}")]
    if document.get("version") != VERSION:
        return None, [Problem(line, f"version: expected {VERSION} (this file says "
                                    f"{document.get('version')!r})")]  # fmt: skip
    problems = []
    if not isinstance(document.get("enterprise"), dict):
        problems.append(Problem(line, "enterprise: expected an object"))
    for section in SECTIONS:
        value = document.setdefault(section, [])
        if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
            problems.append(Problem(line, f"{section}: expected a list of objects"))
    return (None if problems else document), problems
