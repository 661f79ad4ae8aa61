"""Shared builders for the call-flow tests: a readable deterministic URL builder, a demo system."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from autoattendant.callflow.model import (
    Action,
    Announcement,
    DateRangeBlock,
    Extension,
    Menu,
    System,
    TimeEntry,
    WeeklyBlock,
)
from autoattendant.callflow.state import CallState, Mode

BASE = "https://aa.test"


def url_for(state: CallState) -> str:
    """A deterministic, unsigned, readable URL for golden tests (no ``&`` to escape)."""
    url = (
        f"{BASE}/{state.mode}/{state.menu_sid}"
        f"/t{state.timeouts}i{state.invalid_inputs}x{state.invalid_extensions}/s{state.step}"
    )
    if state.prompt_sid:
        url += f"/prompt:{state.prompt_sid}"
    if state.path:
        url += "/path:" + "+".join(state.path)
    return url


def U(
    menu: str,
    mode: str = "menu",
    *,
    t: int = 0,
    i: int = 0,
    x: int = 0,
    s: int = 1,
    prompt: str = "",
    path: tuple[str, ...] = (),
) -> str:
    """The URL :func:`url_for` makes for that state (to write expected XML by hand)."""
    return url_for(
        CallState(
            system_sid="AA1",
            organization="EN1",
            menu_sid=menu,
            path=path,
            mode=Mode(mode),
            prompt_sid=prompt,
            timeouts=t,
            invalid_inputs=i,
            invalid_extensions=x,
            step=s,
        )
    )


def canon(xml: str) -> str:
    """Canonical XML (C14N 2.0) so equal documents compare equal as strings."""
    return ET.canonicalize(xml)


def assert_xml(actual: str, expected: str) -> None:
    assert ET.fromstring(actual).tag == "Response"
    assert canon(actual) == canon(expected)


def state(menu: str = "MN_MAIN", mode: str = "menu", **fields: object) -> CallState:
    """A call state of the demo system."""
    return CallState(system_sid="AA1", organization="EN1", menu_sid=menu, mode=Mode(mode), **fields)  # type: ignore[arg-type]


ALL_WEEK = WeeklyBlock("MN_MAIN", tuple(TimeEntry("00:00", "24:00", day) for day in range(1, 8)))


def demo_system(**overrides: object) -> System:
    """Acme's attendant: every action type on a key of the main menu, two sub-menus, a directory.

    Keys of MN_MAIN: 1 transfer, 2 dial by extension (default prompt), 3 dial by name, 4 go to
    MN_SUB, 5 announcement+hangup, 6 announcement+return, 7 replay, 8 return to previous,
    9 hang up, * dial by extension with a prompt announcement, 0 go to a menu that is gone.
    """
    announcements = {
        "AN_WELCOME": Announcement(
            "AN_WELCOME", "say", "Welcome to Acme. Press 1 for sales.", "en", "woman"
        ),
        "AN_FILE": Announcement("AN_FILE", "play", file_url=f"{BASE}/files/AN_FILE.wav"),
        "AN_BYE": Announcement("AN_BYE", "say", "Goodbye from Acme.", "en-gb", "man"),
        "AN_RING": Announcement("AN_RING", "play", file_url=f"{BASE}/files/ring.wav"),
        "AN_EXT": Announcement("AN_EXT", "say", "Enter the extension, then hash.", "en", "woman"),
        "AN_NOFILE": Announcement("AN_NOFILE", "play"),
    }
    menus = {
        "MN_MAIN": Menu(
            "MN_MAIN",
            "Main",
            announcement_sid="AN_WELCOME",
            ringback_sid="AN_RING",
            keys={
                "1": Action("TRANSFER_TO_PHONE", "15551230000"),
                "2": Action("DIAL_BY_EXTENSION"),
                "3": Action("DIAL_BY_NAME"),
                "4": Action("GO_TO_MENU", "MN_SUB"),
                "5": Action("ANNOUNCEMENT_HANGUP", "AN_BYE"),
                "6": Action("ANNOUNCEMENT_RETURN", "AN_FILE"),
                "7": Action("REPLAY_MENU"),
                "8": Action("RETURN_TO_PREVIOUS_MENU"),
                "9": Action("HANGUP"),
                "*": Action("DIAL_BY_EXTENSION", "AN_EXT"),
                "0": Action("GO_TO_MENU", "MN_GONE"),
            },
        ),
        "MN_SUB": Menu(
            "MN_SUB",
            "Sales",
            timeout_seconds=7,
            keys={
                "4": Action("GO_TO_MENU", "MN_SUB2"),
                "8": Action("RETURN_TO_PREVIOUS_MENU"),
                "1": Action("TRANSFER_TO_PHONE", "15559990000"),
            },
        ),
        "MN_SUB2": Menu(
            "MN_SUB2",
            "Sales EU",
            announcement_sid="AN_FILE",
            keys={"8": Action("RETURN_TO_PREVIOUS_MENU"), "7": Action("GO_TO_MENU", "MN_MAIN")},
        ),
    }
    fields: dict[str, object] = {
        "sid": "AA1",
        "enterprise_sid": "EN1",
        "name": "Acme",
        "timezone_id": "UTC",
        "menus": menus,
        "announcements": announcements,
        "extensions": (
            Extension("15550101", "101", "John Smith"),
            Extension("15550102", "102", "Maria Garcia"),
            Extension("15550103", None, "Wei Chen"),
            Extension("15550104", "104", None),
        ),
        "weekly": (ALL_WEEK,),
    }
    fields.update(overrides)
    return System(**fields)  # type: ignore[arg-type]


__all__ = [
    "ALL_WEEK",
    "BASE",
    "DateRangeBlock",
    "U",
    "assert_xml",
    "canon",
    "date",
    "demo_system",
    "state",
    "url_for",
]
