"""Celery tasks. Each is a thin wrapper over a service, so commands and tests reach the same
code without a broker."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from .models.voicemail import CopyStatus
from .runtime.voicemail import message_left
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
    exponential back-off (``RECORDING_RETRY_DELAYS``); the last attempt marks the copy FAILED
    and still sends the email, which then names the platform's URL. Refusals (host, redirect,
    size, not audio) are final at once. Returns the copy status.
    """
    delays = settings.RECORDING_RETRY_DELAYS
    attempt = self.request.retries or 0
    final = attempt >= len(delays)
    status = copy_recording(voicemail_sid, final=final)
    if status == CopyStatus.PENDING:
        raise self.retry(countdown=delays[attempt])
    try:
        notify(voicemail_sid)
    except OSError as exc:  # smtplib's errors are OSErrors
        if final:
            logger.error("Voicemail %s: notification email failed: %s", voicemail_sid, exc)
            return status
        raise self.retry(countdown=delays[attempt]) from exc
    return status


def _enqueue_copy(sender, voicemail_sid: str, **kwargs) -> None:
    """:data:`~autoattendant.runtime.voicemail.message_left` (sent once the message is
    committed) → the copy task."""
    copy_voicemail.delay(voicemail_sid)


message_left.connect(_enqueue_copy, dispatch_uid="aa_voicemail_copy")
