from __future__ import annotations

from django.http import JsonResponse

from ...errors import Errors
from ..envelope import error_response, request_error


def route_not_found(request, *args, **kwargs) -> JsonResponse:
    return error_response(Errors.ROUTE_NOT_FOUND, {"path": request.path})


def server_error(request, *args, **kwargs) -> JsonResponse:
    return error_response(Errors.SERVER_ERROR)


def bad_request_or_html(request, exception=None):
    """Django's 400 handler — what a middleware refuses before any view (a Host this server does
    not answer to, too many parameters): the envelope under ``/autoattendant/``."""
    if request.path.startswith("/autoattendant/"):
        return error_response(*(request_error(exception) or (Errors.VALIDATION, {})))
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def route_not_found_or_html(request, exception=None):
    """Django's 404 handler: the envelope under ``/autoattendant/``, the usual page elsewhere."""
    if request.path.startswith("/autoattendant/"):
        return route_not_found(request)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def server_error_or_html(request):
    if request.path.startswith("/autoattendant/"):
        return server_error(request)
    from django.views.defaults import server_error as html_server_error

    return html_server_error(request)
