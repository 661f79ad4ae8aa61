"""The telephony platforms' webhooks: one engine, one set of flows, two XML dialects.

- ``/internal/rcml`` — Restcomm (RCML). Entry requests are checked against
  ``PLATFORM_WEBHOOK_USER``/``PASSWORD`` (HTTP Basic in the webhook URL) when they are set;
  continuations carry the engine's signed state.
- ``/internal/twiml`` — Twilio and TwiML-compatible platforms (SignalWire, Telnyx TeXML). Every
  request, entry and continuation alike, must carry a valid ``X-Twilio-Signature`` when
  ``TWILIO_AUTH_TOKEN`` is set; continuations carry the signed state too.
- ``/internal/fallback`` — the platforms' voice fallback URL: a constant apology and
  ``<Hangup/>``, with no database or cache access, for when everything else is down.

These are plain Django views — no REST framework, serializers, throttling or sessions on the hot
path — that parse the request, check the platform's credentials or signature, and hand the
parameters to the runtime's :func:`~autoattendant.runtime.answering.answer_call`; a warm call
costs at most one query (none when the route is remembered, see
:mod:`autoattendant.runtime.routes`). They never answer a 500 or leave a dead line: anything
unexpected is logged with the ``CallSid`` and answered with an apology and ``<Hangup/>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
from collections.abc import Callable, Iterable
from time import perf_counter
from urllib.parse import parse_qsl, unquote_plus, urlsplit, urlunsplit

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from ... import metrics
from ...callflow import engine
from ...callflow.dialect import RESTCOMM, TWIML, Dialect
from ...callflow.engine import Outcome
from ...callflow.state import carries_state
from ...runtime.answering import answer_call
from ...runtime.config import forget_with_settings, hot

__all__ = [
    "base_url_for",
    "form_fields",
    "internal_fallback",
    "internal_rcml",
    "internal_twiml",
    "twilio_signature",
    "webhook_routes",
    "webhook_views",
]

logger = logging.getLogger(__name__)

XML_CONTENT_TYPE = "application/xml"
TWILIO_SIGNATURE_HEADER = "HTTP_X_TWILIO_SIGNATURE"

#: The fallback URL's answer, built once: it must work with the database and cache down.
_FALLBACK_DOCUMENT = engine.apology_rcml()


def _xml(document: str, status: int = 200) -> HttpResponse:
    return HttpResponse(document, content_type=XML_CONTENT_TYPE, status=status)


def _refused(status: int) -> HttpResponse:
    """``<Response><Hangup/></Response>`` with ``status``: the platform ends the call."""
    return _xml(engine.hangup_rcml(), status=status)


#: Base URLs already worked out, by the request headers they depend on (bounded; see below);
#: forgotten whenever a setting changes (``ALLOWED_HOSTS``, ``SECURE_PROXY_SSL_HEADER`` …).
_base_urls: dict[tuple, str] = {}
forget_with_settings(_base_urls.clear)
_BASE_URL_HEADERS = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTO",
)


def base_url_for(request: HttpRequest) -> str:
    """Scheme and host for absolute URLs: ``PUBLIC_BASE_URL`` when set (behind a TLS-terminating
    proxy the request's own are wrong), else the request's.

    Working it out from the request (host validation against ``ALLOWED_HOSTS`` included) costs
    more than the rest of a warm call, so each distinct set of the headers it depends on is
    worked out once; only allowed hosts get that far (any other raises
    ``DisallowedHost`` first), and the memory is bounded.
    """
    config = hot()
    if config.public_base_url:
        return config.public_base_url
    meta = request.META
    key = (
        meta.get(config.proxy_ssl_header),
        *(meta.get(name) for name in _BASE_URL_HEADERS),
    )
    base = _base_urls.get(key)
    if base is None:
        base = request.build_absolute_uri("/").rstrip("/")
        if len(_base_urls) >= 256:
            _base_urls.clear()
        _base_urls[key] = base
    return base


# --- parameters -----------------------------------------------------------------------------


def form_fields(raw: str) -> dict[str, str]:
    """A form-encoded body or query string as a dict, the last value of a repeated name winning:
    ``QueryDict(raw).dict()`` (same limits, same decoding) at a fraction of its cost."""
    fields: dict[str, str] = {}
    if not raw:
        return fields
    pairs = raw.split("&")
    limit = hot().max_fields
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


def _form_body(request: HttpRequest) -> str | None:
    """The POST body as text when it is form-encoded (``None`` otherwise)."""
    if request.method != "POST" or (request.content_type or "") not in (
        "",
        "application/x-www-form-urlencoded",
    ):
        return None
    return request.body.decode(request.encoding or hot().charset, "replace")


def _platform_params(request: HttpRequest) -> dict[str, str]:
    """The form body (on POST) and the query string merged, the query string winning a clash."""
    params: dict[str, str] = {}
    if request.method == "POST":
        body = _form_body(request)
        params.update(form_fields(body) if body is not None else request.POST.dict())
    query = request.META.get("QUERY_STRING", "")
    if not query.isascii():  # WSGI hands the raw bytes over as latin-1
        query = query.encode("latin-1").decode("utf-8", "replace")
    params.update(form_fields(query))
    return params


# --- credentials and signatures ---------------------------------------------------------------


def _basic_authorised(request: HttpRequest) -> bool:
    """A Restcomm entry request's HTTP Basic credentials, when the platform's are configured."""
    config = hot()
    user, password = config.webhook_user, config.webhook_password
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


def twilio_signature(url: str, pairs: Iterable[tuple[str, str]], token: str) -> str:
    """``X-Twilio-Signature`` of a request: base64(HMAC-SHA1(token, url + each POST parameter's
    name immediately followed by its value, sorted by name then value, duplicates once))."""
    grouped: dict[str, set[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, set()).add(value)
    message = url + "".join(
        name + value for name in sorted(grouped) for value in sorted(grouped[name])
    )
    digest = hmac.new(token.encode(), message.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _url_variants(url: str) -> tuple[str, ...]:
    """``url`` as signed with and without its port (platforms are not consistent about it)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        return (url, urlunsplit(parts._replace(netloc=host)))
    port = 443 if parts.scheme == "https" else 80
    return (url, urlunsplit(parts._replace(netloc=f"{parts.netloc}:{port}")))


def _signed_url(request: HttpRequest) -> str:
    """The URL the platform requested: the base URL (``PUBLIC_BASE_URL`` when set: behind a
    proxy the request's own scheme and host are not what the platform signed) + path and query."""
    return base_url_for(request) + request.get_full_path()


def _twilio_signed(request: HttpRequest) -> bool:
    """Whether the request carries a valid ``X-Twilio-Signature`` (always, with no token set)."""
    token = hot().twilio_auth_token
    if not token:
        return True
    given = request.META.get(TWILIO_SIGNATURE_HEADER, "")
    if not given:
        return False
    body = _form_body(request)
    pairs = parse_qsl(body, keep_blank_values=True) if body else []
    return any(
        hmac.compare_digest(twilio_signature(url, pairs, token).encode(), given.encode())
        for url in _url_variants(_signed_url(request))
    )


# --- answering ------------------------------------------------------------------------------


def _serve(
    request: HttpRequest,
    dialect: Dialect,
    refusal: Callable[[HttpRequest, dict], HttpResponse | None],
) -> HttpResponse:
    """The dialect's answer to one platform request, counted and timed
    (:func:`autoattendant.metrics.record_call`: one increment and one observation)."""
    started = perf_counter()
    response, outcome = _answer(request, dialect, refusal)
    metrics.record_call(dialect.name, outcome, perf_counter() - started)
    return response


def _answer(
    request: HttpRequest,
    dialect: Dialect,
    refusal: Callable[[HttpRequest, dict], HttpResponse | None],
) -> tuple[HttpResponse, str]:
    """Method check, parameters, the dialect's ``refusal`` check, then the engine's answer —
    with an apology instead of any error; and the outcome (``answered``, ``refused`` or
    ``apology``)."""
    if request.method not in ("GET", "POST"):
        response = _refused(405)
        response["Allow"] = "GET, POST"
        return response, "refused"
    params: dict[str, str] = {}
    try:
        params = _platform_params(request)
        refused = refusal(request, params)
        if refused is not None:
            return refused, "refused"
        reply = answer_call(
            params, base_url=base_url_for(request), instant=timezone.now(), dialect=dialect
        )
    except Exception:
        call_sid = params.get("CallSid", "")
        logger.exception(
            "Call flow failed (CallSid=%s, To=%s); answered with an apology",
            call_sid,
            params.get("To", ""),
            extra={"CallSid": call_sid},
        )
        return _xml(engine.apology_rcml()), "apology"
    if reply.status != 200:
        outcome = "refused"
    elif reply.outcome == Outcome.ERROR:
        outcome = "apology"
    else:
        outcome = "answered"
    return _xml(reply.document, reply.status), outcome


def _restcomm_refusal(request: HttpRequest, params: dict) -> HttpResponse | None:
    if carries_state(params) or _basic_authorised(request):
        return None
    response = _refused(401)
    response["WWW-Authenticate"] = 'Basic realm="platform"'
    return response


def _twiml_refusal(request: HttpRequest, params: dict) -> HttpResponse | None:
    if _twilio_signed(request):
        return None
    call_sid = params.get("CallSid", "")
    logger.warning(
        "Refused TwiML request without a valid X-Twilio-Signature (CallSid=%s)",
        call_sid,
        extra={"CallSid": call_sid},
    )
    return _refused(403)


@csrf_exempt
def internal_rcml(request: HttpRequest) -> HttpResponse:
    """``GET|POST /autoattendant/internal/rcml``: Restcomm's RCML for a call's entry or next step.

    Engine state comes from the query string of the URLs the engine emitted; the platform's own
    parameters (``To``, ``Digits``, ``SpeechResult``, ``DialCallStatus`` …) from the query string
    on GET and the form body on POST, so both are merged (the query string wins a clash).
    Statuses: 200 RCML (apologies included), 401 entry without the configured platform
    credentials, 403 continuation with a missing or forged signature, 405 other methods.
    """
    return _serve(request, RESTCOMM, _restcomm_refusal)


@csrf_exempt
def internal_twiml(request: HttpRequest) -> HttpResponse:
    """``GET|POST /autoattendant/internal/twiml``: TwiML for Twilio and compatible platforms.

    Statuses: 200 TwiML (apologies included), 403 a missing or wrong ``X-Twilio-Signature``
    (when ``TWILIO_AUTH_TOKEN`` is set) or a missing or forged call-state signature, 405 other
    methods.
    """
    return _serve(request, TWIML, _twiml_refusal)


@csrf_exempt
def internal_fallback(request: HttpRequest) -> HttpResponse:
    """``GET|POST /autoattendant/internal/fallback``: the platforms' voice fallback URL — the
    apology and ``<Hangup/>`` in either dialect, touching neither the database nor the cache."""
    return _xml(_FALLBACK_DOCUMENT)


def webhook_routes() -> list:
    """The three platform webhooks, each with or without a trailing slash."""
    return [
        re_path(r"^internal/rcml/?$", internal_rcml, name="internal-rcml"),
        re_path(r"^internal/twiml/?$", internal_twiml, name="internal-twiml"),
        re_path(r"^internal/fallback/?$", internal_fallback, name="internal-fallback"),
    ]


def webhook_views() -> dict[str, Callable[[HttpRequest], HttpResponse]]:
    """The webhooks by request path (with and without a trailing slash), for
    :class:`autoattendant.middleware.PlatformWebhookMiddleware`."""
    views = {"rcml": internal_rcml, "twiml": internal_twiml, "fallback": internal_fallback}
    return {
        f"/autoattendant/internal/{name}{slash}": view
        for name, view in views.items()
        for slash in ("", "/")
    }
