from __future__ import annotations

from django.db import models

from ..sids import new_calendar_sid
from .base import CreatedByModel

__all__ = ["HolidayCalendar", "HolidayEntry", "SystemHolidayCalendar"]


class HolidayCalendar(CreatedByModel):
    """An enterprise's holiday calendar (DESIGN §14): a country's public holidays (``country``,
    ``subdivision``; from the ``holidays`` package) and its own entries. AA systems link it with
    the menu its dates play (:class:`SystemHolidayCalendar`)."""

    sid = models.CharField(max_length=34, unique=True, default=new_calendar_sid, editable=False)
    enterprise = models.ForeignKey(
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="holiday_calendars"
    )
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, blank=True, default="")
    subdivision = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering = ["date_created", "sid"]
        indexes = [models.Index(fields=["enterprise", "date_created"])]

    def __str__(self) -> str:
        return self.name


class HolidayEntry(models.Model):
    """One entry: once (``date``), yearly (``month``, ``day``) or the ``nth`` ``weekday`` of a
    ``month`` (``nth`` -1 = the last); ``start_time``/``end_time`` for part of a day."""

    calendar = models.ForeignKey(HolidayCalendar, on_delete=models.CASCADE, related_name="entries")
    name = models.CharField(max_length=200)
    date = models.DateField(null=True, blank=True)
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    day = models.PositiveSmallIntegerField(null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(null=True, blank=True)  # ISO, 1 = Monday
    nth = models.SmallIntegerField(null=True, blank=True)  # 1-5, -1 = last
    start_time = models.CharField(max_length=5, blank=True, default="")
    end_time = models.CharField(max_length=5, blank=True, default="")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["calendar", "position", "id"]
        verbose_name_plural = "holiday entries"

    def __str__(self) -> str:
        return self.name


class SystemHolidayCalendar(models.Model):
    """A calendar linked to an AA system, with the menu (of that system) its dates play; the
    system's links are tried in ``position`` order."""

    auto_attendant = models.ForeignKey(
        "autoattendant.AutoAttendantSystem",
        on_delete=models.CASCADE,
        related_name="holiday_links",
    )
    calendar = models.ForeignKey(
        HolidayCalendar, on_delete=models.PROTECT, related_name="system_links"
    )
    menu = models.ForeignKey(
        "autoattendant.Menu", on_delete=models.PROTECT, related_name="holiday_links"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["auto_attendant", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["auto_attendant", "calendar"], name="aa_holiday_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.auto_attendant_id} → {self.calendar_id}"
