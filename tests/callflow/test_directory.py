"""Dial by extension and dial by name: matching rules and speech hints."""

from __future__ import annotations

from autoattendant.callflow.directory import (
    MAX_HINT_LENGTH,
    MAX_HINTS,
    match_extension,
    match_name,
    speech_hints,
)
from autoattendant.callflow.model import Extension

DIRECTORY = (
    Extension("15550101", "101", "John Smith"),
    Extension("15550102", "102", "Maria Garcia"),
    Extension("15550103", None, "Wei Chen"),
    Extension("15550104", "104", None),
)


def test_extension_by_code_or_number() -> None:
    assert match_extension("101", DIRECTORY) == DIRECTORY[0]
    assert match_extension("15550103", DIRECTORY) == DIRECTORY[2]
    assert match_extension(" 104# ", DIRECTORY) == DIRECTORY[3]
    assert match_extension("", DIRECTORY) is None
    assert match_extension("#", DIRECTORY) is None
    assert match_extension("10", DIRECTORY) is None


def test_a_code_wins_over_a_number_that_looks_the_same() -> None:
    directory = (Extension("200"), Extension("15550200", "200"))
    assert match_extension("200", directory) == directory[1]


def test_typos_match() -> None:
    assert match_name("jon smith", DIRECTORY) == DIRECTORY[0]
    assert match_name("Maria Garsia!", DIRECTORY) == DIRECTORY[1]
    assert match_name("WEI CHEN", DIRECTORY) == DIRECTORY[2]


def test_below_threshold_is_rejected() -> None:
    assert match_name("Bartholomew", DIRECTORY) is None
    assert match_name("", DIRECTORY) is None
    assert match_name("...", DIRECTORY) is None
    assert match_name("jon smith", DIRECTORY, threshold=100) is None


def test_threshold_is_configurable() -> None:
    assert match_name("Jon Smit", DIRECTORY, threshold=50) == DIRECTORY[0]


def test_a_tie_is_rejected() -> None:
    twins = (Extension("15550201", "201", "Anna Lee"), Extension("15550202", "202", "Anna Lee"))
    assert match_name("anna lee", twins) is None
    # the same extension listed twice is not a tie
    assert match_name("anna lee", (twins[0], twins[0])) == twins[0]


def test_hints_are_capped_but_matching_uses_everyone() -> None:
    directory = tuple(
        Extension(f"1555{i:04d}", str(i), f"Person Number{i:03d} Zz{chr(97 + i % 26)}")
        for i in range(80)
    )
    hints = speech_hints(directory)
    assert len(hints) == MAX_HINTS
    assert hints[0] == "Person Number000 Zza"
    late = directory[75]
    assert late.spoken_name not in hints
    assert match_name(late.spoken_name or "", directory) == late


def test_hints_skip_empty_long_and_duplicate_names_and_drop_commas() -> None:
    directory = (
        Extension("1", spoken_name="Smith, John"),
        Extension("2", spoken_name="x" * (MAX_HINT_LENGTH + 1)),
        Extension("3", spoken_name="  "),
        Extension("4"),
        Extension("5", spoken_name="smith  john"),
        Extension("6", spoken_name="y" * MAX_HINT_LENGTH),
    )
    assert speech_hints(directory) == ("Smith John", "y" * MAX_HINT_LENGTH)
