from __future__ import annotations

from django.db import models
from django.db.models import Q

from ..sids import new_phone_number_sid
from .base import CreatedByModel

__all__ = ["PhoneNumber", "PhoneNumberQuerySet"]


class PhoneNumberQuerySet(models.QuerySet):
    def live(self) -> PhoneNumberQuerySet:
        return self.filter(date_deleted__isnull=True)


class PhoneNumber(CreatedByModel):
    """A number the operator provisioned to an enterprise: a main AA number or an extension.

    Deleting only stamps ``date_deleted``: usage billing counts a number for every period it
    existed in. Digits only; unique among live numbers; extension codes unique per enterprise.
    """

    sid = models.CharField(max_length=34, unique=True, default=new_phone_number_sid, editable=False)
    enterprise = models.ForeignKey(
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="numbers"
    )
    number = models.CharField(max_length=15)
    is_extension = models.BooleanField(default=False)
    extension = models.CharField(max_length=15, blank=True, default="")
    extension_spoken_name = models.CharField(max_length=200, blank=True, default="")
    auto_attendant = models.ForeignKey(
        "autoattendant.AutoAttendantSystem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="main_numbers",
    )
    date_deleted = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = PhoneNumberQuerySet.as_manager()

    class Meta:
        ordering = ["date_created", "sid"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(date_deleted__isnull=True),
                name="phone_number_live_unique",
            ),
            models.UniqueConstraint(
                fields=["enterprise", "extension"],
                condition=Q(date_deleted__isnull=True) & ~Q(extension=""),
                name="phone_extension_live_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "date_created"]),
            models.Index(fields=["number"]),
        ]

    def __str__(self) -> str:
        return self.number
