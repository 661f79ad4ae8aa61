"""Taking a message: the platform's ``<Record>`` action request stored as a Voicemail.

Restcomm's interpreter (``BaseVoiceInterpreter.FinishRecording``) posts ``RecordingUrl`` (with its
local storage it is a path on the media server; ``PublicRecordingUrl`` is the HTTP one),
``RecordingDuration`` (a decimal, ``"12.0"``) and ``Digits`` (the key that ended it, or
``hangup``); Twilio posts ``RecordingUrl``, ``RecordingDuration`` (whole seconds),
``RecordingSid`` and ``Digits``. The message is stored here, in one short transaction (the row,
nothing else), and :data:`message_left` tells whoever listens (the copy task,
``autoattendant.tasks``) once it is committed; the runtime knows nothing of them.

A repeated request for the same call and mailbox (a platform retry) stores nothing new. A
mailbox deleted meanwhile, or a request with no usable URL, stores nothing: the caller is still
thanked and the call ends.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import datetime

from django.db import IntegrityError, transaction
from django.dispatch import Signal

from ..models import Mailbox, Voicemail

__all__ = ["left_message", "message_left", "recording_url", "take_message"]

logger = logging.getLogger(__name__)

#: Sent (``sender=Voicemail``, ``voicemail_sid``) after a new message is committed.
message_left = Signal()


def recording_url(params: Mapping[str, str]) -> str:
    """The HTTP(S) URL of the recording the platform posted: Restcomm's ``PublicRecordingUrl``
    first (its ``RecordingUrl`` may be a file path), else ``RecordingUrl``; ``""`` when neither
    is an HTTP(S) URL."""
    for name in ("PublicRecordingUrl", "RecordingUrl"):
        value = (params.get(name) or "").strip()
        if value.lower().startswith(("http://", "https://")):
            return value[:1000]
    return ""


def _duration(value: str | None) -> int:
    try:
        seconds = float(value or 0)
    except ValueError:
        return 0
    return math.ceil(seconds) if math.isfinite(seconds) and seconds > 0 else 0


def left_message(params: Mapping[str, str]) -> str:
    """The recording's URL when the request says a message was left: an HTTP(S) URL and a
    duration that is not zero (Restcomm calls the action even when nothing was recorded, with
    ``RecordingDuration`` 0); ``""`` otherwise."""
    url = recording_url(params)
    duration = params.get("RecordingDuration")
    if not url or (duration not in (None, "") and _duration(duration) == 0):
        return ""
    return url


def take_message(
    mailbox_sid: str, enterprise_sid: str, params: Mapping[str, str], instant: datetime
) -> Voicemail | None:
    """Store the message the platform recorded into ``mailbox_sid`` (of ``enterprise_sid``: a
    state signed for one enterprise never writes into another's mailbox). Returns the new row,
    or ``None`` when nothing was stored (no recording, the mailbox gone, a repeat)."""
    url = left_message(params)
    if not url:
        return None
    mailbox = (
        Mailbox.objects.filter(sid=mailbox_sid, enterprise__sid=enterprise_sid)
        .only("id", "enterprise_id")
        .first()
    )
    if mailbox is None:
        logger.warning("Voicemail for mailbox %s dropped: the mailbox is gone", mailbox_sid)
        return None
    call_sid = (params.get("CallSid") or "")[:64]
    try:
        with transaction.atomic():
            voicemail = Voicemail.objects.create(
                enterprise_id=mailbox.enterprise_id,
                mailbox=mailbox,
                call_sid=call_sid,
                caller=(params.get("From") or "")[:64],
                time=instant,
                duration_seconds=_duration(params.get("RecordingDuration")),
                recording_url=url,
            )
            transaction.on_commit(
                lambda: message_left.send(sender=Voicemail, voicemail_sid=voicemail.sid)
            )
    except IntegrityError:
        logger.info("Voicemail of call %s already stored", call_sid, extra={"CallSid": call_sid})
        return None
    return voicemail
