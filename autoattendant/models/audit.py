from __future__ import annotations

from auditlog.models import AbstractLogEntry
from django.db import models

__all__ = ["AuditEntry"]


class AuditEntry(AbstractLogEntry):
    """One write, as django-auditlog records it (``changes``: each field's ``[before, after]``),
    plus what this project searches by: the enterprise it happened in, the object's sid and its
    parent's (a menu key's menu, a schedule block's system), and the command that made it when no
    user did.

    ``enterprise`` is not a constraint: the trail outlives what it describes.
    """

    enterprise = models.ForeignKey(
        "autoattendant.Enterprise",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_sid = models.CharField(max_length=40, blank=True, default="", db_index=True)
    parent_sid = models.CharField(max_length=40, blank=True, default="", db_index=True)
    actor_command = models.CharField(max_length=100, blank=True, default="")

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit entry"
        verbose_name_plural = "audit trail"
        indexes = [models.Index(fields=["enterprise", "timestamp"])]

    def save(self, *args, **kwargs) -> None:
        extra = self.additional_data or {}
        if isinstance(extra, dict):
            self.enterprise_id = self.enterprise_id or extra.get("enterprise_id")
            self.object_sid = self.object_sid or extra.get("sid") or ""
            self.parent_sid = self.parent_sid or extra.get("parent_sid") or ""
        super().save(*args, **kwargs)

    @property
    def actor_label(self) -> str:
        """Who did it, in words: the user's email, or the command."""
        if self.actor_command:
            return f"command {self.actor_command}"
        if self.actor_email:
            return self.actor_email
        return "someone unknown (a shell or a script)"
