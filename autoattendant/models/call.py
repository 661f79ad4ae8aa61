"""Call history (DESIGN §13): every call the engine served and its steps.

Rows are written by :mod:`autoattendant.runtime.recording` from the steps the webhooks hand to
its buffer, never by the request that served the call. A call is identified by the platform's
``CallSid`` within its enterprise; a step by its number in the call, so a step delivered twice
is stored once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ..choices import CallOutcome
from ..sids import new_call_sid

__all__ = ["Call", "CallBucket", "CallStep", "KeyPressBucket"]


class Call(models.Model):
    """One call: who called which number, when, how it ended and the menus it went through.

    ``start_time``/``end_time`` are the first and last steps; ``outcome`` is the last step's
    (``CALLER_HUNG_UP`` is set later on a call left waiting, by ``close_idle_calls``). Its AA
    system is named by sid, as its menus are: the history outlives a deleted system, and a foreign
    key would cost every call written an index entry that no read uses.
    """

    sid = models.CharField(max_length=34, unique=True, default=new_call_sid, editable=False)
    call_sid = models.CharField(max_length=64)
    # No index of their own: the (enterprise, CallSid) and (…, start_time) indexes lead with
    # them, and every index is paid for by each of the many calls written.
    enterprise = models.ForeignKey(
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="calls", db_index=False
    )
    system_sid = models.CharField(max_length=34, blank=True, default="")
    to_number = models.CharField(max_length=64, blank=True, default="")
    from_number = models.CharField(max_length=64, blank=True, default="")
    dialect = models.CharField(max_length=16, blank=True, default="")
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    duration_seconds = models.PositiveIntegerField(default=0)
    outcome = models.CharField(
        max_length=16, choices=CallOutcome.choices, default=CallOutcome.IN_PROGRESS
    )
    transferred_to = models.CharField(max_length=64, blank=True, default="")
    menu_path = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["start_time", "sid"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "call_sid"], name="call_sid_unique")
        ]
        indexes = [
            models.Index(fields=["enterprise", "start_time"], name="call_enterprise_start"),
            models.Index(
                fields=["end_time"],
                name="call_in_progress_end",
                condition=Q(outcome=CallOutcome.IN_PROGRESS),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_sid} {self.outcome}"


class CallStep(models.Model):
    """One platform request of a call and what the engine did with it.

    ``input``: the caller's digits, ``speech:<text>``, ``dial:<status>``, ``timeout`` or empty
    (the call's first request). ``key`` repeats a menu key press (empty for anything else), for
    the key-press statistics. ``action``: the action type run, or PROMPT / REPLAY / TIMEOUT /
    INVALID; ``detail`` the engine's notes.
    """

    # Indexed by the (call, seq) constraint.
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="steps", db_index=False)
    seq = models.PositiveIntegerField()
    time = models.DateTimeField()
    menu_sid = models.CharField(max_length=34, blank=True, default="")
    # The menu the caller is in after this step (another one after GO_TO_MENU …).
    next_menu_sid = models.CharField(max_length=34, blank=True, default="")
    input = models.CharField(max_length=200, blank=True, default="")
    key = models.CharField(max_length=8, blank=True, default="")
    action = models.CharField(max_length=32, blank=True, default="")
    detail = models.TextField(blank=True, default="")
    outcome = models.CharField(max_length=16, choices=CallOutcome.choices)
    transferred_to = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["call", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["call", "seq"], name="call_step_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.call_id}#{self.seq} {self.action}"


class CallBucket(models.Model):
    """Calls of one system that started in one quarter hour (UTC), by outcome: what the
    statistics add up instead of scanning every call. Changed with its calls, in their
    transaction (``runtime.call_buckets``): always what counting them gives."""

    enterprise = models.ForeignKey(  # indexed by the unique constraint it leads
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    system_sid = models.CharField(max_length=34, blank=True, default="")
    bucket = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=CallOutcome.choices)
    calls = models.PositiveIntegerField()
    seconds = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "bucket", "system_sid", "outcome"], name="call_bucket_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket:%Y-%m-%d %H:%M} {self.system_sid} {self.outcome}: {self.calls}"


class KeyPressBucket(models.Model):
    """Menu key presses of the calls of one system that started in one quarter hour (UTC)."""

    enterprise = models.ForeignKey(  # indexed by the unique constraint it leads
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    system_sid = models.CharField(max_length=34, blank=True, default="")
    bucket = models.DateTimeField()
    menu_sid = models.CharField(max_length=34)
    key = models.CharField(max_length=8)
    presses = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "bucket", "system_sid", "menu_sid", "key"],
                name="key_press_bucket_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket:%Y-%m-%d %H:%M} {self.menu_sid} {self.key}: {self.presses}"
