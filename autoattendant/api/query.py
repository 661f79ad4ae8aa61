"""Query parameters: every operation takes exactly the ones its OpenAPI schema documents.

Anything else in the query string is refused with 625 (HTTP 400), ``data`` naming each unknown
parameter and the ones the operation takes. A misspelt filter silently ignored answers a question
the client did not ask — ``pagesize=100`` served ten rows, ``StartDate=-30days`` the default
period, ``autoAttendandSid`` (the spec's own typo) every system's menus — where refused, the
client learns at once.

One list per operation feeds both the check and the schema (``schema.py`` documents the same
names), and ``tests/api/test_query_parameters.py`` sends every documented parameter of every
operation of the schema, and one it does not document, to keep the two in step.

Only the API's operations are concerned: the platforms' webhooks (``/autoattendant/internal/*``,
routed before the API and never in its schema) read whatever the platform sends.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rest_framework.request import Request

from ..errors import Errors

__all__ = [
    "CREATED",
    "PAGING",
    "SORTING",
    "QueryParameters",
    "list_parameter_names",
    "refuse_unknown",
]

#: Every list and the usage records: ``page`` from 0, ``pageSize`` 1 to 1000.
PAGING = ("page", "pageSize")
#: ``SortBy=<attribute>[:asc|desc]``; ``sortBy`` is its (deprecated) alias.
SORTING = ("SortBy", "sortBy")
#: Every list filters on creation time (``filtering.BaseFilterSet``).
CREATED = ("startTime", "endTime")


def list_parameter_names(filterset_class) -> tuple[str, ...]:
    """What a resource's list (``GET /{name}/search``) takes: paging, sorting and its filters
    (``startTime`` and ``endTime`` among them), in the order the schema lists them."""
    filters = tuple(name for name in filterset_class.base_filters if name not in CREATED)
    return (*PAGING, *SORTING, *CREATED, *filters)


def refuse_unknown(request: Request, accepted: Iterable[str]) -> None:
    """625 naming every parameter of the query string not in ``accepted``; else nothing."""
    accepted = tuple(accepted)
    unknown = [name for name in request.query_params if name not in accepted]
    if unknown:
        takes = ", ".join(accepted) if accepted else "no query parameters"
        message = f"Not a parameter of this operation; it takes {takes}."
        raise Errors.UNKNOWN_QUERY_PARAMETER({name: message for name in unknown})


class QueryParameters:
    # For the API's views: ``accepted_query_parameters`` names what the operation being served
    # takes (by default nothing); anything else is refused once the caller is authenticated and
    # allowed in (an anonymous request still gets its 401 first), before the operation runs. A
    # method the view does not serve is left to its 405, which says more. (A comment, not a
    # docstring: drf-spectacular would show a docstring as the description of every view
    # without its own.)

    def accepted_query_parameters(self) -> Collection[str]:
        return ()

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if hasattr(self, request.method.lower()):
            refuse_unknown(request, self.accepted_query_parameters())
