"""Under ``/autoattendant/`` a crash outside the REST framework still answers the JSON
envelope (never Django's HTML page, whatever DEBUG says)."""

from __future__ import annotations

import logging

from .api.envelope import error_response
from .errors import Errors

logger = logging.getLogger(__name__)


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/autoattendant/"):
            return None
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return error_response(Errors.SERVER_ERROR)
