"""Celery tasks. Each is a thin wrapper over a service, so commands and tests reach the same
code without a broker."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.db import connections

from .models.voicemail import CopyStatus
from .runtime.voicemail import message_left
from .services.calls import close_idle_calls as services_close_idle_calls
from .services.calls import purge_history, write_recorded_steps
from .services.usage import MonthNotClosed, run_rollup
from .services.voicemail import copy_recording, notify

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


# --- Voicemail (DESIGN §15) -----------------------------------------------------------------


@shared_task(name="autoattendant.tasks.copy_voicemail", bind=True, max_retries=None)
def copy_voicemail(self, voicemail_sid: str) -> str:
    """Copy a new message's recording into storage, then email the mailbox's addresses.

    A transient failure (the platform unreachable, a 5xx, the mail server down) is retried with
    back-off (``RECORDING_RETRY_DELAYS``); the last attempt marks the copy FAILED and still sends
    the email, which then names the platform's URL. Refusals (host, redirect, size, not audio)
    are final at once. Returns the copy status.
    """
    status, retry_in = copy_attempt(voicemail_sid, self.request.retries or 0)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)
    return status


def copy_attempt(voicemail_sid: str, attempt: int) -> tuple[str, int | None]:
    """One attempt at the copy and the email: ``(status, None)`` when done, ``(status,
    seconds)`` when it should be tried again after that many seconds."""
    delays = settings.RECORDING_RETRY_DELAYS
    final = attempt >= len(delays)
    status = copy_recording(voicemail_sid, final=final)
    if status == CopyStatus.PENDING:
        return status, delays[attempt]
    try:
        notify(voicemail_sid)
    except OSError as exc:  # smtplib's errors are OSErrors
        if not final:
            logger.warning("Voicemail %s: email failed, will retry: %s", voicemail_sid, exc)
            return status, delays[attempt]
        logger.error("Voicemail %s: notification email failed: %s", voicemail_sid, exc)
    return status, None


def run_copy(voicemail_sid: str, wait: Callable[[float], object] = time.sleep) -> str:
    """Every attempt of the copy and the email until done, calling ``wait`` with the back-off
    between attempts — for the embedded default, which has no worker to retry the task
    (``wait`` is ``time.sleep`` in the copy's own thread). Returns the copy status."""
    attempt = 0
    while True:
        status, retry_in = copy_attempt(voicemail_sid, attempt)
        if retry_in is None:
            return status
        wait(retry_in)
        attempt += 1


def _copy_beside_the_request(voicemail_sid: str) -> None:
    """The embedded default's copy, in a thread of its own so the platform's request never
    waits for it."""
    try:
        run_copy(voicemail_sid)
    except Exception:
        logger.exception("Voicemail %s: copy failed", voicemail_sid)
    finally:
        connections.close_all()


def _enqueue_copy(sender, voicemail_sid: str, **kwargs) -> None:
    """:data:`~autoattendant.runtime.voicemail.message_left` (sent once the message is
    committed) → the copy: inline when ``VOICEMAIL_COPY_INLINE`` is set (tests), else queued for
    a worker, or with eager Celery (no worker) in a thread beside the request. Never raises into
    the platform's request."""
    try:
        if settings.VOICEMAIL_COPY_INLINE:
            run_copy(voicemail_sid, wait=lambda seconds: None)
        elif not copy_voicemail.app.conf.task_always_eager:
            copy_voicemail.delay(voicemail_sid)
        else:
            threading.Thread(
                target=_copy_beside_the_request, args=(voicemail_sid,), daemon=True
            ).start()
    except Exception:
        logger.exception("Voicemail %s: the copy could not be started", voicemail_sid)


message_left.connect(_enqueue_copy, dispatch_uid="aa_voicemail_copy")
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
