"""Dialled numbers as the platforms send them, reduced to the digits a phone number is stored as.

Restcomm's ``To`` is the user part of the SIP To header: E.164 with or without ``+``, or a
national form (``(555) 777-0000``, ``020 7123 4567``), whatever the carrier delivered. Other
platforms send ``tel:+…`` or ``sip:+…@host`` URIs. Numbers are stored as digits with the country
code (``15557770000``), so before a lookup:

1. a ``tel:`` / ``sip:`` / ``sips:`` URI is reduced to its user part (parameters dropped);
2. a number with ``+``, or any number when ``DEFAULT_PHONE_REGION`` is set, is parsed by
   ``phonenumbers`` (in that region) and, when it has a possible length for its country, written
   as E.164 digits — national prefixes, ``00`` international prefixes and ``(0)`` trunk digits
   are handled the way the numbering plan says;
3. anything else is its digits (spaces, dashes, dots and brackets dropped), so short codes and
   numbers ``phonenumbers`` cannot place still match what was stored; ``""`` when it is not a
   phone number at all (which no number matches).

Results are remembered per process (a deployment serves a bounded set of numbers), so the
webhook pays for parsing once per distinct ``To``.
"""

from __future__ import annotations

import functools
import re

import phonenumbers

from .config import hot

__all__ = ["dialled_digits", "normalise_dialled"]

_NOISE = re.compile(r"[\s\-+().]")
_URI = re.compile(r"^(?:tel|sips?):", re.IGNORECASE)


def _user_part(raw: str) -> str:
    """``sip:+1555…@host;user=phone`` → ``+1555…``; ``tel:+1-555…;ext=1`` → ``+1-555…``."""
    rest = _URI.sub("", raw, count=1)
    return rest.split("@", 1)[0].split(";", 1)[0]


@functools.lru_cache(maxsize=4096)
def normalise_dialled(raw: str | None, region: str = "") -> str:
    """``raw`` as stored digits (country code first, no ``+``), or ``""`` (see the module)."""
    text = (raw or "").strip()
    if not text:
        return ""
    if _URI.match(text):
        text = _user_part(text).strip()
    international = text.startswith(("+", "00"))
    if international or region:
        try:
            parsed = phonenumbers.parse(text, region.upper() or None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None and (
            phonenumbers.is_possible_number_with_reason(parsed)
            == phonenumbers.ValidationResult.IS_POSSIBLE
        ):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)[1:]
    digits = _NOISE.sub("", text)
    return digits if digits.isascii() and digits.isdigit() else ""


def dialled_digits(raw: str | None) -> str:
    """:func:`normalise_dialled` in this deployment's ``DEFAULT_PHONE_REGION``."""
    return normalise_dialled(raw, hot().phone_region)
