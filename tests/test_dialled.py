"""Dialled numbers as platforms send them, reduced to the stored digits."""

from __future__ import annotations

import pytest

from autoattendant.runtime.dialled import normalise_dialled


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("15557770000", "", "15557770000"),
        ("+1 (555) 777-0000", "", "15557770000"),
        ("tel:+1-555-777-0000", "", "15557770000"),
        ("sip:+15557770000@sip.example.com;user=phone", "", "15557770000"),
        ("sips:15557770000@10.0.0.1:5061", "", "15557770000"),
        ("5557770000", "", "5557770000"),  # no region: digits as they are
        ("5557770000", "US", "15557770000"),
        ("(555) 777-0000", "us", "15557770000"),
        ("15557770000", "US", "15557770000"),
        ("020 7123 4567", "GB", "442071234567"),
        ("0044 20 7123 4567", "GB", "442071234567"),
        ("+44 (0)20 7123 4567", "", "442071234567"),
        ("+39 06 1234 5678", "", "390612345678"),  # Italy keeps its leading zero
        ("442071234567", "US", "442071234567"),  # not a US number: taken as digits
        ("15550101", "US", "15550101"),  # a short internal number stays as it is
        ("anonymous", "US", ""),
        ("", "US", ""),
        (None, "", ""),
        ("+", "", ""),
        ("١٢٣", "", ""),  # non-ASCII digits are not a number
    ],
)
def test_normalise_dialled(raw, region, expected):
    assert normalise_dialled(raw, region) == expected
