"""The orjson envelope renderer writes the very bytes the REST framework's JSON renderer wrote."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from autoattendant.api.envelope import EnvelopeRenderer

STANDARD = JSONRenderer()
FAST = EnvelopeRenderer()

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.text()  # every code point: quotes, control characters, U+2028/U+2029, astral planes
)
documents = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


def both(data) -> tuple[bytes, bytes]:
    return STANDARD.render(data), FAST.render(data)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_any_json_document_renders_to_the_same_bytes(data):
    standard, fast = both(data)
    assert fast == standard


def test_what_the_standard_encoder_handles_renders_the_same():
    data = {
        "when": dt.datetime(2024, 3, 1, 8, 30, 5, 123456, tzinfo=dt.UTC),
        "naive": dt.datetime(2024, 3, 1, 8, 30, 5),
        "day": dt.date(2024, 3, 1),
        "time": dt.time(8, 30),
        "lazy": gettext_lazy("Not found."),
        "decimal": decimal.Decimal("12"),
        "uuid": uuid.UUID(int=7),
        "set": {3},
        "tuple": (1, "two"),
        "bytes": b"raw",
        "returned": ReturnDict({"a": ReturnList([1, 2], serializer=None)}, serializer=None),
        1: "an integer key",
        None: "a null key",
        "separators": "line\u2028paragraph\u2029end",
        "huge": 2**70,  # beyond 64 bits: the standard renderer writes it
    }
    standard, fast = both(data)
    assert fast == standard
    assert b"\\u2028" in fast and "\u2028".encode() not in fast


def test_none_and_indented_renderings_are_the_standard_ones():
    assert FAST.render(None) == b""
    data = {"a": [1, 2], "é": "ü"}
    indented = "application/json; indent=2"
    assert FAST.render(data, indented) == STANDARD.render(data, indented)
    assert b"\n" in FAST.render(data, indented)
