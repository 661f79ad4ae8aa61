"""Call history written straight through the recorder's writer, at instants a test chooses."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

from autoattendant.runtime.recording import store_steps
from tests.builders import make_menu, make_system


def step(
    call_sid,
    system,
    seq,
    at: str,
    *,
    menu="",
    input="",
    key="",
    action="PROMPT",
    outcome="IN_PROGRESS",
    transferred_to="",
    next_menu="",
    caller="15550001111",
    to="15557770000",
    detail="",
):
    """One step tuple as the webhooks hand it to the buffer (``at``: ISO-8601, UTC)."""
    instant = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return (
        call_sid,
        system.enterprise.sid,
        system.sid,
        "rcml",
        to,
        caller,
        seq,
        instant.timestamp(),
        menu,
        input,
        key,
        action,
        detail,
        outcome,
        transferred_to,
        next_menu or menu,
    )


def record_call(
    system,
    call_sid,
    start: str,
    presses: list[tuple[str, str, str]],
    outcome: str,
    *,
    menu,
    caller="15550001111",
    end: str | None = None,
):
    """A call: the prompt at ``start``, then each ``(at, key, action)`` pressed in ``menu``, the
    last step ending with ``outcome``."""
    steps = [step(call_sid, system, 1, start, menu=menu.sid, caller=caller)]
    for n, (at, key, action) in enumerate(presses, start=2):
        last = n == len(presses) + 1
        steps.append(
            step(
                call_sid,
                system,
                n,
                at,
                menu=menu.sid,
                input=key,
                key=key,
                action=action,
                outcome=outcome if last else "IN_PROGRESS",
                caller=caller,
                transferred_to="15559990000" if last and outcome == "TRANSFERRED" else "",
            )
        )
    if end is not None:
        steps.append(
            step(
                call_sid,
                system,
                len(steps) + 1,
                end,
                menu=menu.sid,
                input="dial:completed",
                action="HANGUP",
                outcome=outcome,
                caller=caller,
            )
        )
    store_steps(steps)


@pytest.fixture
def ny_system(enterprise_a):
    system = make_system(enterprise_a, "New York line", timezone_id="America/New_York")
    main = make_menu(system, "Main")
    sales = make_menu(system, "Sales")
    return system, main, sales


# Collected only where what they test exists (the PostgreSQL + Redis pass), never skipped: a
# real worker draining the Redis stream into a database another process can reach.
_ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")
collect_ignore = []
if not _ON_POSTGRESQL:  # writers at once: SQLite's write transactions are serial anyway
    collect_ignore.append("test_roll_up_races.py")
if not (_ON_POSTGRESQL and os.environ.get("REDIS_URL")):
    collect_ignore.append("test_stream_outage.py")
if not os.environ.get("REDIS_URL"):
    collect_ignore.append("test_stream_batching.py")


@pytest.fixture
def restcomm_like(ny_system, client):
    """One entry request to the webhook for the New York system's number."""
    from autoattendant.models import PhoneNumber
    from tests.builders import make_weekly_block

    system, main, _ = ny_system
    make_weekly_block(main, [(day, "00:00", "24:00") for day in range(1, 8)])
    PhoneNumber.objects.create(
        enterprise=system.enterprise, number="15557001234", auto_attendant=system
    )

    def call(caller: str) -> None:
        response = client.post(
            "/autoattendant/internal/rcml", {"To": "15557001234", "From": caller, "CallSid": "CA-x"}
        )
        assert response.status_code == 200

    return call
