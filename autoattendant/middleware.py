"""The platforms' webhooks skip the browser's middleware; under ``/autoattendant/`` a crash
outside the REST framework still answers the JSON envelope (never Django's HTML page, whatever
DEBUG says); the API's responses are counted by status class for ``/metrics``; a NUL byte in the
path or query string of an API request is refused with a 400 before any view looks anything up."""

from __future__ import annotations

import logging

from django.core.exceptions import SuspiciousOperation
from rest_framework.views import APIView

from . import metrics
from .api.envelope import error_response, request_error
from .api.parsers import NUL_MESSAGE
from .errors import Errors

logger = logging.getLogger(__name__)


_API_PREFIX = "/autoattendant/"
_WEBHOOK_PREFIX = "/autoattendant/internal/"


class PlatformWebhookMiddleware:
    """A telephony platform's request goes straight to its webhook view, past the middleware
    below this one.

    Placed right after ``SecurityMiddleware`` (HTTPS redirect and security headers still apply),
    it serves the three webhook paths (``/autoattendant/internal/{rcml,twiml,fallback}``, with or
    without a trailing slash) itself: a platform sends no cookie, session, CSRF token or user,
    and the views answer every error with RCML themselves, so sessions, CSRF, authentication,
    messages, frame options and the API's error envelope have nothing to do there — but cost a
    waiting caller about half of what a bare Django view costs, and URL resolution through the
    project's patterns more. Any other path goes on down the chain unchanged. The webhooks stay
    in the URLconf too (``reverse()`` and any deployment that drops this middleware).
    """

    def __init__(self, get_response):
        from .api.views.webhooks import webhook_views

        self.get_response = get_response
        self.views = webhook_views()

    def __call__(self, request):
        view = self.views.get(request.path_info)
        if view is None:
            return self.get_response(request)
        response = view(request)
        # What CommonMiddleware gives every other view: with a length the server sends the
        # document as it is, instead of chunked (three writes to the socket instead of two).
        if not response.streaming and "Content-Length" not in response:
            response.headers["Content-Length"] = str(len(response.content))
        return response


class ApiErrorMiddleware:
    """The API's crashes answered with the envelope, and every API response counted by status
    class (``autoattendant_api_requests_total``) — the platform webhooks' excepted, which count
    their calls themselves. Counting here, in a layer every request passes anyway, costs the
    webhooks two string comparisons and no middleware layer of its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        if path.startswith(_API_PREFIX) and not path.startswith(_WEBHOOK_PREFIX):
            metrics.count_api_response(response.status_code)
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith("/autoattendant/"):
            return None
        refused = request_error(exception)  # too many fields, a bad Host: not a crash
        if refused is not None:
            return error_response(*refused)
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return error_response(Errors.SERVER_ERROR)


class RefuseNulMiddleware:
    """A NUL byte (``%00``) in a REST API request's path or query string → 400 naming where
    it was: 600 for a part of the path (``{"sid": …}``), 612 for a query parameter.

    PostgreSQL refuses NUL in text, so one reaching a lookup was a 500 there (and a plain miss
    on SQLite). No sid, number, name or date holds one: it is malformed input (DESIGN §11),
    refused here once for every view and every database, with the words the REST framework
    uses for a NUL in a body's text field — the body's strings are checked by the parsers
    (``api/parsers.py``). Only the REST framework's views are guarded: the platforms' webhooks
    answer RCML whatever they are sent, and the other plain views look nothing up with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
            return None
        bad = {
            name: NUL_MESSAGE
            for name, value in view_kwargs.items()
            if isinstance(value, str) and "\x00" in value
        }
        if bad:
            return error_response(Errors.VALIDATION, bad)
        try:
            params = list(request.GET.lists())
        except SuspiciousOperation as exc:  # too many parameters
            return error_response(*(request_error(exc) or (Errors.VALIDATION, {})))
        bad = {
            name: NUL_MESSAGE
            for name, values in params
            if "\x00" in name or any("\x00" in value for value in values)
        }
        if bad:
            return error_response(Errors.INVALID_FILTER, bad)
        return None
