"""A few weeks of made-up but realistic call history for the demo enterprise, so the Calls and
Insights pages are alive on first run.

Every call is walked through the real engine (:func:`~autoattendant.runtime.answering.answer_entry`
and :func:`~autoattendant.runtime.answering.answer_continuation`) at its own instant, so the
schedule decides which menu answered (business hours, after hours, the holiday) and each step is
exactly what a platform's call would have recorded. Callers follow weighted scripts (the front
desk, an extension, a name, billing, silence, a wrong key, hanging up in a menu); weekdays are
busier than weekends and mornings busier than evenings. Seeded: the same history every time.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ..callflow.engine import CallResult
from ..callflow.state import Mode
from ..models import Call, Enterprise
from ..runtime.answering import answer_continuation, answer_entry
from ..runtime.lookup import lookup_number
from ..runtime.recording import store_steps
from .calls import close_idle_calls
from .demo_flow import MAIN_NUMBER, TIMEZONE

__all__ = ["generate_call_history"]

DAYS = 21

#: (weight, inputs): keys, ``-`` silence, ``say:…`` speech, ``dial:…`` how a transfer ended.
SCRIPTS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (24, ("0", "dial:completed")),
    (12, ("1", "101#", "dial:completed")),
    (6, ("1", "104#", "dial:completed")),
    (4, ("1", "104#", "dial:no-answer", "0", "dial:completed")),
    (7, ("2", "say:Sarah Lee", "dial:completed")),
    (3, ("2", "say:Omar Haddad", "dial:busy")),
    (9, ("3", "1", "dial:completed")),
    (3, ("3", "9", "0", "dial:completed")),
    (3, ("3", "0", "dial:completed")),
    (5, ("0", "dial:busy", "0", "dial:completed")),
    (5, ("-", "-", "-", "dial:completed")),
    (4, ("7", "0", "dial:completed")),
    (2, ("8", "8", "8")),
    (3, ("1", "999#", "101#", "dial:completed")),
    (8, ()),  # hangs up during the greeting
    (4, ("3",)),  # hangs up in the billing menu
    (2, ("1",)),  # hangs up at the extension prompt
)
#: Calls a weekday at each local hour (weekends get a quarter).
HOURLY = {7: 1, 8: 4, 9: 7, 10: 8, 11: 6, 12: 3, 13: 4, 14: 6, 15: 5, 16: 4, 17: 2, 18: 1, 20: 1}


def _inputs(item: str) -> dict:
    if item == "-":
        return {"digits": ""}
    if item.startswith("say:"):
        return {"speech": item[4:]}
    if item.startswith("dial:"):
        return {"dial_status": item[5:]}
    return {"digits": item}


def _input_text(mode: str, token: str) -> tuple[str, str]:
    if token.startswith("dial:") or token.startswith("say:"):
        return (token if token.startswith("dial:") else f"speech:{token[4:]}"), ""
    if token in ("-", ""):
        return "timeout", ""
    return token.rstrip("#"), token if mode == Mode.MENU else ""


def _step(call_sid, ref, caller, seq, instant, menu_sid, given, key, result: CallResult) -> tuple:
    return (
        call_sid,
        ref.enterprise_sid,
        ref.system_sid,
        "rcml",
        MAIN_NUMBER,
        caller,
        seq,
        instant.timestamp(),
        menu_sid or "",
        given,
        key,
        result.action,
        "; ".join(result.notes),
        result.outcome,
        result.transferred_to,
        result.menu_sid or "",
    )


def _walk(ref, call_sid: str, caller: str, start: datetime, script: tuple[str, ...], rng):
    answer = answer_entry(ref, start, "")
    result, instant = answer.result, start
    steps = [_step(call_sid, ref, caller, 1, start, result.menu_sid, "", "", result)]
    for seq, token in enumerate(script, start=2):
        state = result.state
        if state is None:
            break
        if token.startswith("dial:") != (state.mode == Mode.DIAL):
            break  # the script no longer fits what the caller hears (an after-hours menu)
        instant += timedelta(
            seconds=rng.randint(40, 400) if state.mode == Mode.DIAL else rng.randint(4, 14)
        )
        result = answer_continuation(state, "", **_inputs(token))
        given, key = _input_text(state.mode, token)
        steps.append(_step(call_sid, ref, caller, seq, instant, state.menu_sid, given, key, result))
    return steps


def generate_call_history(enterprise: Enterprise, days: int = DAYS, seed: int = 2026) -> int:
    """``days`` of history up to now for the demo's number, unless the enterprise already has
    calls. Returns how many calls were made."""
    if Call.objects.filter(enterprise=enterprise).exists():
        return 0
    rng = random.Random(seed)
    ref = lookup_number(MAIN_NUMBER)
    zone = ZoneInfo(TIMEZONE)
    now = timezone.now()
    today = now.astimezone(zone).date()
    regulars = [f"1555{rng.randint(2000000, 9999999)}" for _ in range(40)]
    weights = [weight for weight, _ in SCRIPTS]
    steps: list[tuple] = []
    calls = 0
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        scale = 0.25 if day.isoweekday() >= 6 else 1.0
        for hour, mean in HOURLY.items():
            for _ in range(rng.randint(0, round(mean * 2 * scale))):
                start = datetime(
                    day.year, day.month, day.day, hour, rng.randint(0, 59), rng.randint(0, 59),
                    tzinfo=zone,
                )  # fmt: skip
                if start >= now:
                    continue
                caller = (
                    rng.choice(regulars)
                    if rng.random() < 0.3
                    else f"1{rng.randint(201, 989)}{rng.randint(2000000, 9999999)}"
                )
                script = rng.choices(SCRIPTS, weights)[0][1]
                calls += 1
                steps += _walk(ref, f"CAdemo{calls:026x}", caller, start, script, rng)
    for first in range(0, len(steps), 1000):
        store_steps(steps[first : first + 1000])
    close_idle_calls(now)
    return calls
