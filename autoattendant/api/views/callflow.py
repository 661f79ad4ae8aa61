"""The third-party RCML API, and the routes of the platforms' webhooks (``.webhooks``).

``/rcml/search/{phoneNumber}`` (the spec's "RCML API") shows an enterprise admin which RCML a
number answers at a moment, in the usual JSON envelope.
"""

from __future__ import annotations

from django.urls import re_path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...access import require_bg_admin
from ...callflow import engine
from ...errors import Errors
from ...runtime.answering import answer_entry, bind
from ...runtime.dialled import dialled_digits
from ...runtime.lookup import lookup_number
from ...timestamps import format_timestamp, parse_instant
from ..fields import UTCDateTimeField
from ..query import QueryParameters
from ..schema import refusals
from .webhooks import base_url_for

__all__ = ["RcmlSearchView", "callflow_routes"]


RcmlSerializer = inline_serializer(
    "Rcml",
    {
        "rcml": serializers.CharField(help_text="The RCML document a call gets at `asOf`."),
        "enterpriseSid": serializers.CharField(),
        "autoAttendantSid": serializers.CharField(),
        "menuSid": serializers.CharField(
            allow_null=True, help_text="The menu answering at `asOf` (null: system suspended)."
        ),
        "asOf": UTCDateTimeField(help_text="The moment resolved."),
        "timezoneId": serializers.CharField(),
        "uri": serializers.CharField(),
    },
)


AS_OF = OpenApiParameter(
    "asOf",
    OpenApiTypes.STR,
    description="The moment to resolve (ISO-8601 date or date-time; default now).",
)


class RcmlSearchView(QueryParameters, APIView):
    """The RCML a number answers with at a moment (BG_ADMIN and the operator; AA_ADMIN → 403)."""

    def accepted_query_parameters(self) -> list[str]:
        return [AS_OF.name]

    @extend_schema(
        tags=["RCML"],
        summary="The RCML a phone number answers with at a moment",
        description=(
            "Resolves the number's AA system, its schedule at `asOf` (default now) and the menu, "
            "and returns the RCML the telephony platform would get. Errors: 491 number not found "
            "(or another enterprise's), 490 the number has no AA system, 498 no schedule entry "
            "and no default menu at `asOf`. AA_ADMIN users get 403."
        ),
        parameters=[
            OpenApiParameter(
                "phoneNumber", OpenApiTypes.STR, OpenApiParameter.PATH, description="Digits."
            ),
            AS_OF,
        ],
        responses={200: RcmlSerializer, **refusals(403, 409)},
    )
    def get(self, request: Request, phoneNumber: str) -> Response:
        user = request.user
        require_bg_admin(user)
        raw_as_of = request.query_params.get("asOf")
        try:
            as_of = parse_instant(raw_as_of) if raw_as_of else timezone.now()
        except ValueError as exc:
            raise Errors.VALIDATION({"asOf": str(exc)}) from None
        digits = dialled_digits(phoneNumber)
        if not digits:
            raise Errors.NUMBER_NOT_FOUND({"phoneNumber": phoneNumber})
        ref = lookup_number(digits, enterprise_id=None if user.is_superuser else user.enterprise_id)
        answer = answer_entry(ref, as_of, base_url_for(request))
        if answer.result.error_code == engine.NO_SCHEDULE_ERROR:
            raise Errors.NO_SCHEDULE_ENTRY({"phoneNumber": digits, "asOf": format_timestamp(as_of)})
        return Response(
            {
                "rcml": bind(answer.result.rcml, "", timezone.now()),
                "enterpriseSid": ref.enterprise_sid,
                "autoAttendantSid": ref.system_sid,
                "menuSid": answer.result.menu_sid,
                "asOf": format_timestamp(as_of),
                "timezoneId": answer.system.timezone_id,
                "uri": f"/autoattendant/rcml/search/{digits}",
            }
        )


def callflow_routes() -> list:
    """``rcml/search/{phoneNumber}``, with or without a trailing slash (the platforms' webhooks
    are routed first of all, in the project's URLconf)."""
    return [
        re_path(
            r"^rcml/search/(?P<phoneNumber>[^/]+)/?$", RcmlSearchView.as_view(), name="rcml-search"
        ),
    ]
