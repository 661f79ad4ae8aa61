"""Voicemail: an enterprise's mailboxes and the messages callers leave in them (DESIGN §15)."""

from __future__ import annotations

from django.db import models

from ..sids import new_mailbox_sid, new_voicemail_sid
from .base import CreatedByModel, TimestampedModel

__all__ = ["Mailbox", "Voicemail"]

#: The longest and shortest message a mailbox may take, in seconds (the default is 120).
MAX_LENGTH_RANGE = (5, 600)
DEFAULT_MAX_LENGTH = 120


class Mailbox(CreatedByModel):
    """Where a VOICEMAIL action records: its greeting, the longest message it takes and who is
    emailed about each new one."""

    sid = models.CharField(max_length=34, unique=True, default=new_mailbox_sid, editable=False)
    enterprise = models.ForeignKey(
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="mailboxes"
    )
    name = models.CharField(max_length=200)
    greeting = models.ForeignKey(
        "autoattendant.Announcement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="greeting_mailboxes",
    )
    notify_emails = models.JSONField(default=list, blank=True)
    max_length_seconds = models.PositiveSmallIntegerField(default=DEFAULT_MAX_LENGTH)

    class Meta:
        ordering = ["date_created", "sid"]
        indexes = [models.Index(fields=["enterprise", "date_created"])]

    def __str__(self) -> str:
        return self.name


class CopyStatus(models.TextChoices):
    """Where the recording's audio is: still only at the platform, copied, or failed to copy
    (then ``recording_url`` still names the platform's copy and ``copy_error`` says why)."""

    PENDING = "PENDING", "Being copied"
    COPIED = "COPIED", "Copied"
    FAILED = "FAILED", "Copy failed"


class Voicemail(TimestampedModel):
    """One message left by a caller. ``recording_url`` is where the platform keeps it; ``audio``
    the copy in storage once the copy task has fetched and checked it."""

    sid = models.CharField(max_length=34, unique=True, default=new_voicemail_sid, editable=False)
    enterprise = models.ForeignKey(
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="voicemails"
    )
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="voicemails")
    call_sid = models.CharField(max_length=64, blank=True, default="")
    caller = models.CharField(max_length=64, blank=True, default="")
    time = models.DateTimeField()
    duration_seconds = models.PositiveIntegerField(default=0)
    heard = models.BooleanField(default=False)
    recording_url = models.URLField(max_length=1000, blank=True, default="")
    audio = models.FileField(upload_to="voicemail/", blank=True, default="")
    copy_status = models.CharField(
        max_length=16, choices=CopyStatus.choices, default=CopyStatus.PENDING
    )
    copy_error = models.CharField(max_length=300, blank=True, default="")
    notified = models.BooleanField(default=False)

    class Meta:
        ordering = ["-time", "sid"]
        indexes = [
            models.Index(fields=["mailbox", "time"]),
            models.Index(fields=["enterprise", "heard"]),
        ]
        constraints = [
            # The platform may post the Record action twice (a retry): one message per call.
            models.UniqueConstraint(
                fields=["mailbox", "call_sid"],
                condition=~models.Q(call_sid=""),
                name="voicemail_one_per_call",
            )
        ]

    def __str__(self) -> str:
        return f"{self.caller or 'unknown'} at {self.time:%Y-%m-%d %H:%M}"
