"""Property tests: every instant resolves; every call ends; every answer is valid RCML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import available_timezones

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autoattendant.callflow import engine
from autoattendant.callflow.model import (
    Action,
    ActionType,
    Announcement,
    DateRangeBlock,
    Extension,
    Mailbox,
    Menu,
    System,
    TimeEntry,
    WeeklyBlock,
)
from autoattendant.callflow.schedule import next_change, resolve
from autoattendant.callflow.state import CallState, decode, encode_query

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ZONES = sorted(available_timezones())
KEY = b"property-key"
MENUS = ("M0", "M1", "M2")

times = st.builds(
    lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30, 59])
) | st.just("24:00")
starts = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 30]))
instants = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(UTC)
)


@st.composite
def schedules(draw: st.DrawFn) -> System:
    weekly = tuple(
        WeeklyBlock(
            menu,
            tuple(
                TimeEntry(draw(starts), draw(times), draw(st.integers(1, 7)))
                for _ in range(draw(st.integers(0, 3)))
            ),
        )
        for menu in MENUS
    )
    ranges = []
    for _ in range(draw(st.integers(0, 2))):
        first = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 1)))
        entries = tuple(
            TimeEntry(draw(starts), draw(times)) for _ in range(draw(st.integers(0, 2)))
        )
        menu = draw(st.sampled_from((*MENUS, None)))
        ranges.append(
            DateRangeBlock(first, first + timedelta(days=draw(st.integers(0, 3))), menu, entries)
        )
    return System(
        sid="AA1",
        enterprise_sid="EN1",
        timezone_id=draw(st.sampled_from(ZONES)),
        default_menu_sid=draw(st.sampled_from((None, "M0"))),
        weekly=weekly,
        date_ranges=tuple(ranges),
    )


@SETTINGS
@given(system=schedules(), instant=instants)
def test_any_instant_in_any_zone_resolves_to_exactly_one_outcome(
    system: System, instant: datetime
) -> None:
    result = resolve(system, instant)
    assert result.menu_sid in (*MENUS, None)
    assert result.source in ("date_range", "weekly", "default", "none")
    assert (result.menu_sid is None) == (result.source == "none")
    if result.source == "default":
        assert result.menu_sid == system.default_menu_sid
    assert result.local.utcoffset() is not None
    assert result.local.astimezone(UTC) == instant
    assert isinstance(result.reason, str)
    assert resolve(system, instant) == result  # deterministic


@SETTINGS
@given(system=schedules(), instant=instants)
def test_next_change_is_a_real_change_with_nothing_before_it(
    system: System, instant: datetime
) -> None:
    horizon = timedelta(days=2)
    change = next_change(system, instant, horizon=horizon)
    current = resolve(system, instant).menu_sid
    if change is None:
        return
    assert instant < change <= instant + horizon
    assert resolve(system, change).menu_sid != current
    just_before = max(instant, change - timedelta(microseconds=1))
    assert resolve(system, just_before).menu_sid == current


# --------------------------------------------------------------------------- whole calls

ANNOUNCEMENTS = {
    "AN0": Announcement("AN0", "say", "Hello", "en", "woman"),
    "AN1": Announcement("AN1", "play", file_url="https://aa.test/f.wav"),
    "AN2": Announcement("AN2", "play"),
}
EXTENSIONS = (
    Extension("15550101", "101", "John Smith"),
    Extension("15550102", "102", "Maria Garcia"),
    Extension("15550103", None, "Maria Garcia"),
)
ACTION_DATA = {
    ActionType.ANNOUNCEMENT_HANGUP: ["AN0", "AN1", "AN2", "AN_GONE", ""],
    ActionType.ANNOUNCEMENT_RETURN: ["AN0", "AN1", "AN_GONE"],
    ActionType.DIAL_BY_EXTENSION: ["", "AN0", "AN_GONE"],
    ActionType.DIAL_BY_NAME: ["", "AN1"],
    ActionType.GO_TO_MENU: [*MENUS, "M_GONE", ""],
    ActionType.HANGUP: [""],
    ActionType.REPLAY_MENU: [""],
    ActionType.RETURN_TO_PREVIOUS_MENU: [""],
    ActionType.TRANSFER_TO_PHONE: ["15551234567", ""],
    ActionType.VOICEMAIL: ["MB0", "MB1", "MB_GONE", ""],
}
MAILBOXES = {
    "MB0": Mailbox("MB0", greeting_sid="AN0"),
    "MB1": Mailbox("MB1", greeting_sid="AN_GONE"),
}

actions = st.sampled_from(list(ActionType)).flatmap(
    lambda kind: st.sampled_from(ACTION_DATA[kind]).map(lambda data: Action(kind, data or None))
)
maybe_actions = st.none() | actions | st.just(Action(""))
counts = st.none() | st.integers(0, 4)


@st.composite
def call_systems(draw: st.DrawFn) -> System:
    menus = {
        sid: Menu(
            sid,
            announcement_sid=draw(st.sampled_from((None, "AN0", "AN1", "AN2", "AN_GONE"))),
            ringback_sid=draw(st.sampled_from((None, "AN1", "AN_GONE"))),
            timeout_seconds=draw(st.none() | st.integers(0, 10)),
            timeout_max=draw(counts),
            timeout_action=draw(st.none() | actions),
            keys=draw(st.dictionaries(st.sampled_from(list("0123456789*")), actions, max_size=6)),
        )
        for sid in MENUS
    }
    return System(
        sid="AA1",
        enterprise_sid="EN1",
        default_menu_sid="M0",
        timeout_seconds=draw(st.none() | st.integers(0, 10)),
        timeout_max=draw(counts),
        timeout_action=draw(maybe_actions),
        invalid_input_max=draw(counts),
        invalid_input_action=draw(maybe_actions),
        invalid_extension_max=draw(counts),
        invalid_extension_action=draw(maybe_actions),
        dial_failure_action=draw(maybe_actions),
        invalid_input_announcement_sid=draw(st.sampled_from((None, "AN0", "AN_GONE"))),
        timeout_announcement_sid=draw(st.sampled_from((None, "AN1", "AN2"))),
        mailboxes=MAILBOXES,
        menus=menus,
        announcements=ANNOUNCEMENTS,
        extensions=EXTENSIONS,
    )


caller_inputs = st.lists(
    st.one_of(
        st.tuples(
            st.just("digits"),
            st.sampled_from(["", "#", "1", "2", "4", "9", "*", "0", "101", "999", "12"]),
        ),
        st.tuples(st.just("speech"), st.sampled_from(["", "john smith", "maria garcia", "xyzzy"])),
        st.tuples(
            st.just("status"),
            st.sampled_from(["", "busy", "no-answer", "failed", "canceled", "completed"]),
        ),
        st.tuples(st.just("recording"), st.sampled_from(["", "https://media.test/RE1.wav"])),
    ),
    max_size=60,
)

MAX_STEPS = 40


def url_builder(state: CallState) -> str:
    return "https://aa.test/internal/rcml?" + encode_query(state, KEY)


def follow(url: str) -> CallState:
    """What the HTTP layer does with a callback URL: verify and decode its signed state."""
    return decode(dict(parse_qsl(urlsplit(url).query, keep_blank_values=True)), KEY)


def check_document(result: engine.CallResult) -> None:
    root = ET.fromstring(result.rcml)
    assert root.tag == "Response"
    last = list(root)[-1]
    if result.ended:
        assert last.tag == "Hangup"
        return
    assert last.tag in ("Redirect", "Dial")
    if any(e[0] == "record" for e in result.events):  # the Record action and the silent case
        assert list(root)[-2].tag == "Record"
        assert follow(list(root)[-2].get("action", "")) == result.state
    assert result.state is not None
    urls = [e[2] for e in result.events if e[0] == "gather"] + [
        e[1] for e in result.events if e[0] == "redirect"
    ]
    if last.tag == "Dial":
        urls.append(last.get("action", ""))
    for url in urls:
        assert follow(url) == result.state


@SETTINGS
@given(system=call_systems(), inputs=caller_inputs)
def test_any_input_sequence_ends_the_call_and_every_answer_is_rcml(
    system: System, inputs: list
) -> None:
    result = engine.start(system, datetime(2025, 6, 2, 12, 0, tzinfo=UTC), url_builder=url_builder)
    check_document(result)
    requests = 1
    feed = iter(inputs)
    while not result.ended:
        kind, value = next(feed, ("digits", ""))  # once the caller is done: silence
        assert result.state is not None
        state = follow(url_builder(result.state))
        result = engine.step(
            system,
            state,
            url_builder=url_builder,
            digits=value if kind == "digits" else None,
            speech=value if kind == "speech" else None,
            dial_status=value if kind == "status" else None,
            recording_url=value if kind == "recording" else None,
            max_steps=MAX_STEPS,
        )
        check_document(result)
        requests += 1
        assert requests <= MAX_STEPS + 1


@SETTINGS
@given(system=call_systems())
def test_silence_ends_the_call(system: System) -> None:
    """Silence alone ends every call, within the step cap even for menus bouncing on timeouts."""
    result = engine.start(system, datetime(2025, 6, 2, 12, 0, tzinfo=UTC), url_builder=url_builder)
    requests = 1
    while not result.ended:
        assert result.state is not None
        result = engine.step(system, result.state, url_builder=url_builder, max_steps=MAX_STEPS)
        requests += 1
        assert requests <= MAX_STEPS + 1
