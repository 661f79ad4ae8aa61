"""Celery tasks. Each is a thin wrapper over a service, so commands and tests reach the same
code without a broker."""

from __future__ import annotations

import logging

from celery import shared_task

from .services.calls import close_idle_calls as services_close_idle_calls
from .services.calls import purge_history, write_recorded_steps
from .services.usage import MonthNotClosed, run_rollup

logger = logging.getLogger(__name__)


@shared_task(name="autoattendant.tasks.rollup_usage")
def rollup_usage(month: str | None = None) -> dict | None:
    """Roll up one closed month's phone-number usage (``YYYY-MM``; default the previous month).

    Scheduled by Celery beat on the 1st of every month (UTC). Idempotent: it recomputes and
    upserts. Returns quietly (None) when the month has not ended yet; a malformed ``month`` is
    a caller's bug and raises ValueError.
    """
    try:
        result = run_rollup(month)
    except MonthNotClosed as exc:
        logger.warning("Usage roll-up skipped: %s", exc)
        return None
    return {
        "month": f"{result.month:%Y-%m}",
        "ran": result.ran,
        "enterprises": result.enterprises,
        "numbers": result.numbers,
    }


# --- Call history (DESIGN §13) -----------------------------------------------------------------


@shared_task(name="autoattendant.tasks.drain_call_steps", ignore_result=True)
def drain_call_steps() -> int:
    """Write the recorded steps waiting in the buffer (the Redis stream, or this process's
    batch) to the database. Scheduled every two seconds; one drainer at a time; a database
    error leaves the steps where they are for the next run."""
    return write_recorded_steps()


@shared_task(name="autoattendant.tasks.close_idle_calls", ignore_result=True)
def close_idle_calls() -> int:
    """Calls left waiting for the caller longer than ``CALL_IDLE_SECONDS``: CALLER_HUNG_UP."""
    return services_close_idle_calls()


@shared_task(name="autoattendant.tasks.purge_call_history", ignore_result=True)
def purge_call_history() -> int:
    """Calls older than ``CALL_HISTORY_DAYS`` deleted with their steps (nightly)."""
    return purge_history()
