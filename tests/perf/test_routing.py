"""The parts of ``autoattendant.runtime.routes`` that need no PostgreSQL server: a connection that
cannot listen still opens, and is not counted as listening (the call flow then reads routes)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from autoattendant.runtime.routes import RouteWatch


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
