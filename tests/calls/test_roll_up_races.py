"""Several writers at once on PostgreSQL — the drain task's workers, a process writing its own
buffer while Redis is away, idle calls being closed — on the same calls: each call's row is
locked while its change is added to the roll-ups, so they still equal counting every call."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from autoattendant.models import Call, CallStep
from autoattendant.runtime.call_buckets import refresh_buckets
from autoattendant.runtime.recording import store_steps
from autoattendant.services.calls import close_idle_calls

from .conftest import step
from .test_roll_up_changes import _rows

START = datetime(2026, 3, 2, 9, 55, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_writers_at_once_leave_the_roll_ups_equal_to_counting(ny_system, settings):
    system, main, sales = ny_system
    settings.CALL_IDLE_SECONDS = 60
    errors: list[BaseException] = []

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(25):
                batch = []
                for _ in range(rng.randint(1, 12)):
                    seq = rng.randint(1, 6)
                    key = rng.choice(["", "1", "2"])
                    batch.append(
                        step(
                            f"CA{rng.randint(0, 15)}",
                            system,
                            seq,
                            (
                                START + timedelta(minutes=rng.randint(0, 30), seconds=seq)
                            ).isoformat(),
                            menu=rng.choice([main, sales]).sid,
                            input=key,
                            key=key,
                            outcome=rng.choice(["IN_PROGRESS", "TRANSFERRED", "HUNG_UP_BY_FLOW"]),
                        )
                    )
                store_steps(batch)
        except BaseException as exc:  # reported by the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    def closer() -> None:
        try:
            for _ in range(25):
                close_idle_calls(now=START + timedelta(hours=1))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(4)]
    threads.append(threading.Thread(target=closer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Call.objects.count() == 16
    assert CallStep.objects.count() > 16
    incremental = _rows()
    refresh_buckets(Call.objects.values_list("enterprise_id", "start_time"))
    assert _rows() == incremental
