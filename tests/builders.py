"""Rows built straight through the ORM, for tests that need a world without going through
other endpoints: AA systems, announcements, menus with keys, schedule blocks."""

from __future__ import annotations

import datetime as dt
import io
import struct
import wave
from collections.abc import Iterable

from autoattendant.choices import ScheduleType
from autoattendant.models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    Menu,
    MenuKey,
    PhoneNumber,
    ScheduleBlock,
    ScheduleEntry,
    User,
)


def make_system(
    enterprise: Enterprise, name: str = "Main line", *, created_by: User | None = None, **fields
) -> AutoAttendantSystem:
    return AutoAttendantSystem.objects.create(
        enterprise=enterprise, name=name, created_by=created_by, **fields
    )


def make_announcement(
    enterprise: Enterprise, name: str = "Welcome", *, created_by: User | None = None, **fields
) -> Announcement:
    fields.setdefault("type", "say")
    if fields["type"] == "say":
        fields.setdefault("body", f"This is {name}.")
        fields.setdefault("language", "en")
        fields.setdefault("voice", "woman")
    return Announcement.objects.create(
        enterprise=enterprise, name=name, created_by=created_by, **fields
    )


def make_menu(
    system: AutoAttendantSystem,
    name: str = "Office hours",
    *,
    keys: dict[str, tuple[str, str] | str] | None = None,
    created_by: User | None = None,
    **fields,
) -> Menu:
    """A menu of ``system``; ``keys`` maps a key to ``actionType`` or ``(actionType, data)``."""
    menu = Menu.objects.create(
        enterprise_id=system.enterprise_id,
        auto_attendant=system,
        name=name,
        created_by=created_by,
        **fields,
    )
    rows = []
    for key, action in (keys or {}).items():
        action_type, action_data = (action, "") if isinstance(action, str) else action
        rows.append(MenuKey(menu=menu, key=key, action_type=action_type, action_data=action_data))
    MenuKey.objects.bulk_create(rows)
    return menu


def make_weekly_block(
    menu: Menu, entries: Iterable[tuple[int, str, str]], position: int = 0
) -> ScheduleBlock:
    """A WEEKLY block of ``menu``'s system; entries as ``(day, "HH:MM", "HH:MM")``."""
    block = ScheduleBlock.objects.create(
        auto_attendant_id=menu.auto_attendant_id,
        schedule_type=ScheduleType.WEEKLY,
        menu=menu,
        position=position,
    )
    ScheduleEntry.objects.bulk_create(
        ScheduleEntry(block=block, day=day, start_time=start, end_time=end, position=i)
        for i, (day, start, end) in enumerate(entries)
    )
    return block


def make_date_range_block(
    menu: Menu,
    start: dt.date,
    end: dt.date,
    entries: Iterable[tuple[str, str]] = (),
    position: int = 0,
) -> ScheduleBlock:
    block = ScheduleBlock.objects.create(
        auto_attendant_id=menu.auto_attendant_id,
        schedule_type=ScheduleType.DATE_RANGE,
        menu=menu,
        start_date=start,
        end_date=end,
        position=position,
    )
    ScheduleEntry.objects.bulk_create(
        ScheduleEntry(block=block, start_time=s, end_time=e, position=i)
        for i, (s, e) in enumerate(entries)
    )
    return block


def real_wav(frames: int = 800) -> bytes:
    """8 kHz mono 16-bit PCM (what the media servers play), ``frames`` samples of a sawtooth."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(
            b"".join(struct.pack("<h", (i * 97) % 20000 - 10000) for i in range(frames))
        )
    return buffer.getvalue()


def make_extension(
    enterprise: Enterprise, number: str, extension: str | None, spoken_name: str | None = None
) -> PhoneNumber:
    """A live directory number of ``enterprise``."""
    return PhoneNumber.objects.create(
        enterprise=enterprise,
        number=number,
        is_extension=True,
        extension=extension,
        extension_spoken_name=spoken_name,
    )
