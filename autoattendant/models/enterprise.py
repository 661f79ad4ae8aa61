from __future__ import annotations

from django.db import models

from ..choices import EnterpriseStatus
from ..sids import new_enterprise_sid
from .base import TimestampedModel

__all__ = ["Enterprise"]


class Enterprise(TimestampedModel):
    """A business customer of the operator: the tenant every other record belongs to."""

    sid = models.CharField(max_length=34, unique=True, default=new_enterprise_sid, editable=False)
    name = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.ACTIVE
    )

    class Meta:
        ordering = ["date_created", "sid"]

    def __str__(self) -> str:
        return f"{self.name} ({self.sid})"

    @property
    def is_active(self) -> bool:
        return self.status == EnterpriseStatus.ACTIVE
