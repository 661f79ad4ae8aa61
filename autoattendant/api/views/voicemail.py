"""Mailboxes (CRUD like menus) and voicemail messages: search, mark heard, delete, and the
recording, served only to authenticated users of the message's enterprise (DESIGN §15)."""

from __future__ import annotations

import django_filters
from django.db.models.functions import Lower
from django.http import FileResponse
from django.urls import re_path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from ...access import get_visible, resolve_enterprise
from ...errors import Errors
from ...models import Mailbox, Voicemail
from ...services.mailboxes import do_create_mailbox, do_delete_mailbox, do_update_mailbox
from ...services.voicemail import do_delete_voicemail, do_mark_heard
from ..filtering import BaseFilterSet, InstantFilter
from ..routes import SID, resource_routes
from ..schema import refusals, resource_schema
from ..serializers.voicemail import (
    MAILBOX_NAMES,
    MailboxSerializer,
    MailboxWriteSerializer,
    VoicemailSerializer,
    VoicemailUpdateSerializer,
)
from ..viewsets import ResourceViewSet, body, validated


class MailboxFilterSet(BaseFilterSet):
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    enterpriseSid = django_filters.CharFilter(field_name="enterprise__sid")

    class Meta:
        model = Mailbox
        fields: list[str] = []


@resource_schema(
    tag="Mailboxes",
    output=MailboxSerializer,
    create_request=MailboxWriteSerializer,
    update_request=MailboxWriteSerializer,
    forbidden=("create", "update", "partial_update"),  # notifyEmails: the enterprise admin's
)
class MailboxViewSet(ResourceViewSet):
    """Mailboxes of the caller's enterprise; only enterprise admins set ``notifyEmails``."""

    queryset_base = Mailbox.objects.select_related("enterprise", "greeting", "created_by")
    not_found = Errors.MAILBOX_NOT_FOUND
    output_serializer = MailboxSerializer
    filterset_class = MailboxFilterSet
    sort_fields = {"name": Lower("name"), "dateCreated": "date_created"}

    def create(self, request):
        data = validated(MailboxWriteSerializer, body(request))
        enterprise = resolve_enterprise(request.user, data.get("enterpriseSid"))
        with MAILBOX_NAMES.errors():
            mailbox = do_create_mailbox(
                request.user, enterprise=enterprise, changes=MAILBOX_NAMES.changes(data)
            )
        return Response(self.serialize(self.get_object(mailbox.sid)))

    def update(self, request, sid: str):
        mailbox = self.get_object(sid)
        data = validated(MailboxWriteSerializer, body(request), partial=True)
        if data.get("enterpriseSid") not in (None, ""):
            enterprise = resolve_enterprise(request.user, data["enterpriseSid"])
            if enterprise != mailbox.enterprise:
                raise Errors.ENTERPRISE_NOT_FOUND({"sid": data["enterpriseSid"]})
        with MAILBOX_NAMES.errors():
            do_update_mailbox(request.user, mailbox, MAILBOX_NAMES.changes(data))
        return Response(self.serialize(self.get_object(sid)))

    partial_update = update

    def destroy(self, request, sid: str):
        mailbox = self.get_object(sid)
        payload = self.serialize(mailbox)
        do_delete_mailbox(mailbox)
        return Response(payload)


class VoicemailFilterSet(BaseFilterSet):
    """``startTime``/``endTime`` on the message's time; ``mailboxSid``; ``heard``."""

    startTime = InstantFilter(field_name="time", lookup_expr="gte")
    endTime = InstantFilter(field_name="time", lookup_expr="lte")
    mailboxSid = django_filters.CharFilter(field_name="mailbox__sid")
    heard = django_filters.TypedChoiceFilter(
        field_name="heard",
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
    )

    class Meta:
        model = Voicemail
        fields: list[str] = []


@resource_schema(
    tag="Voicemail",
    output=VoicemailSerializer,
    update_request=VoicemailUpdateSerializer,
)
class VoicemailViewSet(ResourceViewSet):
    """Messages left in the enterprise's mailboxes (``SortBy=time:desc``: newest first)."""

    queryset_base = Voicemail.objects.select_related("enterprise", "mailbox")
    not_found = Errors.VOICEMAIL_NOT_FOUND
    output_serializer = VoicemailSerializer
    filterset_class = VoicemailFilterSet
    sort_fields = {"time": "time", "dateCreated": "date_created"}

    def update(self, request, sid: str):
        voicemail = self.get_object(sid)
        data = validated(VoicemailUpdateSerializer, body(request))
        do_mark_heard(voicemail, data["heard"])
        return Response(self.serialize(self.get_object(sid)))

    partial_update = update

    def destroy(self, request, sid: str):
        voicemail = self.get_object(sid)
        payload = self.serialize(voicemail)
        do_delete_voicemail(voicemail)
        return Response(payload)

    @extend_schema(
        tags=["Voicemail"],
        responses={
            (200, "audio/wav"): OpenApiResponse(description="The copied recording."),
            **refusals(409),
        },
    )
    def audio(self, request, sid: str):
        """The copied recording (``audio/wav`` or ``audio/mpeg``), to authenticated users of the
        message's enterprise; 683 while it is not copied (``recordingUrl`` is the platform's)."""
        voicemail = get_visible(
            self.queryset_base.all(), request.user, sid, Errors.VOICEMAIL_NOT_FOUND
        )
        if not voicemail.audio:
            raise Errors.VOICEMAIL_AUDIO_MISSING(
                {
                    "sid": voicemail.sid,
                    "copyStatus": voicemail.copy_status,
                    "copyError": voicemail.copy_error,
                }
            )
        name = voicemail.audio.name
        kind = "audio/mpeg" if name.endswith(".mp3") else "audio/wav"
        response = FileResponse(voicemail.audio.open("rb"), content_type=kind)
        response["Cache-Control"] = "private, no-store"
        return response


def voicemail_routes() -> list:
    """``/mailbox`` CRUD, ``/voicemail/search[/{sid}]``, ``PUT|DELETE /voicemail/{sid}``,
    ``GET /voicemail/{sid}/audio``."""
    return [
        *resource_routes("mailbox", MailboxViewSet),
        re_path(
            rf"^voicemail/{SID}/audio/?$",
            VoicemailViewSet.as_view({"get": "audio"}),
            name="voicemail-audio",
        ),
        *resource_routes("voicemail", VoicemailViewSet, create=False),
    ]
