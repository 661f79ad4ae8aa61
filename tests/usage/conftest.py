"""Helpers for usage tests: numbers with a chosen history, and a frozen clock.

Two modules are collected only where what they test exists (the CI's PostgreSQL + Redis
pass), never skipped: ``test_rollup_postgres.py`` (advisory lock) needs ``DATABASE_URL`` on
PostgreSQL; ``test_celery_worker.py`` starts a real worker that reaches the test database through
the broker, so it needs ``REDIS_URL`` too (SQLite's in-memory test database can't be shared with
another process).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest

from autoattendant.models import PhoneNumber

_ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")
collect_ignore = []
if not _ON_POSTGRESQL:
    collect_ignore.append("test_rollup_postgres.py")
if not (_ON_POSTGRESQL and os.environ.get("REDIS_URL")):
    collect_ignore.append("test_celery_worker.py")

_serial = itertools.count(1)


def at(value: str | dt.datetime | None) -> dt.datetime | None:
    """``"2024-05-05"`` or ``"2024-05-05T10:30"`` → an aware UTC datetime."""
    if value is None or isinstance(value, dt.datetime):
        return value
    if len(value) == 10:
        value += "T00:00"
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def add_number(enterprise, created, deleted=None, *, extension: bool = False) -> PhoneNumber:
    """A number of ``enterprise`` created (and maybe deleted) at the given instants."""
    n = next(_serial)
    phone = PhoneNumber.objects.create(
        enterprise=enterprise,
        number=f"1555{n:07d}",
        is_extension=extension,
        extension=str(100 + n) if extension else "",
    )
    PhoneNumber.objects.filter(pk=phone.pk).update(
        date_created=at(created), date_deleted=at(deleted)
    )
    return phone


@pytest.fixture
def freeze_now(monkeypatch):
    """``freeze_now("2024-03-15T12:00")`` makes ``django.utils.timezone.now`` return it."""
    from django.utils import timezone

    def freeze(value: str) -> dt.datetime:
        instant = at(value)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    return freeze
