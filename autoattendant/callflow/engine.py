"""The call-flow engine: a compiled :class:`~.model.System` and a call state in, RCML out.

Two entry points, both pure (no I/O, no clock, no Django):

- :func:`start` answers the platform's first request for a call: resolve the schedule at the given
  instant and play that menu's prompt, or apologise and hang up (``error_code`` 498) when no menu
  applies.
- :func:`step` answers every continuation, given the verified :class:`~.state.CallState` and the
  platform's ``Digits`` / ``SpeechResult`` / ``DialCallStatus``.

Each returns a :class:`CallResult`: the RCML string, the same document as a flat event list (for
the simulator and ``simulate_call``), notes explaining the decisions, and the state the platform
will post back next (``None`` once the call ends).

Guarantees:

- Every prompt is a ``<Gather>`` followed by a ``<Redirect>`` to the *same* URL. A platform that
  honours ``actionOnEmptyResult`` posts empty input to the Gather's action; Restcomm instead falls
  through to the Redirect. Either way exactly one request arrives, with the state of the prompt
  and no input, so silence is counted exactly once.
- Every document ends with ``<Hangup/>`` (call over), a ``<Redirect>`` (after a Gather) or a
  ``<Dial action=…>``, so the platform always knows what to do next.
- Every call ends: each menu visit allows a bounded number of timeouts and invalid inputs, each
  prompt a bounded number of invalid extensions, and the ``step`` counter in the state ends any
  call after ``max_steps`` requests whatever the configuration (timeout actions bouncing between
  menus, REPLAY_MENU as a timeout action).
- Dangling references (a deleted announcement or menu, an empty transfer number) never raise:
  a missing announcement is skipped (a missing menu announcement becomes the "no announcement"
  sentence, a missing prompt the default prompt), a missing menu or number apologises and hangs up.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from . import rcml
from .dialect import RESTCOMM, Dialect, asr_language
from .directory import (
    DEFAULT_NAME_THRESHOLD,
    directory_digits,
    match_extension,
    match_name,
    speech_hints,
)
from .model import Action, ActionType, Menu, Phrases, System
from .rcml import Event
from .schedule import Resolution, resolve
from .state import CallState, Mode

__all__ = [
    "ANSWERED_DIAL_STATUSES",
    "DEFAULT_MAX_OCCURRENCES",
    "DEFAULT_TIMEOUT_SECONDS",
    "MAX_STEPS",
    "NO_SCHEDULE_ERROR",
    "TEXT_APOLOGY",
    "TEXT_EXTENSION_PROMPT",
    "TEXT_INVALID_CHOICE",
    "TEXT_LINE_UNAVAILABLE",
    "TEXT_NAME_PROMPT",
    "TEXT_NO_ANNOUNCEMENT",
    "CallResult",
    "Opening",
    "Outcome",
    "StepAction",
    "UrlBuilder",
    "apology_rcml",
    "hangup_rcml",
    "open_menu",
    "start",
    "step",
]

DEFAULT_TIMEOUT_SECONDS = 5
DEFAULT_MAX_OCCURRENCES = 3
#: Engine requests allowed per call before it is ended regardless of configuration.
MAX_STEPS = 100
#: The spec's "No Schedule entry found for Auto Attendant system".
NO_SCHEDULE_ERROR = 498

_ENGLISH = Phrases()
TEXT_NO_ANNOUNCEMENT = _ENGLISH.no_announcement
TEXT_EXTENSION_PROMPT = _ENGLISH.extension_prompt
TEXT_NAME_PROMPT = _ENGLISH.name_prompt
TEXT_LINE_UNAVAILABLE = _ENGLISH.line_unavailable
TEXT_APOLOGY = _ENGLISH.apology
TEXT_INVALID_CHOICE = _ENGLISH.invalid_choice

#: ``DialCallStatus`` values of a transfer that was answered: the call is over. Every other value
#: the platforms send (``busy``, ``no-answer``, ``failed``, ``canceled``, Restcomm's
#: ``not-found``, ``queued``, ``ringing``, ``wait-for-answer`` and the literal ``null``) — or none
#: at all — is an unanswered transfer, and the caller goes back to the menu.
ANSWERED_DIAL_STATUSES = frozenset({"completed", "answered", "in-progress"})


class Outcome(StrEnum):
    """How a call stands after an answer (DESIGN §13). ``CALLER_HUNG_UP`` is never the engine's:
    the call history sets it on a call left waiting for input (the caller went away)."""

    TRANSFERRED = "TRANSFERRED"
    VOICEMAIL = "VOICEMAIL"
    HUNG_UP_BY_FLOW = "HUNG_UP_BY_FLOW"
    CALLER_HUNG_UP = "CALLER_HUNG_UP"
    ERROR = "ERROR"
    IN_PROGRESS = "IN_PROGRESS"


class StepAction(StrEnum):
    """What an answer did when no action type ran: the opening prompt, a menu replayed after an
    unanswered transfer, silence or a wrong key below their limits."""

    PROMPT = "PROMPT"
    REPLAY = "REPLAY"
    TIMEOUT = "TIMEOUT"
    INVALID = "INVALID"


#: Builds the absolute URL (with the signed state in its query) the platform calls back.
UrlBuilder = Callable[[CallState], str]


@dataclass(frozen=True, slots=True)
class CallResult:
    """One engine answer.

    ``rcml`` is the document to send (``Content-Type: application/xml``); ``events`` the same
    document flattened (see :func:`.rcml.describe`); ``state`` the state carried by the URLs in it
    (``None`` when the call ends with ``<Hangup/>``); ``menu_sid`` the menu the caller is in, or was
    in when the call ended; ``notes`` human-readable reasons ("timeout 2 of 3", …);
    ``error_code`` is 498 when :func:`start` found no menu for the instant; ``resolution`` is the
    schedule resolution made by :func:`start`.

    ``outcome`` is where the call stands after this answer (:class:`Outcome`: ``IN_PROGRESS``
    while it waits for the caller, ``TRANSFERRED`` once dialled …), ``action`` what this answer
    did (an action type, or a :class:`StepAction`), ``transferred_to`` the number dialled, if
    any: the call history records them as the call's step.
    """

    rcml: str
    events: tuple[Event, ...]
    state: CallState | None
    menu_sid: str | None
    notes: tuple[str, ...] = ()
    error_code: int | None = None
    resolution: Resolution | None = None
    outcome: str = Outcome.IN_PROGRESS
    action: str = ""
    transferred_to: str = ""

    @property
    def ended(self) -> bool:
        """True when the document ends the call (``<Hangup/>``)."""
        return self.state is None


def apology_rcml(
    text: str = TEXT_APOLOGY, *, language: str = "", dialect: Dialect = RESTCOMM
) -> str:
    """``<Response><Say>…sorry…</Say><Hangup/></Response>``: the HTTP layer's never-a-dead-line
    answer when anything fails while serving the platform (``language``: the system's, when
    known)."""
    root = rcml.response()
    _say_phrase(root, text, language, dialect)
    rcml.hangup(root)
    return rcml.serialize(root)


def _say_phrase(parent: ET.Element, text: str, language: str, dialect: Dialect) -> None:
    """A built-in phrase: ``<Say>`` with the system's language in the dialect's form (left out
    for English, every platform's default, so English documents are unchanged)."""
    code = (language or "").strip()
    if not code or code.lower() == "en":
        rcml.say(parent, text)
        return
    _, say_language = dialect.say_attributes("", code)
    rcml.say(parent, text, language=say_language)


def hangup_rcml() -> str:
    """``<Response><Hangup/></Response>``: the body of a 403 for a forged or missing signature."""
    root = rcml.response()
    rcml.hangup(root)
    return rcml.serialize(root)


def _first_set(*values: int | None, default: int) -> int:
    for value in values:
        if value is not None:
            return value
    return default


class _Turn:
    """Builds one response. Exactly one terminal method (prompt, dial, hang up) runs per turn."""

    def __init__(
        self,
        system: System,
        url_builder: UrlBuilder,
        step_number: int,
        dialect: Dialect = RESTCOMM,
    ) -> None:
        self.system = system
        self.url_builder = url_builder
        self.dialect = dialect
        self.step_number = step_number
        self.phrases = system.phrases
        self.root = rcml.response()
        self.notes: list[str] = []
        self.next_state: CallState | None = None
        self.menu_sid: str | None = None
        self.done = False
        self.outcome: str = Outcome.IN_PROGRESS
        self.action = ""
        self.transferred_to = ""

    # ------------------------------------------------------------------ results
    def result(
        self, error_code: int | None = None, resolution: Resolution | None = None
    ) -> CallResult:
        assert self.done, "a turn must end with a prompt, a dial or a hang-up"
        return CallResult(
            rcml=rcml.serialize(self.root),
            events=rcml.describe(self.root),
            state=self.next_state,
            menu_sid=self.menu_sid,
            notes=tuple(self.notes),
            error_code=error_code,
            resolution=resolution,
            outcome=self.outcome,
            action=self.action or StepAction.PROMPT,
            transferred_to=self.transferred_to,
        )

    def _continue_with(self, state: CallState) -> tuple[CallState, str]:
        assert not self.done, "a turn has exactly one terminal verb"
        self.done = True
        state = replace(state, step=self.step_number)
        self.next_state = state
        self.menu_sid = state.menu_sid
        return state, self.url_builder(state)

    # ------------------------------------------------------------------ building blocks
    def note(self, text: str) -> None:
        self.notes.append(text)

    def announce(self, sid: str | None, parent: ET.Element | None = None) -> bool:
        """Voice announcement ``sid`` under ``parent``; False (nothing emitted) when unusable."""
        if not sid:
            return False
        announcement = self.system.announcements.get(sid)
        target = self.root if parent is None else parent
        if announcement is None:
            self.note(f"announcement {sid} not found; skipped")
            return False
        if (announcement.type or "").lower() == "say":
            if not (announcement.body or "").strip():
                self.note(f"announcement {sid} has no text; skipped")
                return False
            voice, language = self.dialect.say_attributes(announcement.voice, announcement.language)
            rcml.say(target, announcement.body, voice=voice, language=language)
            return True
        if not announcement.file_url:
            self.note(f"announcement {sid} has no file; skipped")
            return False
        rcml.play(target, announcement.file_url)
        return True

    def say(self, text: str, parent: ET.Element | None = None) -> None:
        """A built-in phrase, in the system's language."""
        _say_phrase(
            self.root if parent is None else parent, text, self.phrases.language, self.dialect
        )

    def timeout_seconds(self, menu: Menu | None) -> int:
        menu_value = menu.timeout_seconds if menu else None
        value = _first_set(menu_value, self.system.timeout_seconds, default=DEFAULT_TIMEOUT_SECONDS)
        return max(1, value)

    # ------------------------------------------------------------------ terminal verbs
    def hang_up(self, why: str = "") -> None:
        assert not self.done, "a turn has exactly one terminal verb"
        if why:
            self.note(why)
        rcml.hangup(self.root)
        self.done = True
        if self.outcome == Outcome.IN_PROGRESS:
            self.outcome = Outcome.HUNG_UP_BY_FLOW
        self.action = self.action or ActionType.HANGUP

    def apologise(self, why: str) -> None:
        """Apologise and hang up: the graceful end for data the call cannot follow."""
        self.say(self.phrases.apology)
        self.outcome = Outcome.ERROR
        self.hang_up(why)

    def menu_prompt(self, state: CallState) -> None:
        """The menu's one-key Gather around its announcement, then the Redirect for silence."""
        menu = self.system.menus.get(state.menu_sid)
        if menu is None:
            self.apologise(f"menu {state.menu_sid} not found")
            return
        self.menu_sid = menu.sid
        state, url = self._continue_with(replace(state, mode=Mode.MENU, prompt_sid=""))
        element = rcml.gather(
            self.root,
            action=url,
            input="dtmf",
            num_digits=1,
            timeout=self.timeout_seconds(menu),
        )
        if not self.announce(menu.announcement_sid, element):
            self.say(self.phrases.no_announcement, element)
        rcml.redirect(self.root, url)

    def directory_prompt(self, state: CallState) -> None:
        """The DIAL_BY_EXTENSION digits Gather or the DIAL_BY_NAME speech-or-digits Gather, then
        the Redirect. Both collect up to the longest extension's digits (``numDigits`` must be
        explicit: Restcomm keeps the menu's ``1`` otherwise), the caller may end sooner with
        ``#``."""
        menu = self.system.menus.get(state.menu_sid)
        state, url = self._continue_with(state)
        timeout = self.timeout_seconds(menu)
        num_digits = directory_digits(self.system.extensions)
        if state.mode == Mode.NAME:
            element = rcml.gather(
                self.root,
                action=url,
                input="dtmf speech",
                num_digits=num_digits,
                finish_on_key="#",
                timeout=timeout,
                language=asr_language(self.system.language),
                speech_timeout=self.dialect.speech_timeout,
                hints=speech_hints(self.system.extensions),
            )
            default_text = self.phrases.name_prompt
        else:
            element = rcml.gather(
                self.root,
                action=url,
                input="dtmf",
                num_digits=num_digits,
                finish_on_key="#",
                timeout=timeout,
            )
            default_text = self.phrases.extension_prompt
        if not self.announce(state.prompt_sid, element):
            self.say(default_text, element)
        rcml.redirect(self.root, url)

    def dial(self, state: CallState, number: str) -> None:
        """The menu's ringback announcement, then ``<Dial action>``; the action reports back."""
        menu = self.system.menus.get(state.menu_sid)
        if menu is not None:
            self.announce(menu.ringback_sid)
        after = state.visit(state.menu_sid)
        _, url = self._continue_with(replace(after, mode=Mode.DIAL))
        rcml.dial(self.root, number, action=url)
        self.note(f"dialling {number}")
        self.outcome = Outcome.TRANSFERRED
        self.transferred_to = number

    def record(self, state: CallState, mailbox_sid: str) -> None:
        """The mailbox's greeting, ``<Record action>`` and a ``<Redirect>`` to the same URL for
        the silent case (a platform that recorded nothing falls through to it)."""
        mailbox = self.system.mailboxes.get(mailbox_sid)
        if mailbox is None:
            self.apologise(f"mailbox {mailbox_sid or '(none)'} not found")
            return
        if not self.announce(mailbox.greeting_sid):
            self.say(self.phrases.voicemail_greeting)
        after = replace(state.visit(state.menu_sid), mode=Mode.RECORD, prompt_sid=mailbox.sid)
        _, url = self._continue_with(after)
        rcml.record(self.root, action=url, max_length=mailbox.max_length_seconds)
        rcml.redirect(self.root, url)
        self.note(f"recording into mailbox {mailbox.sid}")

    # ------------------------------------------------------------------ actions
    def run_action(self, action: Action | None, state: CallState, why: str) -> None:
        """Run ``action`` in the context of ``state``'s menu (``None``/empty type = HANGUP)."""
        kind = (action.action_type if action else "") or ActionType.HANGUP
        data = ((action.action_data if action else None) or "").strip()
        self.note(f"{why}: {kind}" + (f" {data}" if data else ""))
        self.action = self.action or kind
        menus = self.system.menus

        if kind == ActionType.HANGUP:
            self.hang_up()
        elif kind == ActionType.ANNOUNCEMENT_HANGUP:
            self.announce(data)
            self.hang_up()
        elif kind == ActionType.ANNOUNCEMENT_RETURN:
            self.announce(data)
            self.menu_prompt(state.visit(state.menu_sid))
        elif kind == ActionType.REPLAY_MENU:
            self.menu_prompt(state.visit(state.menu_sid))
        elif kind == ActionType.GO_TO_MENU:
            if data not in menus:
                self.apologise(f"menu {data or '(none)'} not found")
                return
            path = state.path if data == state.menu_sid else (*state.path, state.menu_sid)
            self.menu_prompt(state.visit(data, path))
        elif kind == ActionType.RETURN_TO_PREVIOUS_MENU:
            path = list(state.path)
            while path:
                previous = path.pop()
                if previous in menus:
                    self.menu_prompt(state.visit(previous, tuple(path)))
                    return
            self.menu_prompt(state.visit(state.menu_sid, ()))
        elif kind in (ActionType.DIAL_BY_EXTENSION, ActionType.DIAL_BY_NAME):
            mode = Mode.NAME if kind == ActionType.DIAL_BY_NAME else Mode.EXTENSION
            prompt = replace(state.visit(state.menu_sid), mode=mode, prompt_sid=data)
            self.directory_prompt(prompt)
        elif kind == ActionType.TRANSFER_TO_PHONE:
            if not data:
                self.apologise("no number to transfer to")
                return
            self.dial(state, data)
        elif kind == ActionType.VOICEMAIL:
            self.record(state, data)
        else:
            self.apologise(f"unknown action type {kind!r}")

    # ------------------------------------------------------------------ input handling
    def on_menu_input(self, state: CallState, digits: str) -> None:
        menu = self.system.menus.get(state.menu_sid)
        if menu is None:
            self.apologise(f"menu {state.menu_sid} not found")
            return
        self.menu_sid = menu.sid
        if not digits:
            count = state.timeouts + 1
            limit = _first_set(menu.timeout_max, self.system.timeout_max, default=3)
            if count >= limit:
                action = menu.timeout_action or self.system.timeout_action
                self.run_action(action, state, f"timeout {count} of {limit}")
            else:
                self.note(f"timeout {count} of {limit}; replaying menu")
                self.action = StepAction.TIMEOUT
                self.announce(self.system.timeout_announcement_sid)
                self.menu_prompt(replace(state, timeouts=count))
            return
        action = menu.keys.get(digits)
        if action is not None:
            self.run_action(action, state, f"key {digits}")
            return
        count = state.invalid_inputs + 1
        limit = _first_set(self.system.invalid_input_max, default=DEFAULT_MAX_OCCURRENCES)
        if count >= limit:
            why = f"invalid input {digits!r} {count} of {limit}"
            self.run_action(self.system.invalid_input_action, state, why)
        else:
            self.note(f"invalid input {digits!r} {count} of {limit}; replaying menu")
            self.action = StepAction.INVALID
            if not self.announce(self.system.invalid_input_announcement_sid):
                self.say(self.phrases.invalid_choice)
            self.menu_prompt(replace(state, invalid_inputs=count))

    def on_directory_input(
        self, state: CallState, digits: str, speech: str, threshold: float
    ) -> None:
        extensions = self.system.extensions
        if state.mode == Mode.NAME and not digits.replace("#", ""):
            found = match_name(speech, extensions, threshold)
            attempt = f"name {speech!r}"
        else:
            found = match_extension(digits, extensions)
            attempt = f"extension {digits!r}"
        if found is not None:
            self.note(f"{attempt} matched {found.number}")
            self.action = (
                ActionType.DIAL_BY_NAME if state.mode == Mode.NAME else ActionType.DIAL_BY_EXTENSION
            )
            self.dial(state, found.number)
            return
        count = state.invalid_extensions + 1
        limit = _first_set(self.system.invalid_extension_max, default=DEFAULT_MAX_OCCURRENCES)
        self.menu_sid = state.menu_sid
        if count >= limit:
            why = f"invalid {attempt} {count} of {limit}"
            self.run_action(self.system.invalid_extension_action, state, why)
        else:
            self.note(f"invalid {attempt} {count} of {limit}; prompting again")
            self.action = StepAction.INVALID
            self.directory_prompt(replace(state, invalid_extensions=count))

    def on_dial_status(self, state: CallState, dial_status: str) -> None:
        status = dial_status.strip().lower().replace("_", "-")
        self.menu_sid = state.menu_sid
        if status in ANSWERED_DIAL_STATUSES:
            self.outcome = Outcome.TRANSFERRED
            self.hang_up(f"dial ended {status}; call over")
        elif self.system.dial_failure_action is not None:
            why = f"dial ended {status or '(no status)'}; dial-failure action"
            self.run_action(self.system.dial_failure_action, state.visit(state.menu_sid), why)
        else:
            self.note(f"dial ended {status or '(no status)'}; back to the menu")
            self.action = StepAction.REPLAY
            self.say(self.phrases.line_unavailable)
            self.menu_prompt(state.visit(state.menu_sid))

    def on_recording(self, state: CallState, recording_url: str) -> None:
        """The Record action came back: thank the caller when a message was left (the runtime
        has stored it), say goodbye when nothing was recorded; either way hang up."""
        self.menu_sid = state.menu_sid
        if recording_url:
            self.say(self.phrases.voicemail_thanks)
            self.outcome = Outcome.VOICEMAIL
            self.hang_up(f"message left in mailbox {state.prompt_sid}")
        else:
            self.say(self.phrases.voicemail_nothing)
            self.hang_up("no message recorded")


def open_menu(
    system: System, menu_sid: str, *, url_builder: UrlBuilder, dialect: Dialect = RESTCOMM
) -> CallResult:
    """The first answer of a call the schedule sends to ``menu_sid``: the menu's prompt (an
    apology if that menu is gone). A pure function of the flow, the menu, the URL builder and the
    dialect, so callers may keep it per compiled flow (see :func:`start`)."""
    turn = _Turn(system, url_builder, step_number=1, dialect=dialect)
    state = CallState(system_sid=system.sid, organization=system.enterprise_sid, menu_sid=menu_sid)
    turn.menu_prompt(state)
    if turn.menu_sid is None:
        turn.menu_sid = menu_sid
    return turn.result()


#: What :func:`start` calls for the scheduled menu's answer: :func:`open_menu`, or a remembered one.
Opening = Callable[[System, str], CallResult]


def start(
    system: System,
    instant: datetime,
    *,
    url_builder: UrlBuilder,
    opening: Opening | None = None,
    dialect: Dialect = RESTCOMM,
) -> CallResult:
    """Answer the entry request of a call at ``instant`` (aware; the platform's "now").

    The schedule picks the menu and :func:`open_menu` answers it; ``opening`` may be given
    instead to reuse earlier answers (it receives the system and the menu sid). With no menu for
    the instant (no schedule entry, no default menu) the RCML apologises and hangs up and
    ``error_code`` is 498, which the RCML API reports as its error.
    """
    resolution = resolve(system, instant)
    if resolution.menu_sid is None:
        turn = _Turn(system, url_builder, step_number=1, dialect=dialect)
        turn.note(resolution.reason)
        turn.apologise("no menu for this instant")
        return turn.result(error_code=NO_SCHEDULE_ERROR, resolution=resolution)
    if opening is None:
        first = open_menu(system, resolution.menu_sid, url_builder=url_builder, dialect=dialect)
    else:
        first = opening(system, resolution.menu_sid)
    return replace(first, notes=(resolution.reason, *first.notes), resolution=resolution)


def step(
    system: System,
    state: CallState,
    *,
    url_builder: UrlBuilder,
    digits: str | None = None,
    speech: str | None = None,
    dial_status: str | None = None,
    recording_url: str | None = None,
    name_threshold: float = DEFAULT_NAME_THRESHOLD,
    max_steps: int = MAX_STEPS,
    dialect: Dialect = RESTCOMM,
) -> CallResult:
    """Answer a continuation: ``state`` (already verified by :func:`.state.decode`) plus the
    platform's ``Digits``, ``SpeechResult``, ``DialCallStatus`` and ``RecordingUrl`` (absent =
    ``None`` or ``""``).

    ``name_threshold`` is the minimum ``WRatio`` for dial by name; ``max_steps`` ends any call
    after that many requests. A state for another system or enterprise is refused politely.
    """
    turn = _Turn(system, url_builder, step_number=state.step + 1, dialect=dialect)
    turn.menu_sid = state.menu_sid
    if state.system_sid != system.sid or state.organization != system.enterprise_sid:
        turn.apologise("call state belongs to another system")
    elif state.mode == Mode.RECORD:
        turn.on_recording(state, (recording_url or "").strip())
    elif state.step >= max_steps:
        turn.apologise(f"call reached {max_steps} steps; ending it")
    elif state.mode == Mode.MENU:
        turn.on_menu_input(state, (digits or "").strip())
    elif state.mode in (Mode.EXTENSION, Mode.NAME):
        turn.on_directory_input(
            state, (digits or "").strip(), (speech or "").strip(), name_threshold
        )
    else:
        turn.on_dial_status(state, dial_status or "")
    return turn.result()
