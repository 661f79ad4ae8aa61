"""A real Celery worker runs the roll-up sent through the broker, not eagerly.

Collected only with PostgreSQL and Redis (see conftest): the worker is another process, so it
needs a broker and the test database on a server. The test's data is committed
(``transaction=True``) and the worker is pointed at the test database by name. It consumes a
queue of its own, so it never takes another worker's messages or leaves its own behind.
"""

from __future__ import annotations

import uuid

import pytest

from aa_project.celery import app as celery_app
from autoattendant.models import MonthlyUsage
from autoattendant.tasks import rollup_usage
from tests.workers import celery_worker, wait_for

from .conftest import add_number

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_rolls_up_a_month_sent_through_the_broker(enterprise_a, enterprise_b, tmp_path):
    add_number(enterprise_a, "2024-04-02")
    add_number(enterprise_a, "2024-05-05", "2024-05-25")
    add_number(enterprise_b, "2024-05-31T23:00", extension=True)
    assert not celery_app.conf.task_always_eager  # REDIS_URL set: tasks go through the broker

    queue = f"usage-test-{uuid.uuid4().hex}"
    log_path = tmp_path / "worker.log"
    with celery_worker(queue, log_path) as worker:
        rollup_usage.apply_async(args=["2024-05"], queue=queue)
        wait_for(lambda: MonthlyUsage.objects.count() >= 2, worker, log_path)

    rows = dict(MonthlyUsage.objects.values_list("enterprise__sid", "count"))
    assert rows == {enterprise_a.sid: 2, enterprise_b.sid: 1}
    assert "succeeded" in (tmp_path / "worker.log").read_text()
