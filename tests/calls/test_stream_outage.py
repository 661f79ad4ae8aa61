"""A database outage loses no step (DESIGN §13): calls run while the drainer's database is
unreachable; their steps wait in the Redis stream; once the database is back, a real Celery
worker writes every one of them, once.

The worker reaches PostgreSQL through a TCP relay this test owns: closed, the worker's
connections are refused (an outage); opened, they go through. The webhook itself keeps its own
direct connection, as a web tier beside a failed database replica or network path would.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import uuid
from urllib.parse import urlsplit

import pytest

from aa_project.celery import app as celery_app
from autoattendant.choices import ActionType as A
from autoattendant.models import Call, CallStep, PhoneNumber
from autoattendant.runtime import recording
from autoattendant.tasks import drain_call_steps
from tests.builders import make_menu, make_system, make_weekly_block
from tests.platform.restcomm import RestcommPlatform
from tests.workers import celery_worker, wait_for, worker_database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


class Relay:
    """A TCP relay from a local port to PostgreSQL's; refuses connections until opened."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()  # nothing listens there: connections are refused
        self.server: socket.socket | None = None

    def open(self) -> None:
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def test_steps_recorded_while_the_database_is_down_are_all_written_once_it_returns(
    enterprise_a, tmp_path
):
    assert recording.mode() == "stream" and not celery_app.conf.task_always_eager
    system = make_system(enterprise_a, "Outage line", timeout_max=2)
    main = make_menu(system, "Main", keys={"1": (A.TRANSFER_TO_PHONE, "15557009999")})
    make_weekly_block(main, [(day, "00:00", "24:00") for day in range(1, 8)])
    PhoneNumber.objects.create(enterprise=enterprise_a, number="15557008000", auto_attendant=system)

    database = urlsplit(os.environ["DATABASE_URL"])
    relay = Relay((database.hostname or "127.0.0.1", database.port or 5432))
    queue = f"calls-test-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"
    worker_url = worker_database_url(f"{database.username or 'postgres'}@127.0.0.1:{relay.port}")
    try:
        with celery_worker(queue, log_path, DATABASE_URL=worker_url) as worker:
            # The database is unreachable for the worker while four calls run.
            platform = RestcommPlatform(to="15557008000")
            for script in (["1", "dial:completed"], ["", ""], ["7", "1", "dial:busy"], []):
                platform.call(script)
            recorded = recording.pending()
            assert recorded == 3 + 3 + 4 + 1  # a step per request of each call
            for _ in range(2):
                drain_call_steps.apply_async(queue=queue)
            wait_for(lambda: log_path.read_text().count("not written yet") >= 2, worker, log_path)
            assert recording.pending() == recorded  # nothing acknowledged, nothing lost
            assert Call.objects.count() == 0

            relay.open()  # the database is back
            drain_call_steps.apply_async(queue=queue)
            wait_for(lambda: recording.pending() == 0, worker, log_path, "not drained")
            assert Call.objects.count() == 4
            assert CallStep.objects.count() == recorded
            outcomes = sorted(Call.objects.values_list("outcome", flat=True))
            assert outcomes == ["HUNG_UP_BY_FLOW", "IN_PROGRESS", "IN_PROGRESS", "TRANSFERRED"]
    finally:
        relay.close()
