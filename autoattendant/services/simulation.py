"""Answering calls: one platform request at a time, or a whole call walked through at once.

:func:`answer_entry` and :func:`answer_continuation` are what the platform's endpoint
(``/autoattendant/internal/rcml``) runs for each request, minus HTTP. :func:`simulate_call` walks
a call through the very same two functions, feeding the caller's inputs one by one, so
``manage.py simulate_call`` and the console's simulator show exactly what the platform would get.

The call state travels signed in the URLs the engine emits (:func:`state_key` derives the key
from ``SECRET_KEY``); the simulator skips the URL round trip and hands the engine's next state
straight back, which is what a verified signature yields.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from ..callflow import engine
from ..callflow.dialect import RESTCOMM, Dialect
from ..callflow.engine import CallResult, UrlBuilder
from ..callflow.model import System
from ..callflow.rcml import Event
from ..callflow.state import CallState, Mode, encode_query
from ..dialled import dialled_digits
from ..errors import Errors
from ..snapshots import (
    FlowRef,
    answers_capacity,
    flow_key,
    get_snapshot,
    local_answers,
    lookup_number,
    lookup_system,
)

__all__ = [
    "RCML_PATH",
    "Answer",
    "CallInput",
    "SimulatedStep",
    "Simulation",
    "answer_continuation",
    "answer_entry",
    "parse_inputs",
    "simulate_call",
    "state_key",
    "url_builder",
]

logger = logging.getLogger(__name__)

#: Where a platform fetches its documents: ``/autoattendant/internal/{dialect}``. Every URL the
#: engine emits points back at the webhook the call entered by, so a call keeps its dialect.
WEBHOOK_PATH = "/autoattendant/internal/{}"
RCML_PATH = WEBHOOK_PATH.format(RESTCOMM.name)

_KEY_LABEL = b"autoattendant.callflow.state.v1"


def state_key() -> bytes:
    """The call-state signing key: an HMAC of a fixed label keyed with ``SECRET_KEY``, so the
    secret itself never signs anything and rotating it invalidates calls in progress only."""
    return _derive_state_key(settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _derive_state_key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).digest()


def url_builder(base_url: str, key: bytes | None = None, dialect: Dialect = RESTCOMM) -> UrlBuilder:
    """Absolute continuation URLs: ``{base_url}/autoattendant/internal/{dialect}?{signed
    state}``.

    Platform credentials are never put in them: continuations are authenticated by the
    signature alone.
    """
    signing_key = key or state_key()
    prefix = f"{base_url}{WEBHOOK_PATH.format(dialect.name)}?"
    return lambda state: prefix + encode_query(state, signing_key)


def _apology(note: str, menu_sid: str | None = None) -> CallResult:
    return CallResult(
        rcml=engine.apology_rcml(),
        events=(("say", engine.TEXT_APOLOGY), ("hangup",)),
        state=None,
        menu_sid=menu_sid,
        notes=(note,),
    )


@dataclass(frozen=True)
class Answer:
    """An engine answer with the flow it came from (for the RCML API and the simulator)."""

    result: CallResult
    ref: FlowRef
    system: System


def _remembered(key: tuple, answer: Callable[[], CallResult]) -> CallResult:
    """``answer()``, remembered under ``key`` in this process (see :func:`answer_entry`)."""
    capacity = answers_capacity()
    if not capacity:
        return answer()
    result = local_answers.get(key)
    if result is None:
        result = answer()
        local_answers.put(key, result, capacity)
    return result


def answer_entry(
    ref: FlowRef, instant: datetime, base_url: str, dialect: Dialect = RESTCOMM
) -> Answer:
    """The first RCML of a call to ``ref``'s system at ``instant``: the scheduled menu's prompt,
    or an apology and hang-up (the result's ``error_code`` is 498 when no menu applies; a
    suspended system or enterprise is apologised for too). No query on a warm cache besides the
    caller's lookup.

    An answer is a pure function of the compiled flow and the request's inputs, so each process
    remembers its recent ones (``CALLFLOW_LOCAL_ANSWERS``) under the flow's versioned key: a
    menu's opening prompt here, a continuation in :func:`answer_continuation`. Any change to the
    flow changes the key, so a remembered answer is never stale.
    """
    cache_key = flow_key(ref, base_url)
    system = get_snapshot(ref, base_url, cache_key)
    if not ref.live:
        return Answer(_apology(f"{ref.system_sid} is suspended"), ref, system)
    key = (cache_key, state_key(), dialect.name)
    build_url = url_builder(base_url, dialect=dialect)

    def opening(flow: System, menu_sid: str) -> CallResult:
        return _remembered(
            (*key, menu_sid),
            lambda: engine.open_menu(flow, menu_sid, url_builder=build_url, dialect=dialect),
        )

    result = engine.start(system, instant, url_builder=build_url, opening=opening, dialect=dialect)
    return Answer(result, ref, system)


def answer_continuation(
    state: CallState,
    base_url: str,
    *,
    digits: str | None = None,
    speech: str | None = None,
    dial_status: str | None = None,
    dialect: Dialect = RESTCOMM,
) -> CallResult:
    """The next RCML of a call whose (verified) state is ``state``: at most one query (the
    system's current ``flow_version``) on a warm cache, and no work at all for an answer this
    process gave before under the same flow version. A system deleted or suspended mid-call ends
    the call politely."""
    ref = lookup_system(state.system_sid)
    if ref is None:
        return _apology(f"{state.system_sid} no longer exists", state.menu_sid)
    if not ref.live:
        return _apology(f"{ref.system_sid} is suspended", state.menu_sid)
    threshold = float(settings.DIAL_BY_NAME_MIN_SCORE)
    cache_key = flow_key(ref, base_url)
    return _remembered(
        (cache_key, state_key(), dialect.name, state, digits, speech, dial_status, threshold),
        lambda: engine.step(
            get_snapshot(ref, base_url, cache_key),
            state,
            url_builder=url_builder(base_url, dialect=dialect),
            digits=digits,
            speech=speech,
            dial_status=dial_status,
            name_threshold=threshold,
            dialect=dialect,
        ),
    )


# --- simulation -----------------------------------------------------------------------------

_KEYS = re.compile(r"^[0-9*#]+$")


@dataclass(frozen=True)
class CallInput:
    """One thing the caller (or the far end of a ``<Dial>``) does: ``token`` as written,
    ``digits`` pressed (``""`` = silence), a ``speech`` result or a ``dial_status``."""

    token: str
    digits: str = ""
    speech: str | None = None
    dial_status: str | None = None

    @property
    def label(self) -> str:
        if self.dial_status is not None:
            return f"transfer ended {self.dial_status or '(no status)'}"
        if self.speech is not None:
            return f"caller says {self.speech!r}"
        return f"caller presses {self.digits}" if self.digits else "caller is silent"


def parse_inputs(text: str | None) -> list[CallInput]:
    """``"1,2,#"`` → inputs. A token is keys (``0-9 * #``, ``101#`` for an extension), ``-`` or
    nothing for silence, ``say:Some Name`` for speech, ``dial:busy`` for how a transfer ended.
    Raises ``ValueError`` naming the first bad token."""
    if text is None or text == "":
        return []
    inputs = []
    for raw in text.split(","):
        token = raw.strip()
        lowered = token.lower()
        if token in ("", "-"):
            inputs.append(CallInput(token))
        elif lowered.startswith("say:"):
            inputs.append(CallInput(token, speech=token[4:].strip()))
        elif lowered.startswith("dial:"):
            inputs.append(CallInput(token, dial_status=token[5:].strip().lower()))
        elif _KEYS.match(token):
            inputs.append(CallInput(token, digits=token))
        else:
            raise ValueError(
                f"input {token!r} is not keys (0-9 * #), '-', 'say:<name>' or 'dial:<status>'"
            )
    return inputs


@dataclass(frozen=True)
class SimulatedStep:
    """One platform request of the walk: what the caller did (``None`` for the call's start),
    the menu answering and the engine's reasons, and the RCML sent back (as events too)."""

    input: CallInput | None
    menu_sid: str | None
    menu_name: str
    notes: tuple[str, ...]
    events: tuple[Event, ...]
    rcml: str
    ended: bool


@dataclass(frozen=True)
class Simulation:
    """A walked call. ``outcome``: ``hangup`` (the RCML hung up), ``connected`` (a transfer was
    dialled and no ``dial:`` input said how it ended), ``waiting`` (inputs ran out while the
    call waits for the caller)."""

    number: str
    at: datetime
    enterprise_sid: str
    system_sid: str
    system_name: str
    timezone_id: str
    steps: tuple[SimulatedStep, ...]
    outcome: str
    unused_inputs: tuple[CallInput, ...] = ()


def _step(system: System, call_input: CallInput | None, result: CallResult) -> SimulatedStep:
    menu = system.menus.get(result.menu_sid or "")
    return SimulatedStep(
        input=call_input,
        menu_sid=result.menu_sid,
        menu_name=menu.name if menu else "",
        notes=result.notes,
        events=result.events,
        rcml=result.rcml,
        ended=result.ended,
    )


def simulate_call(
    number: str,
    *,
    at: datetime | None = None,
    inputs: list[CallInput] | tuple[CallInput, ...] = (),
    base_url: str | None = None,
    enterprise_id: int | None = None,
) -> Simulation:
    """Walk a call to ``number`` at ``at`` (default now) through the engine, one request per
    input, until the call ends, a transfer connects, or the inputs run out.

    Raises the RCML API's errors: 491 (no such live number, or not ``enterprise_id``'s when
    given), 490 (the number has no AA system), 498 (no menu for that instant).
    """
    digits = dialled_digits(number)
    instant = at or timezone.now()
    base = (base_url if base_url is not None else settings.PUBLIC_BASE_URL) or ""
    ref = lookup_number(digits, enterprise_id=enterprise_id)
    answer = answer_entry(ref, instant, base)
    if answer.result.error_code == engine.NO_SCHEDULE_ERROR:
        raise Errors.NO_SCHEDULE_ENTRY({"phoneNumber": digits, "asOf": instant.isoformat()})
    system = answer.system
    steps = [_step(system, None, answer.result)]
    state = answer.result.state
    pending = list(inputs)
    while state is not None and pending:
        call_input = pending[0]
        if state.mode == Mode.DIAL and call_input.dial_status is None:
            break  # the transfer connected; the caller's keys no longer reach the attendant
        pending.pop(0)
        result = answer_continuation(
            state,
            base,
            digits=call_input.digits,
            speech=call_input.speech,
            dial_status=call_input.dial_status,
        )
        steps.append(_step(system, call_input, result))
        state = result.state
    if state is None:
        outcome = "hangup"
    elif state.mode == Mode.DIAL:
        outcome = "connected"
    else:
        outcome = "waiting"
    return Simulation(
        number=digits,
        at=instant,
        enterprise_sid=ref.enterprise_sid,
        system_sid=ref.system_sid,
        system_name=system.name,
        timezone_id=system.timezone_id,
        steps=tuple(steps),
        outcome=outcome,
        unused_inputs=tuple(pending),
    )
