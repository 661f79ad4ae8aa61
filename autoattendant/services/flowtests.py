"""Flow tests: saved expectations of an AA system's flow, checked on every change of it.

A test is a call at a local wall time (``at``, ``YYYY-MM-DDTHH:MM`` in the system's zone) with the
caller's inputs in the simulator's notation (``["1", "say:Bob", "dial:busy", "-"]``,
:func:`services.simulation.parse_inputs`) and what must come of it (``expect``): the
``outcome`` (``hangup``, ``connected`` — a transfer was dialled and nobody said how it ended —
or ``waiting`` — the inputs ran out while the call waits), and optionally ``transferredTo`` (the
number last dialled), ``menuSid`` (the menu the call ends in) and ``heard`` (words some prompt
says, or an announcement sid played).

Running is pure once the flow is compiled (:func:`run_tests`): the engine walks the compiled
flow (``walk_flow``), so twenty tests cost one compile (four queries) and a few milliseconds.
``services.flowversions`` runs them inside every transaction that changes a flow.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils import timezone

from ..callflow.model import System
from ..errors import Errors
from ..models import AutoAttendantSystem, FlowTest, User
from ..runtime.compiler import compile_flow
from .simulation import parse_inputs, walk_flow

__all__ = [
    "EXPECT_KEYS",
    "OUTCOMES",
    "do_create_flow_test",
    "do_delete_flow_test",
    "do_run_flow_tests",
    "do_update_flow_test",
    "run_test",
    "run_tests",
    "store_results",
]

OUTCOMES = ("hangup", "connected", "waiting")
EXPECT_KEYS = ("outcome", "transferredTo", "menuSid", "heard")
FLOW_TEST_FIELDS = ("name", "at", "inputs", "expect")


def _parse_at(value: Any) -> str:
    if isinstance(value, str):
        text = value.strip().replace(" ", "T")
        for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"):
            try:
                return datetime.strptime(text, pattern).strftime("%Y-%m-%dT%H:%M")
            except ValueError:
                continue
    raise Errors.VALIDATION({"at": "Expected the system's local date and time, YYYY-MM-DDTHH:MM."})


def _parse_inputs(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [token for token in value.split(",")] if value else []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Errors.VALIDATION({"inputs": 'Expected a list of inputs such as ["1", "-"].'})
    tokens = [v.strip() for v in value]
    if len(tokens) > 50:
        raise Errors.VALIDATION({"inputs": "At most 50 inputs."})
    try:
        parse_inputs(",".join(t.replace(",", " ") for t in tokens))
    except ValueError as exc:
        raise Errors.VALIDATION({"inputs": str(exc)}) from None
    return tokens


def _parse_expect(value: Any) -> dict:
    if not isinstance(value, dict):
        raise Errors.VALIDATION({"expect": "Expected an object with an outcome."})
    unknown = sorted(set(value) - set(EXPECT_KEYS))
    if unknown:
        raise Errors.VALIDATION({f"expect.{unknown[0]}": "Not an expectation this test takes."})
    if value.get("outcome") not in OUTCOMES:
        raise Errors.VALIDATION({"expect.outcome": f"Expected one of {', '.join(OUTCOMES)}."})
    expect = {"outcome": value["outcome"]}
    for key in EXPECT_KEYS[1:]:
        item = value.get(key)
        if item in (None, ""):
            continue
        if not isinstance(item, str) or len(item) > 200:
            raise Errors.VALIDATION({f"expect.{key}": "Expected text."})
        expect[key] = item.strip()
    return expect


def _clean(fields: dict, *, creating: bool) -> dict:
    unknown = set(fields) - set(FLOW_TEST_FIELDS)
    if unknown:
        raise TypeError(f"Unknown flow test fields: {sorted(unknown)}")
    values: dict[str, Any] = {}
    if "name" in fields or creating:
        name = (fields.get("name") or "").strip() if isinstance(fields.get("name"), str) else ""
        if not name or len(name) > 200:
            raise Errors.VALIDATION({"name": "A name of 1 to 200 characters is required."})
        values["name"] = name
    if "at" in fields or creating:
        values["at"] = _parse_at(fields.get("at"))
    if "inputs" in fields or creating:
        values["inputs"] = _parse_inputs(fields.get("inputs") or [])
    if "expect" in fields or creating:
        values["expect"] = _parse_expect(fields.get("expect"))
    return values


# --- running ---------------------------------------------------------------------------------


def _instant(flow: System, at: str) -> datetime:
    try:
        zone = ZoneInfo(flow.timezone_id or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.strptime(at, "%Y-%m-%dT%H:%M").replace(tzinfo=zone)


def _line(event: tuple) -> str | None:
    kind = event[0]
    if kind == "say":
        return f"Says: “{event[1]}”"
    if kind == "play":
        return f"Plays {event[1]}"
    if kind == "gather":
        return "Waits for a name" if event[1] == "speech" else "Waits for keys"
    if kind == "dial":
        return f"Transfers the call to {event[1]}"
    if kind == "hangup":
        return "Hangs up"
    return None


def run_test(flow: System, test: FlowTest) -> dict:
    """Walk ``test``'s call over ``flow`` and compare (pure: no query). The result names each
    expectation missed in ``failures`` and the call in ``transcript``."""
    inputs = parse_inputs(",".join(t.replace(",", " ") for t in test.inputs))
    walk = walk_flow(flow, _instant(flow, test.at), inputs)
    transcript: list[str] = []
    said: list[str] = []
    dialled = None
    for call_input, result in walk.results:
        if call_input is not None:
            transcript.append(call_input.label.capitalize())
        for event in result.events:
            if event[0] in ("say", "play"):
                said.append(str(event[1]))
            if event[0] == "dial":
                dialled = event[1]
            line = _line(event)
            if line:
                transcript.append(line)
    last = walk.results[-1][1]
    got = {"outcome": walk.outcome, "transferredTo": dialled, "menuSid": last.menu_sid}
    expect = test.expect or {}
    failures = []
    if expect.get("outcome") != got["outcome"]:
        failures.append(f"outcome: expected {expect.get('outcome')}, got {got['outcome']}")
    for key in ("transferredTo", "menuSid"):
        if expect.get(key) and expect[key] != got[key]:
            failures.append(f"{key}: expected {expect[key]}, got {got[key] or 'none'}")
    heard = (expect.get("heard") or "").lower()
    if heard and not any(heard in text.lower() for text in said):
        failures.append(f"heard: nothing said or played contains “{expect['heard']}”")
    return {
        "sid": test.sid,
        "name": test.name,
        "passed": not failures,
        "failures": failures,
        **got,
        "transcript": transcript,
    }


def run_tests(flow: System, tests: list[FlowTest], *, save: bool = True) -> list[dict]:
    """Run ``tests`` over ``flow``; with ``save``, store each verdict (:func:`store_results`)."""
    results = [run_test(flow, test) for test in tests]
    if save:
        store_results(tests, results)
    return results


def store_results(tests: list[FlowTest], results: list[dict]) -> None:
    """Store the verdicts: one UPDATE of ``last_run`` for all, and one more for the tests whose
    result changed (most saves change none: their stored results are not written again)."""
    if not tests:
        return
    now = timezone.now()
    changed = []
    for test, result in zip(tests, results, strict=True):
        test.last_run = now
        if test.passing != result["passed"] or test.last_result != result:
            test.passing, test.last_result = result["passed"], result
            changed.append(test)
    FlowTest.objects.filter(pk__in=[test.pk for test in tests]).update(last_run=now)
    if changed:
        FlowTest.objects.bulk_update(changed, ["passing", "last_result"])


# --- writes ----------------------------------------------------------------------------------


def do_create_flow_test(actor: User, system: AutoAttendantSystem, fields: dict) -> FlowTest:
    """Create a test of ``system`` and run it once against the current flow (its first verdict:
    a test written red stays red without blocking anything until it first passes)."""
    values = _clean(fields, creating=True)
    with transaction.atomic():
        test = FlowTest.objects.create(system=system, created_by=actor, **values)
        run_tests(compile_flow(system.pk), [test])
    return test


def do_update_flow_test(actor: User, test: FlowTest, fields: dict) -> FlowTest:
    values = _clean(fields, creating=False)
    with transaction.atomic():
        for field, value in values.items():
            setattr(test, field, value)
        test.save()
        run_tests(compile_flow(test.system_id), [test])
    return test


def do_delete_flow_test(actor: User, test: FlowTest) -> None:
    with transaction.atomic():
        test.delete()


def do_run_flow_tests(system: AutoAttendantSystem) -> list[dict]:
    """Run every test of ``system`` against its current flow and store the verdicts."""
    with transaction.atomic():
        tests = list(FlowTest.objects.filter(system=system))
        return run_tests(compile_flow(system.pk), tests)
