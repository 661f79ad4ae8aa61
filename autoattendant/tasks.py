"""Celery tasks. Each is a thin wrapper over a service, so commands and tests reach the same
code without a broker."""

from __future__ import annotations

import logging

from celery import shared_task

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
