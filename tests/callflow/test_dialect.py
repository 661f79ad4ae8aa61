"""The two dialects' differences, and the extension prompt's digit count."""

from __future__ import annotations

import pytest

from autoattendant.callflow.dialect import RESTCOMM, TWIML, asr_language
from autoattendant.callflow.directory import EMPTY_DIRECTORY_DIGITS, directory_digits
from autoattendant.callflow.model import Extension


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "en-US"),
        ("es", "es-ES"),
        ("pt-br", "pt-BR"),
        ("en-gb", "en-GB"),
        ("google.de-DE-Wavenet-A", "de-DE"),
        ("fr-CA", "fr-CA"),
        ("", "en-US"),
        (None, "en-US"),
        ("klingon", "en-US"),
    ],
)
def test_asr_language(language, expected):
    assert asr_language(language) == expected


@pytest.mark.parametrize(
    ("voice", "language", "restcomm", "twiml"),
    [
        ("woman", "en", ("woman", "en"), ("woman", "en-US")),
        ("MAN", "fr", ("man", "fr"), ("man", "fr-FR")),
        ("robot", "es", ("", "es"), ("", "es-ES")),
        ("woman", "google.en-GB-Wavenet-A", ("woman", "google.en-GB-Wavenet-A"),
         ("Google.en-GB-Wavenet-A", "en-GB")),
        ("", "", ("", ""), ("", "")),
    ],
)  # fmt: skip
def test_say_attributes(voice, language, restcomm, twiml):
    assert RESTCOMM.say_attributes(voice, language) == restcomm
    assert TWIML.say_attributes(voice, language) == twiml


def test_directory_digits_is_the_longest_extension_or_number():
    assert directory_digits([Extension("15550101", "101"), Extension("15550109", "9")]) == 3
    assert directory_digits([Extension("15550101", "101"), Extension("15550103", None)]) == 8
    assert directory_digits([]) == EMPTY_DIRECTORY_DIGITS
