from __future__ import annotations

from django.db import models

from ..choices import ActionType
from ..sids import new_menu_sid
from .base import CreatedByModel

__all__ = ["Menu", "MenuKey"]


class Menu(CreatedByModel):
    """What a caller hears and which key does what, within one AA system."""

    sid = models.CharField(max_length=34, unique=True, default=new_menu_sid, editable=False)
    enterprise = models.ForeignKey(
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="menus"
    )
    auto_attendant = models.ForeignKey(
        "autoattendant.AutoAttendantSystem", on_delete=models.CASCADE, related_name="menus"
    )
    name = models.CharField(max_length=200)
    color_code = models.CharField(max_length=16, blank=True, default="")
    announcement = models.ForeignKey(
        "autoattendant.Announcement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="menus",
    )
    ringback_tone = models.ForeignKey(
        "autoattendant.Announcement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ringback_menus",
    )
    timeout_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    timeout_max = models.PositiveSmallIntegerField(null=True, blank=True)
    timeout_action_type = models.CharField(
        max_length=32, choices=ActionType.choices, blank=True, default=""
    )
    timeout_action_data = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["date_created", "sid"]
        indexes = [
            models.Index(fields=["enterprise", "date_created"]),
            models.Index(fields=["auto_attendant", "date_created"]),
        ]

    def __str__(self) -> str:
        return self.name


class MenuKey(models.Model):
    """One key of a menu (``0-9``, ``*``) and its action; unique per menu in the database."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=1)
    action_type = models.CharField(max_length=32, choices=ActionType.choices)
    action_data = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["menu", "key"]
        constraints = [models.UniqueConstraint(fields=["menu", "key"], name="menu_key_unique")]
        indexes = [models.Index(fields=["action_data"])]

    def __str__(self) -> str:
        return f"{self.key}: {self.action_type}"
