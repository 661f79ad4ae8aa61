"""The process's writer thread (``batch`` mode): one long-lived thread writes the steps gathered
every ``CALL_RECORDING_FLUSH_SECONDS``, keeping its database connection between batches; a
failed write is tried again by the thread alone; and a process that exits normally (a gunicorn
worker recycled or stopped) writes what it still holds."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.db.backends.signals import connection_created

from autoattendant.models import Call, CallStep
from autoattendant.runtime import recording

pytestmark = pytest.mark.django_db(transaction=True)

WRITER = recording._LocalBuffer.THREAD_NAME


@pytest.fixture
def writer(settings):
    """Batch mode with a short interval, and the writer thread ended (its connection closed)
    after the test."""
    settings.CALL_RECORDING = "batch"
    settings.CALL_RECORDING_FLUSH_SECONDS = 0.05
    opened: list[str] = []

    def count(sender, connection, **kwargs) -> None:
        opened.append(threading.current_thread().name)

    connection_created.connect(count)
    yield opened
    connection_created.disconnect(count)
    recording.stop()


def _written(call_sid: str, steps: int = 1, timeout: float = 10.0) -> bool:
    """Whether the call's steps are in the database before ``timeout`` (polled). A read the
    writer's transaction holds up is tried again: the SQLite test database is an in-memory one
    shared between threads, where a reader meets a writer's table lock at once ("database table
    is locked") instead of reading the last commit as a database file's readers do."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if CallStep.objects.filter(call__call_sid=call_sid).count() >= steps:
                return True
        except OperationalError:
            pass
        time.sleep(0.01)
    return False


def _call(client, call_sid: str) -> None:
    response = client.post(
        "/autoattendant/internal/rcml",
        {"To": "15557001234", "From": "15550004444", "CallSid": call_sid},
    )
    assert response.status_code == 200


@pytest.fixture
def numbered(restcomm_like):
    """The New York system's number answering (``restcomm_like`` sets it up)."""
    return restcomm_like


def test_one_thread_writes_every_batch_on_one_connection(writer, numbered, client):
    _call(client, "CA-first")
    assert _written("CA-first")
    thread = recording._local.thread
    assert thread is not None and thread.name == WRITER and thread.is_alive()

    _call(client, "CA-second")
    assert _written("CA-second")
    assert recording._local.thread is thread  # the same thread for the next batch
    assert writer.count(WRITER) == 1  # which kept its connection
    assert set(Call.objects.values_list("call_sid", flat=True)) >= {"CA-first", "CA-second"}


def test_a_failed_write_is_tried_again_without_another_call(writer, numbered, client, monkeypatch):
    store = recording.store_steps
    failures = []

    def refuse_once(steps):
        if not failures:
            failures.append(1)
            raise OperationalError("database is locked")
        return store(steps)

    monkeypatch.setattr(recording, "store_steps", refuse_once)
    _call(client, "CA-retried")
    assert _written("CA-retried")  # no other call, no read: the thread tried again
    assert failures == [1]


def test_stop_writes_what_is_held_and_ends_the_thread(writer, numbered, client, settings):
    settings.CALL_RECORDING_FLUSH_SECONDS = 3600  # the thread would wait an hour
    _call(client, "CA-held")
    thread = recording._local.thread
    assert thread is not None and thread.is_alive()
    assert not CallStep.objects.filter(call__call_sid="CA-held").exists()

    recording.stop()
    assert not thread.is_alive()
    assert CallStep.objects.filter(call__call_sid="CA-held").count() == 1
    assert recording.pending() == 0


EXIT_SCRIPT = """
from django.test import Client
response = Client().post(
    "/autoattendant/internal/rcml",
    {"To": "15550100100", "From": "15550006666", "CallSid": "CA-at-exit"},
)
assert response.status_code == 200 and b"<Gather" in response.content, response.content
"""


def test_a_process_exiting_normally_writes_what_it_holds(tmp_path):
    """As a gunicorn worker recycled after ``max_requests``: its last steps are not lost."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    db_file = tmp_path / "exit.sqlite3"
    env.update(
        SQLITE_PATH=str(db_file),
        LOG_LEVEL="WARNING",
        MEDIA_ROOT=str(tmp_path / "media"),
        CALL_RECORDING_FLUSH_SECONDS="3600",  # only the exit can write it in time
    )
    manage = [sys.executable, str(django_settings.BASE_DIR / "manage.py")]
    for args in (["migrate", "-v0"], ["load_demo"], ["shell", "-c", EXIT_SCRIPT]):
        done = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [*manage, *args], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr

    with sqlite3.connect(db_file) as db:
        rows = db.execute(
            "SELECT c.from_number, COUNT(s.id) FROM autoattendant_call c"
            " JOIN autoattendant_callstep s ON s.call_id = c.id"
            " WHERE c.call_sid = 'CA-at-exit' GROUP BY c.id"
        ).fetchall()
    assert rows == [("15550006666", 1)]
