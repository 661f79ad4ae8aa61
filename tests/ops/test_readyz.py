"""``GET /readyz``: the database, the cache and the broker each answer, or 503 names the ones that
do not. Outages are real where they can be (a closed port for Redis), simulated where they
cannot (the test database's connection refusing to open)."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from django.db import OperationalError, connections
from django.test import Client, override_settings

from autoattendant import ops

pytestmark = pytest.mark.django_db

#: Nothing listens on the discard port: connecting is refused at once.
CLOSED = "redis://127.0.0.1:9/0"
BROKEN_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CLOSED,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
BROKEN_BROKER = {"CELERY_TASK_ALWAYS_EAGER": False, "CELERY_BROKER_URL": CLOSED}


def refuse_connections(monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)


def readyz():
    started = time.monotonic()
    r = Client().get("/readyz")
    assert time.monotonic() - started < 10, "a readiness check must not hang"
    assert "no-cache" in r["Cache-Control"]
    return r.status_code, r.json()


def test_it_is_ready_when_everything_answers(settings):
    # The embedded default runs tasks eagerly (no broker); with REDIS_URL the broker is Redis.
    broker = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert readyz() == (200, {"database": "ok", "cache": "ok", "broker": broker})


def test_without_a_broker_celery_is_eager_and_ready():
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True, CELERY_BROKER_URL="memory://"):
        assert readyz() == (200, {"database": "ok", "cache": "ok", "broker": "eager"})


def test_a_reachable_broker_is_ok_even_in_memory():
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="memory://"):
        assert readyz() == (200, {"database": "ok", "cache": "ok", "broker": "ok"})


def test_it_names_the_database_when_it_is_down(monkeypatch, caplog, settings):
    refuse_connections(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="autoattendant.ops"):
        status, body = readyz()
    assert status == 503
    assert body["database"] == "unavailable"
    assert body["cache"] == "ok" and body["broker"] in ("ok", "eager")
    assert "database unavailable: OperationalError: connection refused" in caplog.text


def test_it_names_the_cache_when_redis_is_unreachable():
    with override_settings(CACHES=BROKEN_CACHE):
        status, body = readyz()
    assert status == 503
    assert body["cache"] == "unavailable"
    assert body["database"] == "ok" and body["broker"] in ("ok", "eager")


def test_it_names_the_broker_when_redis_is_unreachable():
    with override_settings(**BROKEN_BROKER):
        assert readyz() == (503, {"database": "ok", "cache": "ok", "broker": "unavailable"})


def test_it_names_everything_that_is_down_at_once(monkeypatch):
    refuse_connections(monkeypatch)
    with override_settings(CACHES=BROKEN_CACHE, **BROKEN_BROKER):
        status, body = readyz()
    assert status == 503
    assert body == {"database": "unavailable", "cache": "unavailable", "broker": "unavailable"}


@pytest.fixture
def silent_server():
    """``redis://…`` of a server that accepts connections and never says a word: a hung Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def test_a_hung_cache_is_named_within_its_timeout(silent_server):
    hung = {"default": {**BROKEN_CACHE["default"], "LOCATION": silent_server}}
    started = time.monotonic()
    with override_settings(CACHES=hung):
        status, body = readyz()
    assert (status, body["cache"]) == (503, "unavailable")
    assert time.monotonic() - started < 5


def test_a_hung_broker_is_named_within_the_probe_timeout(silent_server, monkeypatch):
    monkeypatch.setattr(ops, "PROBE_TIMEOUT", 0.5)
    started = time.monotonic()
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=silent_server):
        assert readyz() == (503, {"database": "ok", "cache": "ok", "broker": "unavailable"})
    assert time.monotonic() - started < 5
