from __future__ import annotations

from django.db import models

from ..choices import AnnouncementType
from ..sids import new_announcement_sid
from .base import CreatedByModel

__all__ = ["Announcement"]


def announcement_upload_to(instance: Announcement, filename: str) -> str:
    return f"announcements/{filename}"


class Announcement(CreatedByModel):
    """Something a caller hears: text to speech (``say``) or an uploaded WAV (``play``)."""

    sid = models.CharField(max_length=34, unique=True, default=new_announcement_sid, editable=False)
    enterprise = models.ForeignKey(
        "autoattendant.Enterprise", on_delete=models.CASCADE, related_name="announcements"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    type = models.CharField(
        max_length=8, choices=AnnouncementType.choices, default=AnnouncementType.PLAY
    )
    body = models.TextField(blank=True, default="")
    language = models.CharField(max_length=64, blank=True, default="")
    voice = models.CharField(max_length=16, blank=True, default="")
    # Stored under a generated, unguessable name: ``{sid}_{epoch_ms}.wav``.
    file = models.FileField(
        upload_to=announcement_upload_to, blank=True, default="", max_length=255
    )

    class Meta:
        ordering = ["date_created", "sid"]
        indexes = [models.Index(fields=["enterprise", "date_created"])]

    def __str__(self) -> str:
        return self.name

    @property
    def file_name(self) -> str | None:
        return self.file.name.rsplit("/", 1)[-1] if self.file else None

    @property
    def file_uri(self) -> str | None:
        name = self.file_name
        return f"/autoattendant/internal/announcement/file/{name}" if name else None
