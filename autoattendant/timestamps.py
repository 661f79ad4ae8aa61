"""Timestamps, written and read the one way the whole project does.

Out: ``YYYY-MM-DDTHH:MM:SS+0000``, always UTC — the API's responses, the export document, the
call-flow endpoint's ``asOf`` (DESIGN §3). In: an ISO-8601 date or date-time, as people and
scripts type them — the API's ``startTime`` / ``endTime`` filters, usage periods,
``simulate_call --at`` — from ``FIRST_DAY`` to ``LAST_DAY`` (UTC).

Plain Python, no Django: settings, services, the API and commands can all import it.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "TIMESTAMP_FORMAT",
    "TIMESTAMP_PATTERN",
    "DateOutOfRange",
    "check_day",
    "format_timestamp",
    "parse_instant",
]

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S+0000"
#: What ``TIMESTAMP_FORMAT`` writes, as a regular expression (the OpenAPI schema's ``pattern``).
#: Not RFC 3339's ``date-time``: the offset ``+0000`` has no colon.
TIMESTAMP_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+0000$"

#: The days an instant read from outside may fall on (UTC). Any real date fits; what lies beyond
#: is refused because Python's dates end at years 1 and 9999: a day added to a period's end, a
#: time zone's offset, a week or a year of schedule ahead would overflow there (a 500, not an
#: answer). Centuries of headroom either side keep every such step safe.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


def format_timestamp(value: dt.datetime | None) -> str | None:
    """``value`` in UTC as ``YYYY-MM-DDTHH:MM:SS+0000``; ``None`` stays ``None``."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT)


class DateOutOfRange(ValueError):
    """A date or an instant read from outside that falls before ``FIRST_DAY`` or after
    ``LAST_DAY`` (UTC); the message quotes what was sent and says the range."""

    def __init__(self, raw: str):
        super().__init__(
            f"{raw!r} is out of range: dates run from {FIRST_DAY.isoformat()} to "
            f"{LAST_DAY.isoformat()} (UTC)"
        )


def check_day(day: dt.date, raw: str) -> dt.date:
    """``day`` itself when it lies in ``FIRST_DAY`` .. ``LAST_DAY``; else ``DateOutOfRange``
    quoting ``raw``, what was sent."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateOutOfRange(raw)
    return day


def parse_instant(value: str) -> dt.datetime:
    """ISO-8601 date or date-time → aware UTC datetime; ``ValueError`` for anything else
    (``DateOutOfRange`` for an instant outside ``FIRST_DAY`` .. ``LAST_DAY``, UTC).

    A date alone means midnight UTC of that day (the spec's rule, for both bounds). A naive
    date-time is UTC; an offset is honoured (a ``+`` decoded from a query string as a space is
    put back).
    """
    value = value.strip()
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            parsed = dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)
        else:
            parsed = dt.datetime.fromisoformat(value.replace(" ", "+") if "T" in value else value)
            if parsed.utcoffset() is None:
                parsed = parsed.replace(tzinfo=dt.UTC)
            parsed = parsed.astimezone(dt.UTC)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO-8601 date or date-time") from None
    except OverflowError:  # an offset taking 0001-01-01 or 9999-12-31 past Python's range
        raise DateOutOfRange(value) from None
    check_day(parsed.date(), value)
    return parsed
