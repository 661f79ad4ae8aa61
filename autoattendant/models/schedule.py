from __future__ import annotations

from django.db import models

from ..choices import ScheduleType

__all__ = ["ScheduleBlock", "ScheduleEntry"]


class ScheduleBlock(models.Model):
    """One ``schedule`` item: a menu and when it answers.

    WEEKLY blocks carry entries with a ``day``; DATE_RANGE blocks carry ``start_date`` ..
    ``end_date`` (inclusive, the system's local dates) and optional time entries without a day.
    """

    auto_attendant = models.ForeignKey(
        "autoattendant.AutoAttendantSystem", on_delete=models.CASCADE, related_name="schedule"
    )
    schedule_type = models.CharField(max_length=16, choices=ScheduleType.choices)
    menu = models.ForeignKey(
        "autoattendant.Menu", on_delete=models.PROTECT, related_name="schedule_blocks"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["auto_attendant", "schedule_type", "position", "id"]

    def __str__(self) -> str:
        return f"{self.schedule_type} → {self.menu_id}"


class ScheduleEntry(models.Model):
    block = models.ForeignKey(ScheduleBlock, on_delete=models.CASCADE, related_name="entries")
    day = models.PositiveSmallIntegerField(null=True, blank=True)  # ISO weekday, 1 = Monday
    start_time = models.CharField(max_length=5)  # HH:MM
    end_time = models.CharField(max_length=5)  # HH:MM, 24:00 = end of day
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["block", "position", "id"]
        verbose_name_plural = "schedule entries"

    def __str__(self) -> str:
        day = f"day {self.day} " if self.day else ""
        return f"{day}{self.start_time}–{self.end_time}"
