"""The API's one response shape.

Success: ``{"data": …, "code": 200, "message": "OK"}``. Error: ``{"errorCode": "<code>",
"message": …, "data": {…}}``. The renderer wraps successes; the exception handler builds errors;
``error_response`` serves Django-level 404/500 under ``/autoattendant/`` in the same shape.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import (
    DisallowedHost,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ..errors import AppError, ErrorCode, Errors

logger = logging.getLogger(__name__)

SECRET_FIELDS = {"password", "authToken"}


def success(data: Any) -> dict:
    return {"data": data, "code": 200, "message": "OK"}


def error_body(error: ErrorCode, data: Any = None, message: str | None = None) -> dict:
    return {
        "errorCode": str(error.code),
        "message": message or error.message,
        "data": {} if data is None else data,
    }


def error_response(error: ErrorCode, data: Any = None) -> JsonResponse:
    """A plain-Django JSON error (for handler404/handler500, outside DRF)."""
    return JsonResponse(error_body(error, data), status=error.http_status)


def echo(payload: Any) -> dict:
    """What the client sent, for an error's ``data``, with secrets masked."""
    if not isinstance(payload, dict):
        return {}
    return {k: ("********" if k in SECRET_FIELDS else v) for k, v in payload.items()}


_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class EnvelopeRenderer(JSONRenderer):
    """The envelope, written by ``orjson``: the same bytes as the REST framework's renderer
    (compact separators, UTF-8 not escaped, U+2028/U+2029 escaped, keys in order) several times
    faster on a page of 1,000 records.

    What ``orjson`` does not write itself (dates, lazy strings, decimals, sets …) goes to the
    REST framework's encoder, as before; an integer beyond 64 bits or an indented rendering
    falls back to the REST framework's renderer. The API writes no floats (counts are integers
    or strings); ``orjson`` would write a float's shortest round-trip form, ``1e16`` where the
    standard library writes ``1e+16``.
    """

    _encoder = JSONRenderer.encoder_class()

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Errors arrive already shaped by the exception handler; successes are wrapped here.
        response = (renderer_context or {}).get("response")
        if response is not None and not getattr(response, "exception", False):
            data = success(data)
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self._encoder.default, option=_ORJSON_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80" in body:
            for raw, escaped in _LINE_SEPARATORS:
                body = body.replace(raw, escaped)
        return body


class AlwaysJSONNegotiation(DefaultContentNegotiation):
    """Clients send all sorts of Accept headers; the API answers its JSON whatever they say.

    Views with other renderers (the OpenAPI schema: YAML or JSON) negotiate as usual.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        if isinstance(renderers[0], EnvelopeRenderer):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


def request_error(exc: BaseException | None) -> tuple[ErrorCode, dict] | None:
    """The documented error for what Django raises about a request it will not read — a body
    over the limit, too many fields or files (413, ``data`` naming the limit), a Host it does
    not serve or other suspicious input (400) — else None.

    One mapping for the three places that meet them: the REST framework's exception handler,
    ``middleware.ApiErrorMiddleware`` (outside the REST framework) and the 400 handler (raised
    by a middleware, before any view).
    """
    if isinstance(exc, RequestDataTooBig):
        return Errors.TOO_LARGE, {}
    if isinstance(exc, TooManyFieldsSent):
        return Errors.TOO_LARGE, {"maxFields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    if isinstance(exc, TooManyFilesSent):
        return Errors.TOO_LARGE, {"maxFiles": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    if isinstance(exc, DisallowedHost):
        return Errors.VALIDATION, {"Host": "Not a host name this server answers to."}
    if isinstance(exc, SuspiciousOperation):
        return Errors.VALIDATION, {"request": "The request cannot be read."}
    return None


def _validation_data(detail: Any) -> dict:
    """DRF's nested field errors → ``{"field": "message"}`` (lists joined)."""
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    return {"nonFieldErrors": _flatten(detail)}


def _flatten(value: Any) -> Any:
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return " ".join(str(v) for v in value)
        return [_flatten(v) for v in value]
    if isinstance(value, dict):
        return {k: _flatten(v) for k, v in value.items()}
    return str(value)


_DRF_TO_ERROR = [
    (exceptions.ParseError, Errors.MALFORMED_JSON),
    (exceptions.NotAuthenticated, Errors.NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, Errors.NOT_AUTHENTICATED),
    (exceptions.PermissionDenied, Errors.FORBIDDEN),
    (exceptions.NotFound, Errors.ROUTE_NOT_FOUND),
    (exceptions.MethodNotAllowed, Errors.METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, Errors.NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, Errors.UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, Errors.THROTTLED),
]


def exception_handler(exc: Exception, context: dict) -> Response:
    """Turn every exception raised in an API view into the error envelope (never HTML)."""
    # Imported here: rest_framework.views reads the renderer setting, which names this module.
    from rest_framework.views import set_rollback

    headers: dict[str, str] = {}
    request = context.get("request")
    if isinstance(exc, AppError):
        error, data, message = exc.error, exc.data, exc.message
        if request is not None and request.method in ("POST", "PUT", "PATCH"):
            # The spec's error bodies echo what was sent, plus what the error adds (a sid).
            sent = getattr(request, "_full_data", None)
            if isinstance(sent, dict) and isinstance(data, dict):
                data = {**echo(sent), **data}
    elif isinstance(exc, exceptions.ValidationError):
        error, data, message = Errors.VALIDATION, _validation_data(exc.detail), None
    elif (refused := request_error(exc)) is not None:
        (error, data), message = refused, None
    elif isinstance(exc, Http404):
        error, data, message = Errors.ROUTE_NOT_FOUND, {}, None
    elif isinstance(exc, PermissionDenied):
        error, data, message = Errors.FORBIDDEN, {}, None
    else:
        for exc_class, mapped in _DRF_TO_ERROR:
            if isinstance(exc, exc_class):
                error, data, message = mapped, {}, None
                break
        else:
            logger.exception(
                "Unhandled error in %s %s",
                getattr(request, "method", "?"),
                getattr(request, "path", "?"),
            )
            error, data, message = Errors.SERVER_ERROR, {}, None
        if isinstance(exc, exceptions.APIException):
            auth_header = getattr(exc, "auth_header", None)
            if auth_header:
                headers["WWW-Authenticate"] = auth_header
            wait = getattr(exc, "wait", None)
            if wait is not None:
                headers["Retry-After"] = str(int(wait) + 1)
            if isinstance(exc, exceptions.MethodNotAllowed):
                data = {"method": getattr(request, "method", "")}
    if error is Errors.NOT_AUTHENTICATED and "WWW-Authenticate" not in headers:
        headers["WWW-Authenticate"] = 'Basic realm="api"'
    set_rollback()
    return Response(error_body(error, data, message), status=error.http_status, headers=headers)
