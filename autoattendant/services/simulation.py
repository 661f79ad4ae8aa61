"""The simulator: a whole call walked through at once.

:func:`simulate_call` walks a call through the runtime's own :func:`answer_entry` and
:func:`answer_continuation` — what the platforms' webhooks run for each request — feeding the
caller's inputs one by one, so ``manage.py simulate_call`` and the console's simulator show
exactly what the platform would get. It skips the URL round trip and hands the engine's next
state straight back, which is what a verified signature yields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from ..callflow import engine
from ..callflow.engine import CallResult
from ..callflow.model import System
from ..callflow.rcml import Event
from ..callflow.state import Mode
from ..errors import Errors
from ..runtime.answering import answer_continuation, answer_entry, bind
from ..runtime.config import hot
from ..runtime.dialled import dialled_digits
from ..runtime.lookup import lookup_number

__all__ = [
    "CallInput",
    "SimulatedStep",
    "Simulation",
    "Walk",
    "parse_inputs",
    "simulate_call",
    "walk_flow",
]

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
    recording: bool = False

    @property
    def label(self) -> str:
        if self.recording:
            return "caller leaves a message"
        if self.dial_status is not None:
            return f"transfer ended {self.dial_status or '(no status)'}"
        if self.speech is not None:
            return f"caller says {self.speech!r}"
        return f"caller presses {self.digits}" if self.digits else "caller is silent"


def parse_inputs(text: str | None) -> list[CallInput]:
    """``"1,2,#"`` → inputs. A token is keys (``0-9 * #``, ``101#`` for an extension), ``-`` or
    nothing for silence, ``say:Some Name`` for speech, ``dial:busy`` for how a transfer ended,
    ``record`` for a message left at the tone (nothing is stored: a simulation writes nothing).
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
        elif lowered == "record":
            inputs.append(CallInput(token, recording=True))
        elif _KEYS.match(token):
            inputs.append(CallInput(token, digits=token))
        else:
            raise ValueError(
                f"input {token!r} is not keys (0-9 * #), '-', 'say:<name>', 'dial:<status>' "
                "or 'record'"
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


#: The ``CallSid`` the simulator's documents are bound to (see ``runtime.answering.bind``).
SIMULATED_CALL_SID = "CAsimulated"


def _step(
    system: System, call_input: CallInput | None, result: CallResult, instant: datetime
) -> SimulatedStep:
    """One request of the walk, shown as the platform would get it (its URLs bound to a call)."""
    menu = system.menus.get(result.menu_sid or "")
    events = tuple(
        tuple(bind(part, SIMULATED_CALL_SID, instant, xml=False) for part in event)
        for event in result.events
    )
    return SimulatedStep(
        input=call_input,
        menu_sid=result.menu_sid,
        menu_name=menu.name if menu else "",
        notes=result.notes,
        events=events,
        rcml=bind(result.rcml, SIMULATED_CALL_SID, instant),
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
    steps = [_step(system, None, answer.result, instant)]
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
            recording="simulated" if call_input.recording else None,
        )
        steps.append(_step(system, call_input, result, instant))
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


# --- a walk over a compiled flow (flow tests) -------------------------------------------------


@dataclass(frozen=True)
class Walk:
    """A call walked over a compiled flow: each answer with the input that led to it (``None``
    for the call's start), the outcome (as :class:`Simulation`'s) and the inputs left over."""

    results: tuple[tuple[CallInput | None, CallResult], ...]
    outcome: str
    unused_inputs: tuple[CallInput, ...] = ()


def _no_url(state) -> str:
    return ""


def walk_flow(
    flow: System, at: datetime, inputs: list[CallInput] | tuple[CallInput, ...] = ()
) -> Walk:
    """The simulator's walk over ``flow`` itself (a compiled :class:`System`, e.g. one read
    inside a writing transaction), with no lookup, cache or signing: the engine's answers are a
    pure function of the flow and the inputs, so this is what a caller would get from ``flow``.
    A call with no menu for ``at`` ends at once (its result's ``error_code`` is 498)."""
    result = engine.start(flow, at, url_builder=_no_url)
    results: list[tuple[CallInput | None, CallResult]] = [(None, result)]
    state = result.state
    pending = list(inputs)
    while state is not None and pending:
        call_input = pending[0]
        if state.mode == Mode.DIAL and call_input.dial_status is None:
            break
        pending.pop(0)
        result = engine.step(
            flow,
            state,
            url_builder=_no_url,
            digits=call_input.digits,
            speech=call_input.speech,
            dial_status=call_input.dial_status,
            name_threshold=hot().name_threshold,
        )
        results.append((call_input, result))
        state = result.state
    if state is None:
        outcome = "hangup"
    elif state.mode == Mode.DIAL:
        outcome = "connected"
    else:
        outcome = "waiting"
    return Walk(tuple(results), outcome, tuple(pending))
