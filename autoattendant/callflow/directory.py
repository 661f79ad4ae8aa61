"""The extension directory: dial by extension and dial by name.

Dial by name fuzzy-matches the platform's ``SpeechResult`` against *every* extension's spoken name
with rapidfuzz's ``WRatio`` after ``utils.default_process`` (lowercase, punctuation stripped,
whitespace trimmed). Only a *unique* best match at or above the threshold dials: a tie between two
different extensions, or nothing confident enough, is an invalid extension attempt, because
connecting a caller to the wrong person is worse than asking again.

Speech hints are a separate, smaller list: Restcomm's parser fails the whole call on more than 50
hint phrases or one over 100 characters, so :func:`speech_hints` sends at most 50 valid phrases,
while matching still considers the whole directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, utils

from .model import Extension

__all__ = [
    "DEFAULT_NAME_THRESHOLD",
    "MAX_HINTS",
    "MAX_HINT_LENGTH",
    "directory_digits",
    "match_extension",
    "match_name",
    "speech_hints",
]

DEFAULT_NAME_THRESHOLD = 80.0
MAX_HINTS = 50
MAX_HINT_LENGTH = 100

_NON_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s+")


def match_extension(digits: str, extensions: Iterable[Extension]) -> Extension | None:
    """The extension whose code or full number equals ``digits`` (``#``, spaces ignored).

    Codes are tried before full numbers, so a short code can never be shadowed by a number.
    """
    wanted = digits.replace("#", "").strip()
    if not wanted:
        return None
    candidates = tuple(extensions)
    for extension in candidates:
        if extension.extension and extension.extension.strip() == wanted:
            return extension
    for extension in candidates:
        if _NON_DIGITS.sub("", extension.number) == wanted:
            return extension
    return None


#: ``numDigits`` of a directory prompt when the directory is empty: any entry is invalid, and a
#: caller ends it with ``#`` (the longest E.164 number has 15 digits).
EMPTY_DIRECTORY_DIGITS = 15


def directory_digits(extensions: Iterable[Extension]) -> int:
    """How many digits a directory prompt collects: the longest extension code (an extension
    without a code counts its full number's digits). A caller may end sooner with ``#``."""
    lengths = [
        len(extension.extension.strip())
        if extension.extension and extension.extension.strip()
        else len(_NON_DIGITS.sub("", extension.number))
        for extension in extensions
    ]
    return max(lengths, default=0) or EMPTY_DIRECTORY_DIGITS


def speech_hints(extensions: Iterable[Extension]) -> tuple[str, ...]:
    """At most 50 distinct spoken names, each 1–100 characters, commas removed (they separate
    hints), in directory order."""
    hints: list[str] = []
    seen: set[str] = set()
    for extension in extensions:
        phrase = _SPACES.sub(" ", (extension.spoken_name or "").replace(",", " ")).strip()
        if not phrase or len(phrase) > MAX_HINT_LENGTH or phrase.casefold() in seen:
            continue
        seen.add(phrase.casefold())
        hints.append(phrase)
        if len(hints) == MAX_HINTS:
            break
    return tuple(hints)


def match_name(
    speech: str, extensions: Iterable[Extension], threshold: float = DEFAULT_NAME_THRESHOLD
) -> Extension | None:
    """The unique extension whose spoken name best matches ``speech`` with ``WRatio >= threshold``.

    Returns ``None`` for empty speech, no score at or above the threshold, or a tie for the best
    score between extensions with different numbers.
    """
    query = utils.default_process(speech or "")
    if not query:
        return None
    best_score = -1.0
    best: dict[str, Extension] = {}
    for extension in extensions:
        name = utils.default_process(extension.spoken_name or "")
        if not name:
            continue
        score = fuzz.WRatio(query, name)
        if score > best_score:
            best_score, best = score, {extension.number: extension}
        elif score == best_score:
            best.setdefault(extension.number, extension)
    if best_score < threshold or len(best) != 1:
        return None
    return next(iter(best.values()))
