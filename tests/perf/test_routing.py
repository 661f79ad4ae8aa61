"""The parts of ``autoattendant.runtime.routes`` that need no PostgreSQL server: a connection that
cannot listen still opens, and is not counted as listening (the call flow then reads routes)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

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
    """A SQLite connection whose route stamp the test moves."""

    def __init__(self) -> None:
        self.version = 1

    def execute(self, sql: str):
        assert sql == SQLITE_STAMP_QUERY
        return SimpleNamespace(fetchone=lambda: (self.version,))


def test_sqlite_generation_moves_when_the_route_stamp_moves() -> None:
    watch = RouteWatch()
    raw = CountingSqlite()
    wrapper = SimpleNamespace(vendor="sqlite", connection=raw)
    first = watch._sqlite_generation(wrapper)
    assert watch._sqlite_generation(wrapper) == first  # nothing changed
    raw.version += 1  # a route table was written
    assert watch._sqlite_generation(wrapper) != first
