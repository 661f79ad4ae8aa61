"""Roll-ups in separate processes, each with its own in-memory cache (so the cache lock does
not see the other run): the database alone must keep them from double counting.

SQLite: a real database file and two ``manage.py rollup_usage`` processes at once (write
transactions are IMMEDIATE, so the second waits for the first). PostgreSQL's advisory lock is
exercised by ``test_rollup_postgres.py`` in the PostgreSQL pass.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from django.conf import settings

SETUP = """
import datetime as dt
from autoattendant.models import Enterprise, PhoneNumber

def at(day):
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)

for name, history in [
    ("Acme", [("2024-04-01", None), ("2024-05-05", "2024-05-25"), ("2024-06-01", None)]),
    ("Bolt", [("2024-03-01", "2024-04-30")]),
    ("Cargo", [("2024-05-31", None)] * 3),
]:
    enterprise = Enterprise.objects.create(name=name)
    for created, deleted in history:
        phone = PhoneNumber.objects.create(
            enterprise=enterprise, number=str(10**9 + PhoneNumber.objects.count())
        )
        PhoneNumber.objects.filter(pk=phone.pk).update(
            date_created=at(created), date_deleted=deleted and at(deleted)
        )
"""


def _manage(env, *args, **kwargs):
    return subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _finish(process, timeout=60):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return out


def test_two_processes_on_sqlite_leave_the_same_rows(tmp_path):
    db_file = tmp_path / "usage.sqlite3"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(SQLITE_PATH=str(db_file), LOG_LEVEL="WARNING")
    _finish(_manage(env, "migrate", "-v0"))
    _finish(_manage(env, "shell", "-c", SETUP))

    runs = [_manage(env, "rollup_usage", "--month", "2024-05") for _ in range(2)]
    outputs = [_finish(run).strip() for run in runs]
    assert outputs == ["Rolled up 2024-05: 3 enterprises, 5 numbers."] * 2

    with sqlite3.connect(db_file) as db:
        rows = db.execute(
            "SELECT e.name, u.month, u.count FROM autoattendant_monthlyusage u"
            " JOIN autoattendant_enterprise e ON e.id = u.enterprise_id ORDER BY e.name"
        ).fetchall()
    assert rows == [
        ("Acme", "2024-05-01", 2),
        ("Bolt", "2024-05-01", 0),
        ("Cargo", "2024-05-01", 3),
    ]
