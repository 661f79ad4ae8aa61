from __future__ import annotations

from django.conf import settings
from django.db import models

from ..sids import new_flow_test_sid
from .base import CreatedByModel

__all__ = ["FlowTest", "FlowVersion"]


class FlowVersion(models.Model):
    """Version ``number`` of an AA system's flow: the whole flow (menus with their keys, the
    schedule, the system's actions and directory) as one document, written once per committed
    transaction that changed it (``services.flowversions``) and never edited."""

    system = models.ForeignKey(
        "autoattendant.AutoAttendantSystem", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    document = models.JSONField()
    date_created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_command = models.CharField(max_length=100, blank=True, default="")
    restored_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["system", "number"]
        constraints = [
            models.UniqueConstraint(fields=["system", "number"], name="flow_version_unique")
        ]

    def __str__(self) -> str:
        return f"version {self.number}"

    @property
    def author(self) -> str:
        if self.actor_command:
            return f"command {self.actor_command}"
        return self.created_by.email if self.created_by_id else "someone unknown"


class FlowTest(CreatedByModel):
    """A saved expectation of an AA system's flow: a call at ``at`` (the system's local wall
    time) with the caller's ``inputs`` in the simulator's notation must end as ``expect`` says
    (``outcome``, and optionally ``transferred_to``, ``menu_sid``, ``heard``). ``passing`` is the
    last run's verdict (None: never run); a change that turns a passing test red is refused."""

    sid = models.CharField(max_length=34, unique=True, default=new_flow_test_sid, editable=False)
    system = models.ForeignKey(
        "autoattendant.AutoAttendantSystem", on_delete=models.CASCADE, related_name="flow_tests"
    )
    name = models.CharField(max_length=200)
    at = models.CharField(max_length=16)  # the system's local wall time, YYYY-MM-DDTHH:MM
    inputs = models.JSONField(default=list)
    expect = models.JSONField(default=dict)
    passing = models.BooleanField(null=True, blank=True)
    last_result = models.JSONField(null=True, blank=True)
    last_run = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["system", "date_created", "sid"]

    def __str__(self) -> str:
        return self.name
