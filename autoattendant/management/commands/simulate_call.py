"""``manage.py simulate_call NUMBER [--at ISO] [--input 1,2,#,…]``: walk a call through the
call-flow engine — the same code the platform's endpoint runs — and print each step: the menu
answering and why, every prompt, key and outcome."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...errors import AppError
from ...services.simulation import Simulation, parse_inputs, simulate_call
from ...timestamps import parse_instant

#: Where ``runserver`` listens: the base of Play URLs when no public base URL is configured.
LOCAL_BASE_URL = "http://127.0.0.1:8000"  # where `make demo` serves

_INPUT_HELP = (
    "Comma-separated caller inputs: keys (1, *, 101#), '-' or nothing for silence, "
    "'say:Some Name' for speech, 'dial:busy' for how a transfer ended, 'record' for a message "
    "left at the tone (a simulation stores nothing)."
)


class Command(BaseCommand):
    help = "Walk a call to NUMBER through the auto attendant and print every prompt and outcome."

    def add_arguments(self, parser) -> None:
        parser.add_argument("number", help="The dialled number (digits; '+', spaces ignored).")
        parser.add_argument("--at", help="The moment of the call (ISO-8601; default now).")
        parser.add_argument("--input", default="", help=_INPUT_HELP)
        parser.add_argument(
            "--base-url",
            help=f"Scheme and host for Play URLs (default PUBLIC_BASE_URL, else {LOCAL_BASE_URL}).",
        )

    def handle(self, *args, **options) -> None:
        try:
            at = parse_instant(options["at"]) if options["at"] else None
            inputs = parse_inputs(options["input"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        base_url = options["base_url"] or settings.PUBLIC_BASE_URL or LOCAL_BASE_URL
        try:
            simulation = simulate_call(
                options["number"], at=at, inputs=inputs, base_url=base_url.rstrip("/")
            )
        except AppError as exc:
            raise CommandError(f"{exc.error_code} {exc.message}: {options['number']}") from None
        self.stdout.write(render(simulation))


def _event(event: tuple[str, ...]) -> str:
    kind, *rest = event
    if kind == "say":
        return f"say: {rest[0]}"
    if kind == "play":
        return f"play: {rest[0]}"
    if kind == "gather":
        return f"gather {rest[0]} (waits for the caller)"
    if kind == "dial":
        return f"DIAL {rest[0]}"
    if kind == "redirect":
        return "on silence: same prompt again"
    if kind == "record":
        return "RECORD a message (until # or silence)"
    return "HANG UP"


def render(simulation: Simulation) -> str:
    """The walk as text, one block per platform request."""
    at = simulation.at.strftime("%Y-%m-%dT%H:%M:%S%z")
    lines = [
        f"Call to {simulation.number} at {at}",
        f"System {simulation.system_name} ({simulation.system_sid}, {simulation.timezone_id}), "
        f"enterprise {simulation.enterprise_sid}",
    ]
    for number, step in enumerate(simulation.steps, start=1):
        caller = "call starts" if step.input is None else step.input.label
        menu = f"{step.menu_name} ({step.menu_sid})" if step.menu_sid else "no menu"
        lines.append("")
        lines.append(f"[{number}] {caller} -> menu {menu}")
        lines.extend(f"    why: {note}" for note in step.notes)
        lines.extend(f"    {_event(event)}" for event in step.events)
    lines.append("")
    endings = {
        "hangup": "Call ended (hang-up).",
        "connected": "Call transferred; the attendant's part is over.",
        "waiting": "Inputs ran out; the call waits for the caller.",
    }
    lines.append(endings[simulation.outcome])
    if simulation.unused_inputs:
        unused = ",".join(i.token for i in simulation.unused_inputs)
        lines.append(f"Inputs not used: {unused}")
    return "\n".join(lines)
