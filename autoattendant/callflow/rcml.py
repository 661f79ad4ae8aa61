"""RCML (Restcomm's TwiML dialect) builders on ``xml.etree.ElementTree``.

Why ElementTree rather than string templates: escaping is then the serializer's job, so text from
the database (announcement bodies, spoken names, URLs with ``&``) can never break the document.
Each builder sets attributes in one fixed order, so the same call always yields byte-identical XML
(golden tests compare strings). Text and attribute values have XML-illegal control characters
stripped first (as twilio-python's TwiML does); tab, newline and carriage return are kept.

:func:`describe` turns a document back into a flat list of events, so the simulator and the
``simulate_call`` command show exactly what the platform would receive.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

__all__ = [
    "Event",
    "describe",
    "dial",
    "gather",
    "hangup",
    "play",
    "record",
    "redirect",
    "response",
    "say",
    "serialize",
]

#: ``('say', text)``, ``('play', url)``, ``('gather', input, action_url)``, ``('dial', number)``,
#: ``('redirect', url)``, ``('record', action_url)``, ``('hangup',)``.
Event = tuple[str, ...]

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """``text`` as a string without characters XML 1.0 cannot carry (control chars, surrogates)."""
    return _ILLEGAL.sub("", str(text))


def _element(
    parent: ET.Element | None, tag: str, attrs: Iterable[tuple[str, object]]
) -> ET.Element:
    """Create ``tag`` under ``parent`` with the non-empty ``attrs``, in the order given."""
    pairs = {name: clean(value) for name, value in attrs if value is not None and value != ""}
    if parent is None:
        return ET.Element(tag, pairs)
    return ET.SubElement(parent, tag, pairs)


def response() -> ET.Element:
    """A new ``<Response>`` root."""
    return ET.Element("Response")


def say(
    parent: ET.Element, text: str, *, voice: str | None = None, language: str | None = None
) -> ET.Element:
    """``<Say voice=… language=…>text</Say>``; empty voice/language are omitted."""
    element = _element(parent, "Say", (("voice", voice), ("language", language)))
    element.text = clean(text)
    return element


def play(parent: ET.Element, url: str) -> ET.Element:
    """``<Play>url</Play>`` (the URL must be absolute: the platform fetches it)."""
    element = _element(parent, "Play", ())
    element.text = clean(url)
    return element


def gather(
    parent: ET.Element,
    *,
    action: str,
    input: str = "dtmf",
    timeout: int = 5,
    num_digits: int | None = None,
    finish_on_key: str | None = None,
    hints: Iterable[str] = (),
    language: str | None = None,
    speech_timeout: str | None = None,
) -> ET.Element:
    """``<Gather action method="POST" input [numDigits] [finishOnKey] timeout actionOnEmptyResult
    [language] [speechTimeout] [hints]>``; add the prompt as children of the returned element."""
    hint_text = ",".join(hints)
    return _element(
        parent,
        "Gather",
        (
            ("action", action),
            ("method", "POST"),
            ("input", input),
            ("numDigits", num_digits),
            ("finishOnKey", finish_on_key),
            ("timeout", timeout),
            ("actionOnEmptyResult", "true"),
            ("language", language),
            ("speechTimeout", speech_timeout),
            ("hints", hint_text),
        ),
    )


def redirect(parent: ET.Element, url: str) -> ET.Element:
    """``<Redirect method="POST">url</Redirect>``."""
    element = _element(parent, "Redirect", (("method", "POST"),))
    element.text = clean(url)
    return element


def dial(parent: ET.Element, number: str, *, action: str) -> ET.Element:
    """``<Dial action method="POST"><Number>number</Number></Dial>``: the platform posts
    ``DialCallStatus`` to ``action`` when the dialled leg ends."""
    element = _element(parent, "Dial", (("action", action), ("method", "POST")))
    child = _element(element, "Number", ())
    child.text = clean(number)
    return element


def record(parent: ET.Element, *, action: str, max_length: int) -> ET.Element:
    """``<Record action method="POST" maxLength playBeep="true" finishOnKey="#"/>``: the platform
    records until ``#``, silence or ``maxLength`` seconds, then posts ``RecordingUrl`` and
    ``RecordingDuration`` to ``action`` (and, with nothing recorded, falls through to the next
    verb)."""
    return _element(
        parent,
        "Record",
        (
            ("action", action),
            ("method", "POST"),
            ("maxLength", max_length),
            ("playBeep", "true"),
            ("finishOnKey", "#"),
        ),
    )


def hangup(parent: ET.Element) -> ET.Element:
    """``<Hangup/>``."""
    return _element(parent, "Hangup", ())


def serialize(root: ET.Element, *, xml_declaration: bool = False) -> str:
    """The document as a string (``<Hangup/>`` style empty tags), optionally with a declaration.

    ``" />"`` can only occur as the end of an empty tag: ``>`` in text and attributes is escaped.
    """
    body = ET.tostring(root, encoding="unicode").replace(" />", "/>")
    if xml_declaration:
        return '<?xml version="1.0" encoding="UTF-8"?>' + body
    return body


def describe(root: ET.Element) -> tuple[Event, ...]:
    """Flatten a document into events, in the order the platform executes them."""
    events: list[Event] = []

    def walk(element: ET.Element) -> None:
        for child in element:
            tag = child.tag
            if tag == "Say":
                events.append(("say", child.text or ""))
            elif tag == "Play":
                events.append(("play", child.text or ""))
            elif tag == "Gather":
                events.append(("gather", child.get("input", "dtmf"), child.get("action", "")))
                walk(child)
            elif tag == "Redirect":
                events.append(("redirect", child.text or ""))
            elif tag == "Dial":
                number = child.find("Number")
                events.append(("dial", (number.text or "") if number is not None else ""))
            elif tag == "Record":
                events.append(("record", child.get("action", "")))
            elif tag == "Hangup":
                events.append(("hangup",))

    walk(root)
    return tuple(events)
