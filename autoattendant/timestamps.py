"""Timestamps, written and read the one way the whole project does.

Out: ``YYYY-MM-DDTHH:MM:SS+0000``, always UTC — the API's responses, the export document, the
call-flow endpoint's ``asOf`` (DESIGN §3). In: an ISO-8601 date or date-time, as people and
scripts type them — the API's ``startTime`` / ``endTime`` filters, usage periods,
``simulate_call --at``.

Plain Python, no Django: settings, services, the API and commands can all import it.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["TIMESTAMP_FORMAT", "format_timestamp", "parse_instant"]

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S+0000"


def format_timestamp(value: dt.datetime | None) -> str | None:
    """``value`` in UTC as ``YYYY-MM-DDTHH:MM:SS+0000``; ``None`` stays ``None``."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT)


def parse_instant(value: str) -> dt.datetime:
    """ISO-8601 date or date-time → aware UTC datetime; ``ValueError`` for anything else.

    A date alone means midnight UTC of that day (the spec's rule, for both bounds). A naive
    date-time is UTC; an offset is honoured (a ``+`` decoded from a query string as a space is
    put back).
    """
    value = value.strip()
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)
        parsed = dt.datetime.fromisoformat(value.replace(" ", "+") if "T" in value else value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO-8601 date or date-time") from None
    if parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)
