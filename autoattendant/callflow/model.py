"""Compiled snapshot of one Auto Attendant system, as the call-flow engine sees it.

The Django side builds a :class:`System` from the database in one go (a handful of queries) and may
cache it: every class here is a frozen dataclass holding only plain values (str, int, ``date``,
tuples and dicts), so a snapshot pickles cleanly and can be shared between requests. The engine
never mutates a snapshot and never reaches back to the database, which is what makes it pure and
fast enough for the platform's 6-second response budget.

The schedule mirrors the spec's JSON: a *block* per ``menuSid`` and ``scheduleType`` holding its
``entries`` (``{day, startTime, endTime}`` for WEEKLY, ``{startTime, endTime}`` for DATE_RANGE,
which also has ``startDate``/``endDate``).

Snapshots may be stale or inconsistent (an announcement deleted after the snapshot was cached, a
menu sid pointing nowhere): the engine degrades gracefully on dangling references, so building a
snapshot never has to check them. Malformed *values* (a time that is not ``HH:MM``) are rejected
here, when the snapshot is built, rather than in the middle of a call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

__all__ = [
    "Action",
    "ActionType",
    "Announcement",
    "DateRangeBlock",
    "Extension",
    "HolidayDate",
    "HolidayLayer",
    "Mailbox",
    "Menu",
    "Override",
    "Phrases",
    "System",
    "TimeEntry",
    "WeeklyBlock",
    "parse_hhmm",
]


class ActionType(StrEnum):
    """The spec's nine action types (its "Action Type table") and VOICEMAIL (DESIGN §15).

    A ``StrEnum``, so ``Action("HANGUP")`` and ``Action(ActionType.HANGUP)`` are the same thing:
    the Django side may pass the strings it stores.
    """

    ANNOUNCEMENT_HANGUP = "ANNOUNCEMENT_HANGUP"
    ANNOUNCEMENT_RETURN = "ANNOUNCEMENT_RETURN"
    DIAL_BY_EXTENSION = "DIAL_BY_EXTENSION"
    DIAL_BY_NAME = "DIAL_BY_NAME"
    GO_TO_MENU = "GO_TO_MENU"
    HANGUP = "HANGUP"
    REPLAY_MENU = "REPLAY_MENU"
    RETURN_TO_PREVIOUS_MENU = "RETURN_TO_PREVIOUS_MENU"
    TRANSFER_TO_PHONE = "TRANSFER_TO_PHONE"
    VOICEMAIL = "VOICEMAIL"


_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


def parse_hhmm(value: str) -> int:
    """Return minutes since midnight for ``HH:MM`` (``00:00``–``23:59``, or ``24:00`` = 1440).

    Raises ``ValueError`` for anything else, so a bad time is caught when the snapshot is built.
    """
    if not isinstance(value, str) or not _HHMM.match(value):
        raise ValueError(f"time must be HH:MM (00:00-24:00), got {value!r}")
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True, slots=True)
class Announcement:
    """An announcement the engine can voice.

    ``type`` is ``"say"`` (text-to-speech of ``body`` with ``voice`` and ``language``) or ``"play"``
    (the WAV at ``file_url``, an *absolute* URL the platform can fetch, or ``None`` when no file has
    been uploaded). An announcement with nothing to voice (play without a file, say without a body)
    is skipped by the engine rather than producing an empty verb.
    """

    sid: str
    type: str = "play"
    body: str = ""
    language: str = ""
    voice: str = ""
    file_url: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """A menu key's (or a timeout/invalid-input/invalid-extension) action.

    ``action_data`` is an announcement sid (ANNOUNCEMENT_*, optional for DIAL_BY_*), a menu sid
    (GO_TO_MENU), a phone number (TRANSFER_TO_PHONE), or ``None``.
    """

    action_type: str
    action_data: str | None = None


@dataclass(frozen=True, slots=True)
class Menu:
    """One menu: its announcement, ringback announcement, timeout settings and key map.

    ``keys`` maps a single key (``"0"``–``"9"``, ``"*"``) to its action. ``None`` settings fall back
    to the system's, then to the spec's defaults (5 seconds, 3 occurrences, HANGUP).
    """

    sid: str
    name: str = ""
    announcement_sid: str | None = None
    ringback_sid: str | None = None
    timeout_seconds: int | None = None
    timeout_max: int | None = None
    timeout_action: Action | None = None
    keys: dict[str, Action] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Mailbox:
    """A mailbox a VOICEMAIL action records into: its greeting announcement (``None``: the
    built-in "leave a message" phrase) and the longest message, in seconds."""

    sid: str
    name: str = ""
    greeting_sid: str | None = None
    max_length_seconds: int = 120


@dataclass(frozen=True, slots=True)
class Phrases:
    """Every sentence the engine speaks of its own, in the system's language.

    The defaults are the English originals; the Django side translates them once, when the flow
    is compiled (``runtime.phrases``), so no call does translation work. ``language`` is the
    system's language code, written as ``<Say language>`` in the dialect's form (left out for
    English, the platforms' default).
    """

    language: str = ""
    no_announcement: str = "There is no announcement assigned to this Menu."
    extension_prompt: str = "Please press the extension number"
    name_prompt: str = "Please say the name"
    line_unavailable: str = "Sorry, that line is not available."
    apology: str = "We are sorry, your call cannot be completed at this time. Goodbye."
    invalid_choice: str = "Sorry, that is not a valid choice."
    voicemail_greeting: str = "Please leave a message after the tone."
    voicemail_thanks: str = "Thank you, your message has been recorded. Goodbye."
    voicemail_nothing: str = "We did not receive a message. Goodbye."


@dataclass(frozen=True, slots=True)
class Extension:
    """A dialable extension of the system: full ``number``, short ``extension`` code, spoken name.

    Dial by extension matches the caller's digits against ``extension`` or ``number``; dial by name
    matches the caller's speech against ``spoken_name``. The ``<Dial>`` always uses ``number``.
    """

    number: str
    extension: str | None = None
    spoken_name: str | None = None


@dataclass(frozen=True, slots=True)
class TimeEntry:
    """A time frame of a schedule block: ``start <= local wall time < end``.

    ``end`` may be ``24:00`` (end of day). An entry whose end is not after its start
    (``22:00``–``06:00``, or ``00:00``–``00:00``) runs past midnight into the next day.
    ``day`` is the ISO weekday (1 = Monday … 7 = Sunday) for WEEKLY entries and ``None`` for
    DATE_RANGE entries. ``start_minute``/``end_minute`` are derived, for the resolver.
    """

    start: str
    end: str
    day: int | None = None
    start_minute: int = field(init=False, repr=False, compare=False)
    end_minute: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        start_minute = parse_hhmm(self.start)
        end_minute = parse_hhmm(self.end)
        if start_minute == 24 * 60:
            raise ValueError("startTime cannot be 24:00")
        if self.day is not None and not (isinstance(self.day, int) and 1 <= self.day <= 7):
            raise ValueError(f"day must be 1-7, got {self.day!r}")
        object.__setattr__(self, "start_minute", start_minute)
        object.__setattr__(self, "end_minute", end_minute)

    @property
    def overnight(self) -> bool:
        """True when the entry runs past midnight into the next day."""
        return self.end_minute <= self.start_minute


@dataclass(frozen=True, slots=True)
class WeeklyBlock:
    """A WEEKLY schedule block: the entries (each with a ``day``) when ``menu_sid`` plays."""

    menu_sid: str
    entries: tuple[TimeEntry, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(self.entries))
        for entry in self.entries:
            if entry.day is None:
                raise ValueError("WEEKLY entries need a day (1-7)")


@dataclass(frozen=True, slots=True)
class DateRangeBlock:
    """A DATE_RANGE (special days) block, ``start_date`` to ``end_date`` inclusive (local dates).

    On every covered date WEEKLY does not apply at all. Without entries the block covers those
    whole days; with entries only those times (the rest of the day falls to the default menu, else
    no match). ``menu_sid`` ``None`` marks a "closed" block: it still suppresses WEEKLY, but the
    times it covers resolve like uncovered ones (default menu, else no match).
    """

    start_date: date
    end_date: date
    menu_sid: str | None
    entries: tuple[TimeEntry, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(self.entries))

    def covers(self, day: date) -> bool:
        """True when the local date ``day`` lies within the block's dates."""
        return self.start_date <= day <= self.end_date


@dataclass(frozen=True, slots=True)
class Override:
    """An override of the schedule (DESIGN §14): ``menu_sid`` answers every call until ``until``
    (an aware UTC instant; ``None`` = until cleared). Expiry needs no job: the resolver compares
    the call's instant with ``until``. ``reason`` and ``set_by`` are for the console's words."""

    menu_sid: str
    until: datetime | None = None
    reason: str = ""
    set_by: str = ""

    def active(self, instant: datetime) -> bool:
        """True at ``instant`` (aware) when the override has not expired."""
        return self.until is None or instant < self.until


@dataclass(frozen=True, slots=True)
class HolidayDate:
    """One resolved date of a holiday calendar: its ``name``, and the ``entries`` (times, no
    ``day``) when it covers part of the day only; none = the whole day."""

    day: date
    name: str
    entries: tuple[TimeEntry, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(self.entries))


@dataclass(frozen=True, slots=True)
class HolidayLayer:
    """A holiday calendar linked to a system with the menu its dates play, its dates resolved
    for the years ``first_year``..``last_year`` (the compiler's window: rules and the ``holidays``
    package are evaluated when the flow is compiled, never during a call)."""

    calendar_sid: str
    name: str
    menu_sid: str
    dates: dict[date, tuple[HolidayDate, ...]] = field(default_factory=dict)
    first_year: int = 0
    last_year: int = 0


@dataclass(frozen=True, slots=True)
class System:
    """One Auto Attendant system with everything a call needs, compiled in one go.

    ``timezone_id`` is an IANA zone (``""``/unknown is treated as UTC rather than failing a call).
    ``language`` is the system's language code (``en``, ``es`` …): speech recognition listens in
    its ``xx-YY`` form.
    ``dial_failure_action`` runs after every unanswered transfer (``None``: apologise, back to the
    menu); ``invalid_input_announcement_sid`` plays after a wrong key (``None``: the built-in
    "not a valid choice"), ``timeout_announcement_sid`` after silence (``None``: nothing).
    ``phrases`` are the built-in sentences, already in the system's language.
    ``extensions`` keeps the order the directory should be presented in (the first 50 spoken names
    become speech hints). ``override`` and ``holidays`` (in the system's list order) are the
    business-hours layers of DESIGN §14. ``weekly`` and ``date_ranges`` are tried in order;
    overlaps are rejected when saved, so order only matters for inconsistent data and keeps the
    result deterministic.
    """

    sid: str
    enterprise_sid: str
    name: str = ""
    timezone_id: str = "UTC"
    language: str = "en"
    default_menu_sid: str | None = None
    timeout_seconds: int | None = None
    timeout_max: int | None = None
    timeout_action: Action | None = None
    invalid_input_max: int | None = None
    invalid_input_action: Action | None = None
    invalid_extension_max: int | None = None
    invalid_extension_action: Action | None = None
    dial_failure_action: Action | None = None
    invalid_input_announcement_sid: str | None = None
    timeout_announcement_sid: str | None = None
    phrases: Phrases = field(default_factory=Phrases)
    mailboxes: dict[str, Mailbox] = field(default_factory=dict)
    menus: dict[str, Menu] = field(default_factory=dict)
    announcements: dict[str, Announcement] = field(default_factory=dict)
    extensions: tuple[Extension, ...] = ()
    weekly: tuple[WeeklyBlock, ...] = ()
    date_ranges: tuple[DateRangeBlock, ...] = ()
    holidays: tuple[HolidayLayer, ...] = ()
    override: Override | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "extensions", tuple(self.extensions))
        object.__setattr__(self, "weekly", tuple(self.weekly))
        object.__setattr__(self, "date_ranges", tuple(self.date_ranges))
        object.__setattr__(self, "holidays", tuple(self.holidays))
