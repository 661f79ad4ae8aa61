"""The retention purge, closing idle calls, ``forget_caller`` and the tasks beat runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from autoattendant.models import Call, CallStep
from autoattendant.runtime import recording
from autoattendant.services.calls import close_idle_calls, purge_history
from autoattendant.tasks import close_idle_calls as close_task
from autoattendant.tasks import drain_call_steps, purge_call_history

from .conftest import record_call, step

pytestmark = pytest.mark.django_db


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def test_the_purge_deletes_calls_older_than_the_retention_with_their_steps(ny_system, settings):
    system, main, _ = ny_system
    settings.CALL_HISTORY_DAYS = 90
    now = datetime.now(UTC)
    record_call(
        system,
        "CA-old",
        _iso(now - timedelta(days=91)),
        [(_iso(now - timedelta(days=91)), "1", "HANGUP")],
        "HUNG_UP_BY_FLOW",
        menu=main,
    )
    record_call(system, "CA-new", _iso(now - timedelta(days=89)), [], "IN_PROGRESS", menu=main)
    assert purge_history(batch=1) == 1
    assert list(Call.objects.values_list("call_sid", flat=True)) == ["CA-new"]
    assert CallStep.objects.count() == 1
    assert purge_call_history.apply().get() == 0  # again: nothing left to purge
    out = StringIO()
    call_command("purge_call_history", stdout=out)
    assert "0 call(s) older than 90 days deleted" in out.getvalue()


def test_idle_calls_close_once_and_a_late_step_reopens_them(ny_system, settings):
    system, main, _ = ny_system
    settings.CALL_IDLE_SECONDS = 120
    start = datetime.now(UTC) - timedelta(seconds=300)
    record_call(system, "CA-idle", _iso(start), [], "IN_PROGRESS", menu=main)
    record_call(system, "CA-busy", _iso(datetime.now(UTC)), [], "IN_PROGRESS", menu=main)
    assert close_task.apply().get() == 1
    assert close_idle_calls() == 0
    assert Call.objects.get(call_sid="CA-idle").outcome == "CALLER_HUNG_UP"
    assert Call.objects.get(call_sid="CA-busy").outcome == "IN_PROGRESS"
    # The platform's next request arrives after all (a delayed drain): the call has its outcome.
    recording.store_steps(
        [
            step(
                "CA-idle",
                system,
                2,
                _iso(start + timedelta(seconds=10)),
                menu=main.sid,
                input="9",
                key="9",
                action="HANGUP",
                outcome="HUNG_UP_BY_FLOW",
            )
        ]
    )
    assert Call.objects.get(call_sid="CA-idle").outcome == "HUNG_UP_BY_FLOW"


def test_forget_caller_erases_the_number_everywhere(ny_system):
    system, main, _ = ny_system
    record_call(
        system, "CA-1", "2026-01-05T14:00:00Z", [], "IN_PROGRESS", menu=main, caller="15550001111"
    )
    record_call(
        system, "CA-2", "2026-01-05T15:00:00Z", [], "IN_PROGRESS", menu=main, caller="15559998888"
    )
    recording.store_steps(
        [
            step(
                "CA-3",
                system,
                1,
                "2026-01-05T16:00:00Z",
                menu=main.sid,
                caller="15559998888",
                action="TRANSFER_TO_PHONE",
                outcome="TRANSFERRED",
                transferred_to="15550001111",
                detail="key 1: TRANSFER_TO_PHONE 15550001111; dialling 15550001111",
            )
        ]
    )
    out = StringIO()
    call_command("forget_caller", "+1 555-000-1111", stdout=out)
    assert "erased from 2 call field(s)" in out.getvalue()
    assert Call.objects.get(call_sid="CA-1").from_number == ""
    assert Call.objects.get(call_sid="CA-2").from_number == "15559998888"
    third = Call.objects.get(call_sid="CA-3")
    assert third.transferred_to == ""
    assert "15550001111" not in third.steps.get().detail
    assert not CallStep.objects.filter(transferred_to="15550001111").exists()
    with pytest.raises(CommandError):
        call_command("forget_caller", "nobody")


def test_forget_caller_reaches_steps_still_in_the_buffer(ny_system, restcomm_like):
    restcomm_like(caller="15550004444")
    assert recording.pending() > 0
    call_command("forget_caller", "15550004444", stdout=StringIO())
    assert recording.pending() == 0
    assert Call.objects.get().from_number == ""


def test_the_drain_task_writes_what_the_buffer_holds(ny_system, restcomm_like):
    restcomm_like(caller="15550005555")
    assert Call.objects.count() == 0
    assert drain_call_steps.apply().get() == 1
    assert Call.objects.get().from_number == "15550005555"


def test_with_the_stream_unreachable_calls_go_on_and_their_steps_are_kept(
    ny_system, restcomm_like, settings
):
    settings.CALL_RECORDING = "stream"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    restcomm_like(caller="15550006666")  # answered (the fixture checks the 200)
    restcomm_like(caller="15550006666")  # the stream is not tried again for a while
    assert recording.flush_local() == 2
    assert Call.objects.get().from_number == "15550006666"
