"""On SQLite, remembered routes are dropped when a route table is written (migration 0006's
triggers move the route stamp), by this connection at once and by any other within
``CALLFLOW_ROUTE_CHECK_MS``, and only then: the call history's writes or a menu's change leave them
alone (collected on SQLite)."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections

from autoattendant.models import Menu, PhoneNumber
from autoattendant.runtime import routes
from autoattendant.runtime.routes import route_watch

from .conftest import MAIN_NUMBER

pytestmark = pytest.mark.django_db(transaction=True)


def _generation() -> int | None:
    connection.ensure_connection()
    return route_watch.generation()


def test_a_route_write_moves_the_generation_and_other_writes_do_not(world):
    first = _generation()
    assert first is not None
    assert _generation() == first
    Menu.objects.filter(pk=world.main.pk).update(name="Renamed")  # not a route table
    assert _generation() == first
    PhoneNumber.objects.filter(number=MAIN_NUMBER).update(number="15557770001")
    second = _generation()
    assert second != first
    world.system.save()  # the system row (its flow version, its status) is part of a route
    assert _generation() != second


def test_a_write_by_another_connection_is_seen_within_the_check_interval(world, monkeypatch):
    first = _generation()

    def write() -> None:
        try:
            PhoneNumber.objects.filter(number=MAIN_NUMBER).delete()
        finally:
            connections.close_all()

    writer = threading.Thread(target=write)
    writer.start()
    writer.join()
    assert _generation() == first  # not looked for yet: at most every CALLFLOW_ROUTE_CHECK_MS
    later = time.monotonic() + settings.CALLFLOW_ROUTE_CHECK_MS / 1000
    monkeypatch.setattr(routes.time, "monotonic", lambda: later)
    assert _generation() != first
