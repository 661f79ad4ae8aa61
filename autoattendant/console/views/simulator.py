"""The call simulator: pick a number and a moment, see which menu answers and why, press keys
(or say a name) and watch the transcript — the very engine walk the platform's calls take
(``services.simulation.simulate_call``, through the runtime).

Stateless, like the platform: the page carries the inputs so far and replays the whole call on
every key press, so what you see is exactly what a caller pressing those keys would get.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ...errors import AppError
from ...models import Announcement, Mailbox, Menu, PhoneNumber
from ...services.simulation import parse_inputs, simulate_call
from ..forms.simulator import SimulatorForm
from .base import console_view, explain

KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def transcript_line(event: tuple) -> dict | None:
    """One engine event in words (redirects are plumbing, left out)."""
    kind = event[0]
    if kind == "say":
        return {"kind": "say", "text": f"Says: “{event[1]}”"}
    if kind == "play":
        return {"kind": "play", "text": "Plays a recording", "url": event[1]}
    if kind == "gather":
        what = "a name" if event[1] == "speech" else "keys"
        return {"kind": "gather", "text": f"Waits for {what}"}
    if kind == "dial":
        return {"kind": "dial", "text": f"Transfers the call to {event[1]}"}
    if kind == "record":
        return {"kind": "record", "text": "Beeps and records a message (until # or silence)"}
    if kind == "hangup":
        return {"kind": "hangup", "text": "Hangs up"}
    return None


def transcript(events: tuple) -> list[dict]:
    """The events in words, a prompt's "waits for keys" after what it says (the platform plays
    the nested Say/Play while it listens)."""
    lines: list[dict] = []
    waiting: dict | None = None
    for event in events:
        line = transcript_line(event)
        if line is None:
            continue
        if waiting is not None and line["kind"] not in ("say", "play"):
            lines.append(waiting)
            waiting = None
        if line["kind"] == "gather":
            waiting = line
        else:
            lines.append(line)
    if waiting is not None:
        lines.append(waiting)
    return lines


_SID = re.compile(r"\b(?:MN|AN|MB)[0-9a-f]{32}\b")


def readable(note: str, names: dict[str, str]) -> str:
    """An engine note with the sids it names replaced by the names people gave them."""
    return _SID.sub(lambda m: f"“{names[m[0]]}”" if m[0] in names else m[0], note)


def _append(inputs: str, token: str) -> str:
    return f"{inputs},{token}" if inputs else token


@console_view()
def simulator(request: HttpRequest) -> HttpResponse:
    numbers = list(
        PhoneNumber.objects.live()
        .filter(enterprise=request.enterprise, auto_attendant__isnull=False, is_extension=False)
        .select_related("auto_attendant")
        .order_by("number")
    )
    zones = {n.number: n.auto_attendant.timezone_id for n in numbers}
    choices = [(n.number, f"{n.number} → {n.auto_attendant.name}") for n in numbers]
    params = request.GET
    form = SimulatorForm(params if "number" in params else None, numbers=choices)
    context: dict = {"form": form, "keypad": KEYPAD, "has_numbers": bool(numbers)}
    if not form.is_bound or not form.is_valid():
        return render(request, "console/simulator.html", context)

    number = form.cleaned_data["number"]
    zone = _zone(zones.get(number, "UTC"))
    at = form.cleaned_data.get("at")
    if at is None:
        local = timezone.now().astimezone(zone).replace(second=0, microsecond=0)
    else:  # the wall time typed, in the system's zone
        naive = timezone.make_naive(at, timezone.get_current_timezone())
        local = datetime.combine(naive.date(), naive.time(), tzinfo=zone)

    inputs = (params.get("inputs") or "").strip()
    if "reset" in params:
        inputs = ""
    elif params.get("press") in KEYPAD:
        inputs = _append(inputs, params["press"])
    elif "silence" in params:
        inputs = _append(inputs, "-")
    elif "record" in params:
        inputs = _append(inputs, "record")
    elif "say" in params and params.get("name", "").strip():
        inputs = _append(inputs, "say:" + params["name"].strip().replace(",", " "))

    context["form"] = SimulatorForm(
        initial={"number": number, "at": local.replace(tzinfo=None)}, numbers=choices
    )
    context["inputs"] = inputs
    try:
        parsed = parse_inputs(inputs)
    except ValueError as exc:
        context["error"] = str(exc)
        return render(request, "console/simulator.html", context)
    try:
        simulation = simulate_call(
            number, at=local, inputs=parsed, base_url="", enterprise_id=request.enterprise.pk
        )
    except AppError as exc:
        context["error"] = (
            "No schedule entry and no default menu cover this moment: callers would hear an "
            "apology and the call would end (error 498)."
            if exc.error_code == 498
            else explain(exc)
        )
        return render(request, "console/simulator.html", context)
    names = dict(Menu.objects.filter(enterprise=request.enterprise).values_list("sid", "name"))
    names.update(
        Announcement.objects.filter(enterprise=request.enterprise).values_list("sid", "name")
    )
    names.update(Mailbox.objects.filter(enterprise=request.enterprise).values_list("sid", "name"))
    steps = [
        {
            "step": step,
            "lines": transcript(step.events),
            "notes": [readable(note, names) for note in step.notes[0 if step.input else 1 :]],
        }
        for step in simulation.steps
    ]
    dialled = [e[1] for s in simulation.steps for e in s.events if e[0] == "dial"]
    transferred_to = dialled[-1] if dialled else ""
    outcome_words = {"hangup": "the call ends", "connected": "transferred", "waiting": "waits"}
    test_expect = outcome_words.get(simulation.outcome, simulation.outcome)
    if transferred_to and simulation.outcome == "connected":
        test_expect = f"transferred to {transferred_to}"
    context.update(
        transferred_to=transferred_to,
        final_menu=simulation.steps[-1].menu_sid or "",
        test_expect=test_expect,
        test_name=f"{local:%A %H:%M}, {inputs or 'no keys'}: {test_expect}",
        simulation=simulation,
        steps=steps,
        why=simulation.steps[0].notes[0] if simulation.steps[0].notes else "",
        local=local,
        # The call waits at the tone: the caller may leave a message (stored nowhere).
        recording=simulation.outcome == "waiting"
        and any(event[0] == "record" for event in simulation.steps[-1].events),
    )
    return render(request, "console/simulator.html", context)
