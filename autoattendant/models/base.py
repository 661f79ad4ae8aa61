from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["CreatedByModel", "TimestampedModel"]


class TimestampedModel(models.Model):
    date_created = models.DateTimeField(auto_now_add=True, db_index=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class CreatedByModel(TimestampedModel):
    """A record that answers ``accountEmail``: the email of the account that created it."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def account_email(self) -> str | None:
        return self.created_by.email if self.created_by_id else None
