"""Announcement WAV files: the authenticated upload and the public download the telephony
platform plays from (it sends no credentials; the file name is unguessable instead)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import re_path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ...access import get_visible
from ...errors import Errors
from ...models import Announcement
from ...models.announcement import announcement_upload_to
from ...services.announcements import do_upload_announcement_file
from ..envelope import error_response
from ..parsers import MultiPartParser
from ..query import QueryParameters
from ..schema import refusals
from ..serializers.announcements import (
    ANNOUNCEMENT_NAMES,
    AnnouncementSerializer,
    AnnouncementUploadSerializer,
)

# What a multipart body may carry beyond the file itself (boundaries, part headers).
MULTIPART_OVERHEAD = 64 * 1024

FILE_NAME = re.compile(r"^AN[0-9a-f]{32}_[0-9]{1,16}\.wav$")


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops a multipart upload as soon as a file grows past the limit, before the rest of it
    is read off the wire (into memory or a temporary file)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def new_file(self, field_name, file_name, content_type, content_length, *args, **kwargs):
        if content_length is not None and content_length > self.limit:
            raise RequestDataTooBig("Upload too large")
        super().new_file(field_name, file_name, content_type, content_length, *args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            raise RequestDataTooBig("Upload too large")
        return raw_data

    def file_complete(self, file_size: int):
        return None  # the next handler (memory or temporary file) builds the file


class AnnouncementFileView(QueryParameters, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["Announcements"],
        request={"multipart/form-data": AnnouncementUploadSerializer},
        responses={200: AnnouncementSerializer, **refusals(409)},
        summary="Upload the announcement's WAV file (multipart field `file`)",
    )
    def post(self, request, sid: str) -> Response:
        announcement = get_visible(
            Announcement.objects.select_related("enterprise", "created_by"),
            request.user,
            sid,
            Errors.ANNOUNCEMENT_NOT_FOUND,
        )
        limit = settings.ANNOUNCEMENT_MAX_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit + MULTIPART_OVERHEAD:
            raise Errors.TOO_LARGE({"sid": sid, "maxBytes": limit})
        request.upload_handlers.insert(0, SizeLimitUploadHandler(limit))
        upload = request.FILES.get("file")
        # Error bodies echo what was sent: an uploaded file has no JSON form.
        for name in list(request.FILES):
            request.data.pop(name, None)
        if upload is None:
            raise Errors.VALIDATION({"file": "Attach the WAV file as multipart field 'file'."})
        with ANNOUNCEMENT_NAMES.errors():
            announcement = do_upload_announcement_file(announcement, upload, upload.size)
        return Response(AnnouncementSerializer(announcement).data)


def announcement_file(request: HttpRequest, name: str) -> HttpResponse:
    """``GET /autoattendant/internal/announcement/file/{sid}_{epoch_ms}.wav`` — public.

    Only the current file of an existing announcement is served (one query, then a stream from
    the default storage, local or S3); anything else is the JSON 404 envelope.
    """
    if request.method not in ("GET", "HEAD"):
        return error_response(Errors.METHOD_NOT_ALLOWED, {"method": request.method})
    if not FILE_NAME.match(name):
        return error_response(Errors.ROUTE_NOT_FOUND, {"path": request.path})
    stored = announcement_upload_to(None, name)
    announcement = Announcement.objects.filter(file=stored).only("file").first()
    if announcement is None:
        return error_response(Errors.ROUTE_NOT_FOUND, {"path": request.path})
    try:
        handle = announcement.file.storage.open(stored, "rb")
    except (FileNotFoundError, OSError):
        return error_response(Errors.ROUTE_NOT_FOUND, {"path": request.path})
    response = FileResponse(handle, content_type="audio/wav")
    # The name changes with every upload, so a copy never goes stale.
    response["Cache-Control"] = "public, max-age=86400, immutable"
    return response


def file_routes() -> list:
    return [
        re_path(
            r"^file/announcement/(?P<sid>[^/]+)/?$",
            AnnouncementFileView.as_view(),
            name="announcement-file",
        ),
        re_path(
            r"^internal/announcement/file/(?P<name>[^/]+)$",
            announcement_file,
            name="announcement-wav",
        ),
    ]
