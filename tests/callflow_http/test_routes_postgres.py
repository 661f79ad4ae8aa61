"""Remembered routes on PostgreSQL (``autoattendant.runtime.routes``), with real commits: a warm call
needs no query at all, and a change is heard by the next call whoever commits it — this
connection (at its own COMMIT), another connection (as soon as PostgreSQL delivers the
notification), a bulk UPDATE — and a lost listening connection costs no call. The whole
invalidation suite runs again here with committed writes, so remembered routes are in play.
Collected only on PostgreSQL (see ``conftest.py``)."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import SystemStatus
from autoattendant.models import AutoAttendantSystem, PhoneNumber
from autoattendant.runtime.routes import local_routes, route_watch
from tests.callflow_http.conftest import MAIN_NUMBER, Platform, world  # noqa: F401 - fixture
from tests.callflow_http.test_invalidation import *  # noqa: F403 - rerun with real commits

pytestmark = pytest.mark.django_db(transaction=True)


def queries(fetch) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        doc = fetch()
    return len(ctx.captured_queries), doc


def other_connection() -> psycopg.Connection:
    """A connection of another process, as far as this one can tell."""
    params = connection.get_connection_params()
    for name in ("context", "cursor_factory", "prepare_threshold"):
        params.pop(name, None)
    return psycopg.connect(**params, autocommit=True)


def warm(call: Platform):
    call.start()  # listens, reads the route, compiles the flow
    return call.start()


def test_a_warm_call_needs_no_query(world):  # noqa: F811
    call = Platform()
    doc = warm(call)
    count, again = queries(call.start)
    assert count == 0 and again.gather is not None
    call.press(doc, "4")
    count, sales = queries(lambda: call.press(doc, "4"))
    assert count == 0 and "Sales" not in sales.says  # Sales has no announcement
    assert sales.gather is not None


def test_a_change_committed_by_another_connection_is_heard_once_delivered(world):  # noqa: F811
    call = Platform()
    warm(call)
    with other_connection() as other:
        other.execute(
            "UPDATE autoattendant_autoattendantsystem SET status = %s WHERE id = %s",
            (SystemStatus.SUSPENDED, world.system.pk),
        )
    # PostgreSQL delivers the notification at commit; allow it the time to cross the socket.
    deadline = time.monotonic() + 5
    doc = call.start()
    while doc.gather is not None and time.monotonic() < deadline:
        time.sleep(0.001)
        doc = call.start()
    assert doc.hung_up and doc.gather is None


def test_a_bulk_update_is_heard_by_the_next_call(world):  # noqa: F811
    call = Platform()
    warm(call)
    PhoneNumber.objects.filter(pk=world.number.pk).update(auto_attendant=None)
    doc = call.start()
    assert doc.hung_up  # the number answers nothing any more: an apology


def test_a_suspension_committed_here_is_heard_at_once(world):  # noqa: F811
    call = Platform()
    doc = warm(call)
    with transaction.atomic():
        AutoAttendantSystem.objects.filter(pk=world.system.pk).update(status=SystemStatus.SUSPENDED)
    assert call.start().hung_up
    assert call.press(doc, "4").hung_up


def test_a_lost_listening_connection_costs_no_call(world):  # noqa: F811
    call = Platform()
    warm(call)
    pid = connection.connection.info.backend_pid
    with other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 5
        while (
            time.monotonic() < deadline
            and other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
        ):
            time.sleep(0.01)  # until the server has closed the socket
    doc = call.start()
    assert doc.gather is not None  # read again on a new connection, not an apology
    # The new connection listens, and routes are remembered again.
    counts = [queries(call.start)[0] for _ in range(3)]
    assert counts[-1] == 0, counts


def test_a_new_connection_listens_as_it_opens(world):  # noqa: F811
    call = Platform()
    warm(call)
    connection.close()
    assert queries(call.start)[0] == 1  # the route only: listening came with the connection
    assert queries(call.start)[0] == 0


def test_nothing_is_remembered_inside_a_transaction(world):  # noqa: F811
    call = Platform()
    warm(call)
    with transaction.atomic():
        assert queries(call.start)[0] == 1


@pytest.mark.parametrize(
    "setting", [("CALLFLOW_ROUTES_MAX_AGE", 0), ("CALLFLOW_ROUTE_NOTIFICATIONS", False)]
)
def test_routes_can_be_read_every_time(world, settings, setting):  # noqa: F811
    name, value = setting
    setattr(settings, name, value)
    call = Platform()
    warm(call)
    assert queries(call.start)[0] == 1


def test_remembered_routes_are_bounded(world, settings):  # noqa: F811
    settings.CALLFLOW_LOCAL_ROUTES = 1
    call = Platform()
    warm(call)
    Platform(to="+1 555 000 1234").start()  # no such number: not remembered
    assert len(local_routes) == 1
    generation = route_watch.generation()
    assert generation is not None and local_routes.get(("number", MAIN_NUMBER))[0] == generation


def _terminate_and_wait(pid: int, other: psycopg.Connection) -> None:
    other.execute("SELECT pg_terminate_backend(%s)", (pid,))
    deadline = time.monotonic() + 5
    while (
        time.monotonic() < deadline
        and other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
    ):
        time.sleep(0.01)  # until the server has closed the socket


@pytest.mark.parametrize("trial", range(5))
def test_a_change_made_while_the_connection_was_lost_is_never_missed(world, trial):  # noqa: F811
    """The notification of a change committed while this process's connection was dead never
    reaches it: a remembered route must not outlive the connection that listened for it."""
    call = Platform()
    warm(call)
    assert queries(call.start)[0] == 0  # remembered
    pid = connection.connection.info.backend_pid
    with other_connection() as other:
        _terminate_and_wait(pid, other)
        other.execute(
            "UPDATE autoattendant_autoattendantsystem SET status = %s WHERE id = %s",
            (SystemStatus.SUSPENDED, world.system.pk),
        )
    doc = call.start()
    assert doc.status == 200 and doc.hung_up and doc.gather is None  # the suspension is heard
