"""The roll-ups are changed by what a batch changes (``RollUpChanges``), never recomputed from
the calls a quarter hour holds: after any mix of batches — new calls, later steps, a step
delivered twice, an earlier step arriving late and moving the call to another quarter hour,
idle calls closed and reopened — they must equal what counting every call gives, and each call's
summary what its steps say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from autoattendant.models import Call, CallBucket, KeyPressBucket
from autoattendant.runtime.call_buckets import refresh_buckets
from autoattendant.runtime.recording import store_steps
from autoattendant.services.calls import close_idle_calls

from .conftest import step

START = datetime(2026, 3, 2, 9, 50, tzinfo=UTC)
OUTCOMES = ["IN_PROGRESS", "TRANSFERRED", "HUNG_UP_BY_FLOW", "INVALID_INPUT"]

# One delivered step: call (of 6), step number, minutes after START (crossing quarter hours),
# key pressed (or none), the outcome the step leaves the call in.
steps_strategy = st.tuples(
    st.integers(0, 5),
    st.integers(1, 5),
    st.integers(0, 40),
    st.sampled_from(["", "1", "2", "*"]),
    st.sampled_from(OUTCOMES),
)
batches_strategy = st.lists(
    st.one_of(st.lists(steps_strategy, min_size=1, max_size=8), st.just("close")),
    min_size=1,
    max_size=6,
)


def _rows():
    calls = sorted(
        CallBucket.objects.values_list(
            "enterprise_id", "system_sid", "bucket", "outcome", "calls", "seconds"
        )
    )
    presses = sorted(
        KeyPressBucket.objects.values_list(
            "enterprise_id", "system_sid", "bucket", "menu_sid", "key", "presses"
        )
    )
    return calls, presses


@examples(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=batches_strategy)
def test_the_roll_ups_always_equal_counting_the_calls(ny_system, settings, batches):
    system, main, sales = ny_system
    Call.objects.all().delete()
    CallBucket.objects.all().delete()
    KeyPressBucket.objects.all().delete()
    settings.CALL_IDLE_SECONDS = 600
    for batch in batches:
        if batch == "close":
            close_idle_calls(now=START + timedelta(hours=2))
            continue
        store_steps(
            step(
                f"CA{call}",
                system,
                seq,
                (START + timedelta(minutes=minutes, seconds=seq)).isoformat(),
                menu=(main if seq % 2 else sales).sid,
                input=key,
                key=key,
                action="GO_TO_MENU" if key else "PROMPT",
                outcome=outcome,
                transferred_to="15559990000" if key == "*" else "",
                next_menu=(sales if key else main).sid,
            )
            for call, seq, minutes, key, outcome in batch
        )
    incremental = _rows()
    refresh_buckets(Call.objects.values_list("enterprise_id", "start_time"))  # counting every call
    assert _rows() == incremental
    for call in Call.objects.prefetch_related("steps"):
        _assert_summarises_its_steps(call)


def _assert_summarises_its_steps(call: Call) -> None:
    """A call's summary, however its steps arrived (in order, repeated, late), is what its steps
    say: first and last times, the last transfer, the menus in step order, the last step's
    outcome (or the idle closing's, while no later step reopened it)."""
    steps = sorted(call.steps.all(), key=lambda row: row.seq)
    assert call.start_time == min(row.time for row in steps)
    assert call.end_time == max(row.time for row in steps)
    assert call.duration_seconds == round((call.end_time - call.start_time).total_seconds())
    assert call.transferred_to == next(
        (s.transferred_to for s in steps[::-1] if s.transferred_to), ""
    )
    path = []
    for row in steps:
        for menu in (row.menu_sid, row.next_menu_sid):
            if menu and (not path or path[-1] != menu):
                path.append(menu)
    assert call.menu_path == path
    if call.outcome != "CALLER_HUNG_UP":
        assert call.outcome == steps[-1].outcome


def test_a_batch_larger_than_a_statement_s_parameters_is_written_whole(ny_system):
    """After a long database outage a process's buffer holds thousands of one enterprise's
    steps: the calls are looked up a few hundred CallSids per statement, whatever the
    database's parameter limit (999 in SQLite before 3.32; this batch takes several
    statements), and every call is found."""
    system, main, _ = ny_system
    calls = 2_500
    at = START.isoformat()
    store_steps(step(f"CA{n}", system, 1, at, menu=main.sid) for n in range(calls))
    later = (START + timedelta(seconds=30)).isoformat()
    store_steps(
        step(f"CA{n}", system, 2, later, menu=main.sid, input="1", key="1", outcome="TRANSFERRED")
        for n in range(calls)
    )
    assert Call.objects.count() == calls
    assert Call.objects.filter(outcome="TRANSFERRED", duration_seconds=30).count() == calls
    incremental = _rows()
    refresh_buckets(Call.objects.values_list("enterprise_id", "start_time"))
    assert _rows() == incremental
    assert sum(row[4] for row in incremental[0]) == calls  # every call once in the roll-ups


def test_new_calls_take_ids_no_other_call_has_or_had(ny_system):
    """The writer reserves the ids of the calls it creates before inserting them (PostgreSQL's
    sequence, SQLite's largest id ever given): the id of a deleted call is never given again,
    and a call the ORM saves afterwards gets a fresh one — each step lands on its own call."""
    system, main, _ = ny_system
    at = START.isoformat()
    store_steps(step(f"CA{n}", system, 1, at, menu=main.sid) for n in range(3))
    highest = Call.objects.order_by("-id").first()
    deleted_id = highest.id
    highest.delete()
    store_steps(step(f"CAnew{n}", system, 1, at, menu=main.sid) for n in range(3))
    new = list(Call.objects.filter(call_sid__startswith="CAnew"))
    assert len({call.id for call in new}) == len({call.sid for call in new}) == 3
    assert min(call.id for call in new) > deleted_id
    for call in new:
        assert list(call.steps.values_list("seq", flat=True)) == [1]
    other = Call.objects.create(
        enterprise=system.enterprise, call_sid="CAorm", start_time=START, end_time=START
    )
    assert other.id > max(call.id for call in new)


def test_a_later_step_stamped_before_the_last_one_keeps_the_calls_end(ny_system):
    """Step numbers order a call's steps; times can disagree (two web servers' clocks). A step
    that extends the call without being its latest in time leaves its end where it was."""
    system, main, _ = ny_system
    at = [(START + timedelta(seconds=s)).isoformat() for s in (10, 30, 20)]
    store_steps([step("CA-clock", system, 1, at[0], menu=main.sid)])
    store_steps([step("CA-clock", system, 2, at[1], menu=main.sid, key="1", input="1")])
    store_steps([step("CA-clock", system, 3, at[2], menu=main.sid, key="2", input="2")])
    call = Call.objects.get(call_sid="CA-clock")
    assert call.end_time == START + timedelta(seconds=30)
    assert call.duration_seconds == 20
    _assert_summarises_its_steps(call)
