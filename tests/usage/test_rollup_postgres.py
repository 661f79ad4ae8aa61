"""PostgreSQL only (collected when DATABASE_URL is PostgreSQL): concurrent roll-ups that
cannot see each other's cache lock are kept apart by the advisory lock and the upsert."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from autoattendant.models import MonthlyUsage
from autoattendant.services.usage import rollup_month

from .conftest import add_number
from .test_rollup import MAY, NOW, stored


@pytest.mark.django_db(transaction=True)
def test_concurrent_rollups_agree_even_when_the_cache_lock_is_not_shared(
    enterprise_a, enterprise_b, monkeypatch
):
    """Each process has its own in-memory cache: the database still keeps runs apart (the
    upsert under the unique constraint; on PostgreSQL also the advisory lock)."""
    from autoattendant.services import usage

    class PerProcessCache:  # every run believes it holds the lock
        def add(self, *args, **kwargs):
            return True

        def delete(self, *args, **kwargs):
            pass

    monkeypatch.setattr(usage, "cache", PerProcessCache())
    add_number(enterprise_a, "2024-05-01")
    add_number(enterprise_b, "2024-04-01")
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            outcomes.append(rollup_month(MAY, now=NOW))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert [o.ran for o in outcomes] == [True] * 4
    assert stored() == {enterprise_a.sid: 1, enterprise_b.sid: 1}
    assert MonthlyUsage.objects.count() == 2
