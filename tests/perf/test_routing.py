"""The parts of ``autoattendant.runtime.routes`` that need no PostgreSQL server: a connection that
cannot listen still opens, and is not counted as listening (the call flow then reads routes); on
SQLite, when a connection reads the route stamp."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from autoattendant.runtime import routes
from autoattendant.runtime.routes import SQLITE_STAMP_QUERY, RouteWatch


class RefusingConnection:
    """A psycopg connection whose server refuses ``LISTEN`` (a transaction-mode pooler does)."""

    def execute(self, sql: str):
        raise RuntimeError(f"{sql} not supported")


def test_a_connection_that_cannot_listen_still_opens(caplog) -> None:
    watch = RouteWatch()
    raw = RefusingConnection()
    wrapper = SimpleNamespace(vendor="postgresql", connection=raw)
    watch.connection_created(sender=None, connection=wrapper)  # does not raise
    assert raw not in watch._listening
    assert "Could not listen for route changes" in caplog.text


@pytest.mark.parametrize("setting", [("vendor", "sqlite"), ("notifications", False)])
def test_other_databases_and_notifications_off_do_not_listen(settings, setting) -> None:
    name, value = setting
    settings.CALLFLOW_ROUTE_NOTIFICATIONS = value if name == "notifications" else True
    watch = RouteWatch()
    raw = RefusingConnection()  # would log a refusal if it were asked
    wrapper = SimpleNamespace(vendor=value if name == "vendor" else "postgresql", connection=raw)
    watch.connection_created(sender=None, connection=wrapper)
    assert raw not in watch._listening


class Diagnostic(SimpleNamespace):
    """What psycopg hands a notice handler."""


class WeakRefable:
    """Stands for a raw connection (WeakSets need weak references)."""


@pytest.mark.parametrize(
    ("severity", "lost"), [("FATAL", True), ("PANIC", True), ("WARNING", False)]
)
def test_only_a_terminating_notice_marks_a_connection_lost(severity, lost) -> None:
    watch = RouteWatch()
    raw = WeakRefable()
    before = watch._generation
    watch._noticed(raw, Diagnostic(severity_nonlocalized=severity))
    assert (raw in watch._lost) is lost
    assert (watch._generation > before) is lost


class BrokenSqlite:
    """A SQLite connection that can no longer answer (a file gone, a closed handle)."""

    def execute(self, sql: str):
        raise RuntimeError("unable to open database file")


def test_an_unanswerable_sqlite_connection_reads_routes_every_time(caplog) -> None:
    watch = RouteWatch()
    wrapper = SimpleNamespace(vendor="sqlite", connection=BrokenSqlite())
    assert watch._sqlite_generation(wrapper) is None
    assert "SQLite change check unavailable" in caplog.text


class CountingSqlite:
    """A SQLite connection whose route stamp, and own count of changed rows, the test moves;
    it counts the stamp's reads."""

    def __init__(self) -> None:
        self.version = 1
        self.total_changes = 0
        self.reads = 0

    def execute(self, sql: str):
        assert sql == SQLITE_STAMP_QUERY
        self.reads += 1
        return SimpleNamespace(fetchone=lambda: (self.version,))


@pytest.fixture
def clock(monkeypatch):
    """The routes module's monotonic clock, moved by the test."""
    now = SimpleNamespace(value=1000.0)
    monkeypatch.setattr(routes.time, "monotonic", lambda: now.value)
    return now


@pytest.fixture
def sqlite(clock):
    """A route watch and a counting SQLite connection, looked at through ``generation()``."""
    watch = RouteWatch()
    wrapper = SimpleNamespace(vendor="sqlite", connection=CountingSqlite())
    return SimpleNamespace(
        wrapper=wrapper,
        raw=wrapper.connection,
        generation=lambda: watch._sqlite_generation(wrapper),
    )


def test_sqlite_generation_moves_when_the_route_stamp_moves(sqlite, clock) -> None:
    first = sqlite.generation()
    clock.value += 1
    assert sqlite.generation() == first  # nothing changed
    sqlite.raw.version += 1  # a route table was written
    clock.value += 1
    assert sqlite.generation() != first


def test_the_route_stamp_is_read_at_most_every_check_interval(settings, sqlite, clock) -> None:
    settings.CALLFLOW_ROUTE_CHECK_MS = 100
    first = sqlite.generation()
    sqlite.raw.version += 1  # another connection wrote a route
    clock.value += 0.099
    assert sqlite.generation() == first
    assert sqlite.raw.reads == 1
    clock.value += 0.001
    assert sqlite.generation() != first
    assert sqlite.raw.reads == 2


def test_a_connections_own_write_has_the_stamp_read_at_once(sqlite) -> None:
    first = sqlite.generation()
    sqlite.raw.version += 1
    sqlite.raw.total_changes += 1  # this connection wrote (a route, as it happens)
    assert sqlite.generation() != first
    assert sqlite.raw.reads == 2


def test_a_new_connection_reads_the_stamp_at_once(sqlite) -> None:
    sqlite.generation()
    # Closed and opened again: what it missed is unknown.
    sqlite.wrapper.connection = CountingSqlite()
    sqlite.generation()
    assert sqlite.wrapper.connection.reads == 1


def test_with_a_zero_interval_every_call_reads_the_stamp(settings, sqlite) -> None:
    settings.CALLFLOW_ROUTE_CHECK_MS = 0
    for _ in range(3):
        sqlite.generation()
    assert sqlite.raw.reads == 3
