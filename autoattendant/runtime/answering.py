"""Answering a call: one platform request in, one XML document out.

:func:`answer_call` is the webhooks' single entry point: given the platform's parameters (the
form body and query string, merged) it decides whether the request continues a call (it carries
the engine's signed state) or starts one (it names the dialled number), finds the flow, and runs
the engine — in the dialect of the webhook the call entered by. :func:`answer_entry` and
:func:`answer_continuation` are the two halves, which the RCML API and the simulator call too, so
they show exactly what a platform gets.

The call state travels signed in the URLs the engine emits (:func:`state_key` derives the key
from ``SECRET_KEY``). An answer is a pure function of the compiled flow and the request's inputs,
so each process remembers its recent ones (``CALLFLOW_LOCAL_ANSWERS``) under the flow's versioned
key: a change to the flow changes the key, so a remembered answer is never stale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..callflow import engine
from ..callflow.dialect import RESTCOMM, Dialect
from ..callflow.engine import CallResult, Outcome, UrlBuilder
from ..callflow.model import System
from ..callflow.schedule import next_change
from ..callflow.state import (
    CALL_MARK,
    PARAM_EXPIRES,
    PARAM_SIGNATURE,
    CallState,
    Mode,
    StateError,
    bind_call,
    carries_state,
    check_call,
    decode,
    encode,
    query_string,
)
from ..errors import AppError
from .config import hot
from .dialled import dialled_digits
from .lookup import FlowRef, lookup_number, lookup_system
from .recording import record
from .store import answers_capacity, flow_key, get_flow, local_answers
from .voicemail import left_message, take_message

__all__ = [
    "WEBHOOK_PATH",
    "Answer",
    "CallReply",
    "answer_call",
    "answer_continuation",
    "answer_entry",
    "bind",
    "state_key",
    "url_builder",
]

logger = logging.getLogger(__name__)

#: Where a platform fetches its documents: ``/autoattendant/internal/{dialect}``. Every URL the
#: engine emits points back at the webhook the call entered by, so a call keeps its dialect.
WEBHOOK_PATH = "/autoattendant/internal/{}"


def state_key() -> bytes:
    """The call-state signing key, derived from ``SECRET_KEY`` (see :mod:`.config`)."""
    return hot().state_key


def url_builder(base_url: str, key: bytes | None = None, dialect: Dialect = RESTCOMM) -> UrlBuilder:
    """Absolute continuation URLs: ``{base_url}/autoattendant/internal/{dialect}?{signed
    state}``.

    Platform credentials are never put in them: continuations are authenticated by the
    signature alone.
    """
    signing_key = key or state_key()
    prefix = f"{base_url}{WEBHOOK_PATH.format(dialect.name)}?"
    mark = f"&{PARAM_EXPIRES}={CALL_MARK}"

    def build(state: CallState) -> str:
        params = encode(state, signing_key)
        return f"{prefix}{query_string(params.items())}{mark}{params[PARAM_SIGNATURE]}{CALL_MARK}"

    return build


def bind(document: str, call_sid: str, instant: datetime, *, xml: bool = True) -> str:
    """``document`` (or a URL, with ``xml=False``) bound to the call ``call_sid``: its
    continuation URLs expire ``CALL_STATE_MAX_AGE`` seconds after ``instant``."""
    expires = int(instant.timestamp()) + hot().call_state_max_age
    return bind_call(document, state_key(), call_sid, expires, xml=xml)


def _apology(
    note: str,
    menu_sid: str | None = None,
    system: System | None = None,
    dialect: Dialect = RESTCOMM,
) -> CallResult:
    """The apology and ``<Hangup/>``, in ``system``'s language when it is known."""
    if system is None:
        text, language = engine.TEXT_APOLOGY, ""
    else:
        text, language = system.phrases.apology, system.phrases.language
    return CallResult(
        rcml=engine.apology_rcml(text, language=language, dialect=dialect),
        events=(("say", text), ("hangup",)),
        state=None,
        menu_sid=menu_sid,
        notes=(note,),
        outcome=Outcome.ERROR,
        action="HANGUP",
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
    system = get_flow(ref, base_url, cache_key)
    if not ref.live:
        return Answer(
            _apology(f"{ref.system_sid} is suspended", system=system, dialect=dialect),
            ref,
            system,
        )
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
    signature: str | None = None,
    recording: str | None = None,
) -> CallResult:
    """The next RCML of a call whose (verified) state is ``state``: at most one query (the
    system's current ``flow_version``) on a warm cache, and no work at all for an answer this
    process gave before under the same flow version. A system deleted or suspended mid-call ends
    the call politely. ``signature`` is the state's verified signature, when the caller has it:
    under the same key it names the state, and is cheaper to remember answers by."""
    ref = lookup_system(state.system_sid)
    if ref is None:
        return _apology(f"{state.system_sid} no longer exists", state.menu_sid)
    cache_key = flow_key(ref, base_url)
    if not ref.live:
        flow = get_flow(ref, base_url, cache_key)
        return _apology(f"{ref.system_sid} is suspended", state.menu_sid, flow, dialect)
    threshold = hot().name_threshold
    if state.mode == Mode.RECORD:  # the end of a message: rare, and never remembered
        return engine.step(
            get_flow(ref, base_url, cache_key),
            state,
            url_builder=url_builder(base_url, dialect=dialect),
            recording_url=recording,
            dialect=dialect,
        )
    return _remembered(
        (
            cache_key,
            state_key(),
            dialect.name,
            signature or state,
            digits,
            speech,
            dial_status,
            threshold,
        ),
        lambda: engine.step(
            get_flow(ref, base_url, cache_key),
            state,
            url_builder=url_builder(base_url, dialect=dialect),
            digits=digits,
            speech=speech,
            dial_status=dial_status,
            name_threshold=threshold,
            dialect=dialect,
        ),
    )


@dataclass(frozen=True, slots=True)
class CallReply:
    """What a webhook sends back: the document, its HTTP status (200, or 403 for a call state
    that cannot be trusted) and where the call stands after it (an engine
    :class:`~autoattendant.callflow.engine.Outcome`: ``ERROR`` for an apology)."""

    document: str
    status: int = 200
    outcome: str = Outcome.IN_PROGRESS


#: How long an entry document is remembered when the schedule has no change ahead in its horizon.
_QUIET_WINDOW = timedelta(days=1)


def _opening_key(ref: FlowRef, base_url: str, dialect: Dialect) -> tuple | None:
    """Where a live system's entry document is remembered for its schedule window (``None``
    when answers are not remembered, or the system takes no calls)."""
    if not answers_capacity() or not ref.live:
        return None
    return (flow_key(ref, base_url), state_key(), dialect.name, "opening")


def _remember_opening(key: tuple, answer: Answer, instant: datetime) -> None:
    """Remember a menu prompt until the schedule's next change of menu
    (:func:`~autoattendant.callflow.schedule.next_change`); an apology is worked out, and
    logged, every time."""
    result = answer.result
    if result.error_code is not None or result.ended:
        return
    change = next_change(answer.system, instant)
    until = change if change is not None else instant + _QUIET_WINDOW
    local_answers.put(key, (instant, until, result), answers_capacity())


def _input(mode: str, params: Mapping[str, str]) -> tuple[str, str]:
    """What the caller did, as the history writes it (digits, ``speech:…``, ``dial:…`` or
    ``timeout``), and the menu key pressed (empty unless a key was pressed in a menu)."""
    if mode == Mode.DIAL:
        return f"dial:{(params.get('DialCallStatus') or '').strip()}", ""
    digits = (params.get("Digits") or "").strip()
    if mode == Mode.MENU:
        return (digits, digits[:8]) if digits else ("timeout", "")
    speech = (params.get("SpeechResult") or "").strip()
    if mode == Mode.NAME and speech and not digits.replace("#", ""):
        return f"speech:{speech}", ""
    return digits or "timeout", ""


def _record_entry(
    params: Mapping[str, str], ref: FlowRef, result: CallResult, instant: datetime, dialect: Dialect
) -> None:
    record(
        params,
        dialect=dialect.name,
        enterprise_sid=ref.enterprise_sid,
        system_sid=ref.system_sid,
        seq=1,
        instant=instant,
        menu_sid=result.menu_sid,
        input="",
        key="",
        result=result,
    )


def answer_call(
    params: Mapping[str, str], *, base_url: str, instant: datetime, dialect: Dialect = RESTCOMM
) -> CallReply:
    """The document for one platform request (``params``: its own parameters and the engine's,
    merged). A continuation whose state is missing, forged or unreadable gets 403 and
    ``<Hangup/>``; an unknown number an apology. The platform's own credentials are the
    webhook's business, checked before this is called."""
    call_sid = params.get("CallSid", "")
    if carries_state(params):
        try:
            state = decode(params, state_key())
            check_call(params, state_key(), instant.timestamp())
        except StateError as exc:
            logger.warning(
                "Refused call-flow continuation (CallSid=%s): %s",
                call_sid,
                exc,
                extra={"CallSid": call_sid},
            )
            return CallReply(engine.hangup_rcml(), 403)
        recording = None
        if state.mode == Mode.RECORD:
            take_message(state.prompt_sid, state.organization, params, instant)
            recording = left_message(params)
        result = answer_continuation(
            state,
            base_url,
            digits=params.get("Digits"),
            speech=params.get("SpeechResult"),
            dial_status=params.get("DialCallStatus"),
            dialect=dialect,
            signature=params[PARAM_SIGNATURE],
            recording=recording,
        )
        given, key = _input(state.mode, params)
        record(
            params,
            dialect=dialect.name,
            enterprise_sid=state.organization,
            system_sid=state.system_sid,
            seq=state.step + 1,
            instant=instant,
            menu_sid=state.menu_sid,
            input=given,
            key=key,
            result=result,
        )
        return CallReply(bind(result.rcml, call_sid, instant), outcome=result.outcome)

    digits = dialled_digits(params.get("To"))
    try:
        ref = lookup_number(digits)
    except AppError as exc:
        logger.warning(
            "Call to %r (CallSid=%s) answered with an apology: %s",
            params.get("To", ""),
            call_sid,
            exc,
            extra={"CallSid": call_sid},
        )
        return CallReply(engine.apology_rcml(), outcome=Outcome.ERROR)
    opening_key = _opening_key(ref, base_url, dialect)
    if opening_key is not None:
        hit = local_answers.get(opening_key)
        if hit is not None and hit[0] <= instant < hit[1]:
            _record_entry(params, ref, hit[2], instant, dialect)
            return CallReply(bind(hit[2].rcml, call_sid, instant), outcome=hit[2].outcome)
    answer = answer_entry(ref, instant, base_url, dialect)
    if opening_key is not None:
        _remember_opening(opening_key, answer, instant)
    if answer.result.error_code is not None:
        logger.info(
            "Call to %s (CallSid=%s): %s",
            digits,
            call_sid,
            "; ".join(answer.result.notes),
            extra={"CallSid": call_sid},
        )
    _record_entry(params, ref, answer.result, instant, dialect)
    return CallReply(bind(answer.result.rcml, call_sid, instant), outcome=answer.result.outcome)
