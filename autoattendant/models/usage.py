from __future__ import annotations

from django.db import models

__all__ = ["MonthlyUsage"]


class MonthlyUsage(models.Model):
    """A closed month's number count for one enterprise, rolled up once and upserted."""

    enterprise = models.ForeignKey(
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="monthly_usage"
    )
    month = models.DateField()  # the first day of the month (UTC)
    count = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["month", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="usage_month_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m}: {self.count}"
