"""RCML builders: attribute order, escaping, stripping, serialisation, and describe()."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from autoattendant.callflow import rcml


def test_builders_write_attributes_in_a_stable_order() -> None:
    root = rcml.response()
    g = rcml.gather(root, action="https://a/b?x=1&y=2", input="speech", timeout=4, hints=["A", "B"])
    rcml.say(g, "Hi", voice="woman", language="en")
    rcml.redirect(root, "https://a/b?x=1&y=2")
    rcml.dial(root, "123", action="https://a/d")
    rcml.play(root, "https://a/f.wav")
    rcml.hangup(root)
    assert rcml.serialize(root) == (
        '<Response><Gather action="https://a/b?x=1&amp;y=2" method="POST" input="speech"'
        ' timeout="4" actionOnEmptyResult="true" hints="A,B"><Say voice="woman" language="en">Hi'
        '</Say></Gather><Redirect method="POST">https://a/b?x=1&amp;y=2</Redirect>'
        '<Dial action="https://a/d" method="POST"><Number>123</Number></Dial>'
        "<Play>https://a/f.wav</Play><Hangup/></Response>"
    )


def test_declaration_is_optional_and_the_result_parses() -> None:
    root = rcml.response()
    rcml.hangup(root)
    text = rcml.serialize(root, xml_declaration=True)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?><Response>')
    assert ET.fromstring(text.encode()).tag == "Response"


def test_text_and_attributes_are_escaped_and_cleaned() -> None:
    root = rcml.response()
    rcml.say(root, 'a & b < c > d "e" \x00\x01\x1b\ud800 f\tg\nh', voice="wo\x07man")
    text = rcml.serialize(root)
    parsed = ET.fromstring(text)
    say = parsed.find("Say")
    assert say is not None
    assert say.text == 'a & b < c > d "e"  f\tg\nh'
    assert say.get("voice") == "woman"
    assert "/>" not in text.replace("<Response>", "")


def test_text_that_looks_like_a_tag_end_stays_text() -> None:
    root = rcml.response()
    rcml.say(root, "a />")
    assert rcml.serialize(root) == "<Response><Say>a /&gt;</Say></Response>"


def test_describe_flattens_in_execution_order() -> None:
    root = rcml.response()
    g = rcml.gather(root, action="u", num_digits=1)
    rcml.play(g, "f")
    rcml.redirect(root, "u")
    rcml.dial(root, "5", action="d")
    rcml.hangup(root)
    assert rcml.describe(root) == (
        ("gather", "dtmf", "u"),
        ("play", "f"),
        ("redirect", "u"),
        ("dial", "5"),
        ("hangup",),
    )
