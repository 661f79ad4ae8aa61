"""RCML over HTTP: the platform's call-flow endpoint and the third-party RCML API.

``/internal/rcml`` is the telephony platform's webhook for every incoming call and every key
press. It is a plain Django view — no REST framework, serializers, throttling or sessions on this
hot path — that parses parameters, checks the entry credentials or the state signature, and hands
over to ``services.simulation``; its cost is at most one query on a warm cache (none when the
route is remembered, see ``autoattendant.routing``). It never answers a 500 or
leaves a dead line: anything unexpected is logged with the ``CallSid`` and answered with an
apology and ``<Hangup/>``.

``/rcml/search/{phoneNumber}`` (the spec's "RCML API") shows an enterprise admin which RCML a
number answers at a moment, in the usual JSON envelope.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import logging
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...access import require_bg_admin
from ...callflow import engine
from ...callflow.state import StateError, carries_state, decode
from ...errors import AppError, Errors
from ...services.simulation import answer_continuation, answer_entry, state_key
from ...snapshots import lookup_number, normalise_dialled
from ..filtering import parse_instant

__all__ = ["RcmlSearchView", "callflow_routes", "internal_rcml"]

logger = logging.getLogger(__name__)

RCML_CONTENT_TYPE = "application/xml"
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S+0000"


def _rcml(document: str, status: int = 200) -> HttpResponse:
    return HttpResponse(document, content_type=RCML_CONTENT_TYPE, status=status)


def base_url_for(request: HttpRequest) -> str:
    """Scheme and host for absolute URLs: ``PUBLIC_BASE_URL`` when set (behind a TLS-terminating
    proxy the request's own are wrong), else the request's."""
    return settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")


def _platform_authorised(request: HttpRequest) -> bool:
    """The entry request's HTTP Basic credentials, when the platform's are configured."""
    user = settings.PLATFORM_WEBHOOK_USER
    password = settings.PLATFORM_WEBHOOK_PASSWORD
    if not user and not password:
        return True
    scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        given_user, _, given_password = base64.b64decode(encoded).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    user_ok = hmac.compare_digest(given_user.encode(), user.encode())
    password_ok = hmac.compare_digest(given_password.encode(), password.encode())
    return user_ok and password_ok


def form_fields(raw: str) -> dict[str, str]:
    """A form-encoded body or query string as a dict, the last value of a repeated name winning:
    ``QueryDict(raw).dict()`` (same limits, same decoding) at a fraction of its cost."""
    fields: dict[str, str] = {}
    if not raw:
        return fields
    pairs = raw.split("&")
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is not None and len(pairs) > limit:
        raise TooManyFieldsSent("The number of GET/POST parameters exceeded the limit.")
    for pair in pairs:
        if not pair:
            continue
        name, _, value = pair.partition("=")
        if "%" in pair or "+" in pair:
            name, value = (
                unquote_plus(name, errors="replace"),
                unquote_plus(value, errors="replace"),
            )
        fields[name] = value
    return fields


def _platform_params(request: HttpRequest) -> dict[str, str]:
    """The form body (on POST) and the query string merged, the query string winning a clash."""
    params: dict[str, str] = {}
    if request.method == "POST":
        content_type = request.content_type or ""
        if content_type in ("", "application/x-www-form-urlencoded"):
            params.update(
                form_fields(
                    request.body.decode(request.encoding or settings.DEFAULT_CHARSET, "replace")
                )
            )
        else:
            params.update(request.POST.dict())
    query = request.META.get("QUERY_STRING", "")
    if not query.isascii():  # WSGI hands the raw bytes over as latin-1
        query = query.encode("latin-1").decode("utf-8", "replace")
    params.update(form_fields(query))
    return params


def _answer(request: HttpRequest, params: dict[str, str]) -> HttpResponse:
    base_url = base_url_for(request)
    if carries_state(params):
        try:
            state = decode(params, state_key())
        except StateError as exc:
            logger.warning(
                "Refused call-flow continuation (CallSid=%s): %s", params.get("CallSid", ""), exc
            )
            return _rcml(engine.hangup_rcml(), status=403)
        result = answer_continuation(
            state,
            base_url,
            digits=params.get("Digits"),
            speech=params.get("SpeechResult"),
            dial_status=params.get("DialCallStatus"),
        )
        return _rcml(result.rcml)

    if not _platform_authorised(request):
        response = _rcml(engine.hangup_rcml(), status=401)
        response["WWW-Authenticate"] = 'Basic realm="platform"'
        return response
    digits = normalise_dialled(params.get("To"))
    try:
        ref = lookup_number(digits)
    except AppError as exc:
        logger.warning(
            "Call to %r (CallSid=%s) answered with an apology: %s",
            params.get("To", ""),
            params.get("CallSid", ""),
            exc,
        )
        return _rcml(engine.apology_rcml())
    answer = answer_entry(ref, timezone.now(), base_url)
    if answer.result.error_code is not None:
        logger.info(
            "Call to %s (CallSid=%s): %s",
            digits,
            params.get("CallSid", ""),
            "; ".join(answer.result.notes),
        )
    return _rcml(answer.result.rcml)


@csrf_exempt
def internal_rcml(request: HttpRequest) -> HttpResponse:
    """``GET|POST /autoattendant/internal/rcml``: the RCML for a call's entry or next step.

    Engine state comes from the query string of the URLs the engine emitted; the platform's own
    parameters (``To``, ``Digits``, ``SpeechResult``, ``DialCallStatus`` …) from the query string
    on GET and the form body on POST, so both are merged (the query string wins a clash).
    Statuses: 200 RCML (apologies included), 401 entry without the configured platform
    credentials, 403 continuation with a missing or forged signature, 405 other methods.
    """
    if request.method not in ("GET", "POST"):
        response = _rcml(engine.hangup_rcml(), status=405)
        response["Allow"] = "GET, POST"
        return response
    params: dict[str, str] = {}
    try:
        params = _platform_params(request)
        return _answer(request, params)
    except Exception:
        logger.exception(
            "Call flow failed (CallSid=%s, To=%s); answered with an apology",
            params.get("CallSid", ""),
            params.get("To", ""),
        )
        return _rcml(engine.apology_rcml())


RcmlSerializer = inline_serializer(
    "Rcml",
    {
        "rcml": serializers.CharField(help_text="The RCML document a call gets at `asOf`."),
        "enterpriseSid": serializers.CharField(),
        "autoAttendantSid": serializers.CharField(),
        "menuSid": serializers.CharField(
            allow_null=True, help_text="The menu answering at `asOf` (null: system suspended)."
        ),
        "asOf": serializers.CharField(help_text="The moment resolved, `YYYY-MM-DDTHH:MM:SS+0000`."),
        "timezoneId": serializers.CharField(),
        "uri": serializers.CharField(),
    },
)


class RcmlSearchView(APIView):
    """The RCML a number answers with at a moment (BG_ADMIN and the operator; AA_ADMIN → 403)."""

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
            OpenApiParameter(
                "asOf",
                OpenApiTypes.STR,
                description="The moment to resolve (ISO-8601 date or date-time; default now).",
            ),
        ],
        responses={200: RcmlSerializer},
    )
    def get(self, request: Request, phoneNumber: str) -> Response:
        user = request.user
        require_bg_admin(user)
        raw_as_of = request.query_params.get("asOf")
        try:
            as_of = parse_instant(raw_as_of) if raw_as_of else timezone.now()
        except ValueError as exc:
            raise Errors.VALIDATION({"asOf": str(exc)}) from None
        digits = normalise_dialled(phoneNumber)
        if not digits:
            raise Errors.NUMBER_NOT_FOUND({"phoneNumber": phoneNumber})
        ref = lookup_number(digits, enterprise_id=None if user.is_superuser else user.enterprise_id)
        answer = answer_entry(ref, as_of, base_url_for(request))
        if answer.result.error_code == engine.NO_SCHEDULE_ERROR:
            raise Errors.NO_SCHEDULE_ENTRY(
                {"phoneNumber": digits, "asOf": as_of.strftime(TIMESTAMP_FORMAT)}
            )
        return Response(
            {
                "rcml": answer.result.rcml,
                "enterpriseSid": ref.enterprise_sid,
                "autoAttendantSid": ref.system_sid,
                "menuSid": answer.result.menu_sid,
                "asOf": as_of.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT),
                "timezoneId": answer.system.timezone_id,
                "uri": f"/autoattendant/rcml/search/{digits}",
            }
        )


def callflow_routes() -> list:
    """``internal/rcml`` (the platform) and ``rcml/search/{phoneNumber}``, each with or without
    a trailing slash."""
    return [
        re_path(r"^internal/rcml/?$", internal_rcml, name="internal-rcml"),
        re_path(
            r"^rcml/search/(?P<phoneNumber>[^/]+)/?$", RcmlSearchView.as_view(), name="rcml-search"
        ),
    ]
