from __future__ import annotations

from django.db import models

from ..choices import ActionType, SystemLanguage, SystemStatus
from ..sids import new_system_sid
from .base import CreatedByModel

__all__ = ["AutoAttendantSystem"]


class AutoAttendantSystem(CreatedByModel):
    """An auto attendant: its main numbers, extensions, timezone, language and error handling.

    Unset timeout/invalid settings (null) mean the documented defaults (5 s, 3 times, HANGUP),
    which live in the call-flow engine (``callflow.engine.DEFAULT_*``); menus may override the
    timeout ones.
    """

    sid = models.CharField(max_length=34, unique=True, default=new_system_sid, editable=False)
    enterprise = models.ForeignKey(
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="systems"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    status = models.CharField(
        max_length=16, choices=SystemStatus.choices, default=SystemStatus.ACTIVE
    )
    timezone_id = models.CharField(max_length=64, default="UTC")
    # A database default too, so rows written by SQL (operators' scripts, bulk loads) get one.
    language = models.CharField(
        max_length=16,
        choices=SystemLanguage.choices,
        default=SystemLanguage.EN,
        db_default=SystemLanguage.EN,
    )
    timeout_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    timeout_max = models.PositiveSmallIntegerField(null=True, blank=True)
    timeout_action_type = models.CharField(
        max_length=32, choices=ActionType.choices, blank=True, default=""
    )
    timeout_action_data = models.CharField(max_length=64, blank=True, default="")
    invalid_input_max = models.PositiveSmallIntegerField(null=True, blank=True)
    invalid_input_action_type = models.CharField(
        max_length=32, choices=ActionType.choices, blank=True, default=""
    )
    invalid_input_action_data = models.CharField(max_length=64, blank=True, default="")
    invalid_extension_max = models.PositiveSmallIntegerField(null=True, blank=True)
    invalid_extension_action_type = models.CharField(
        max_length=32, choices=ActionType.choices, blank=True, default=""
    )
    invalid_extension_action_data = models.CharField(max_length=64, blank=True, default="")
    # What an unanswered transfer does (DESIGN §15; unset: the apology, back to the menu) and the
    # retry prompts: after a wrong key (unset: the built-in "not a valid choice"), after silence
    # (unset: none). Announcement sids of the enterprise.
    dial_failure_action_type = models.CharField(
        max_length=32, choices=ActionType.choices, blank=True, default=""
    )
    dial_failure_action_data = models.CharField(max_length=64, blank=True, default="")
    invalid_input_announcement_sid = models.CharField(max_length=34, blank=True, default="")
    timeout_announcement_sid = models.CharField(max_length=34, blank=True, default="")
    default_menu = models.ForeignKey(
        "autoattendant.Menu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extensions = models.ManyToManyField(
        "autoattendant.PhoneNumber", blank=True, related_name="extension_of_systems"
    )
    # The business-hours override (DESIGN §14): ``override_menu`` answers every call until
    # ``override_until`` (null: until cleared). Expiry needs no job: calls compare their instant.
    override_menu = models.ForeignKey(
        "autoattendant.Menu", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_until = models.DateTimeField(null=True, blank=True)
    override_reason = models.CharField(max_length=500, blank=True, default="")
    override_set_by = models.ForeignKey(
        "autoattendant.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_set_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change to anything the call flow reads, so a cached compiled flow
    # can be recognised as stale without reading the rows it was built from.
    flow_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["date_created", "sid"]
        verbose_name = "auto attendant system"
        indexes = [models.Index(fields=["enterprise", "date_created"])]

    def __str__(self) -> str:
        return self.name
