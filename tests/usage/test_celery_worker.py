"""A real Celery worker runs the roll-up sent through the broker, not eagerly.

Collected only with PostgreSQL and Redis (see conftest): the worker is another process, so it
needs a broker and the test database on a server. The test's data is committed
(``transaction=True``) and the worker is pointed at the test database by name. It consumes a
queue of its own, so it never takes another worker's messages or leaves its own behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from aa_project.celery import app as celery_app
from autoattendant.models import MonthlyUsage
from autoattendant.tasks import rollup_usage

from .conftest import add_number

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 60


def _test_database_url() -> str:
    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def test_a_worker_rolls_up_a_month_sent_through_the_broker(enterprise_a, enterprise_b, tmp_path):
    add_number(enterprise_a, "2024-04-02")
    add_number(enterprise_a, "2024-05-05", "2024-05-25")
    add_number(enterprise_b, "2024-05-31T23:00", extension=True)
    assert not celery_app.conf.task_always_eager  # REDIS_URL set: tasks go through the broker

    queue = f"usage-test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DB_CONN_MAX_AGE": "0",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 - the project's own worker, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "aa_project",
            "worker",
            "--pool=solo",
            "-c",
            "1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        rollup_usage.apply_async(args=["2024-05"], queue=queue)
        deadline = time.monotonic() + WAIT_SECONDS
        while MonthlyUsage.objects.count() < 2:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.25)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()

    rows = dict(MonthlyUsage.objects.values_list("enterprise__sid", "count"))
    assert rows == {enterprise_a.sid: 2, enterprise_b.sid: 1}
    assert "succeeded" in (tmp_path / "worker.log").read_text()
