"""The text colour drawn on a menu's colour, and the menus' marks: pure functions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from autoattendant.console.week import ink_on, menu_mark


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@given(st.integers(0, 0xFFFFFF))
def test_the_ink_on_any_colour_reads_at_wcag_aa_contrast(value):
    colour = f"#{value:06x}"
    ink = ink_on(colour)
    assert ink in ("#000000", "#ffffff")
    light, dark = sorted((luminance(colour), luminance(ink)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5


def test_short_colours_are_read_as_their_long_form():
    assert ink_on("#fff") == ink_on("#ffffff") == "#000000"
    assert ink_on("#123") == ink_on("#112233") == "#ffffff"


def test_marks_are_letters_then_letters_with_a_round():
    assert [menu_mark(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A", "B", "Z", "A2", "B2", "Z2", "A3",
    ]  # fmt: skip
