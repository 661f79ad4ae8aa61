"""The spec's paging: ``page`` from 0, ``pageSize`` default 10 and capped at 1000."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from rest_framework.response import Response

from ..errors import Errors

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000


def _non_negative_int(params, name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = -1
    if value < 0:
        raise Errors.INVALID_PAGING({name: f"{name} must be a non-negative integer"})
    return value


class Page:
    """One page of an ordered queryset; issues exactly two queries (count + rows).

    With ``values`` — ``(names, expressions)`` — the rows are plain dicts
    (``queryset.values(*names, **expressions)``), while the total is still counted on
    ``queryset`` itself: a ``values()`` naming joined relations would join them in the count
    too.
    """

    def __init__(self, request, queryset, result_key: str = "result", values=None):
        self._read_params(request, result_key)
        if not queryset.ordered:
            raise RuntimeError("Paginate only ordered querysets")
        self.total = queryset.count()
        start = self.start
        rows = queryset if values is None else queryset.values(*values[0], **values[1])
        self.rows = list(rows[start : start + self.page_size]) if self.total > start else []

    def _read_params(self, request, result_key: str) -> None:
        params = request.query_params
        self.page = _non_negative_int(params, "page", 0)
        size = _non_negative_int(params, "pageSize", DEFAULT_PAGE_SIZE)
        if size == 0:
            raise Errors.INVALID_PAGING({"pageSize": "pageSize must be at least 1"})
        self.page_size = min(size, MAX_PAGE_SIZE)
        self.start = self.page * self.page_size
        self.request = request
        self.result_key = result_key

    @property
    def num_pages(self) -> int:
        return math.ceil(self.total / self.page_size) if self.total else 0

    def _uri(self, page: int) -> str:
        params = [(k, v) for k, v in self.request.query_params.lists() for v in v]
        params = [(k, v) for k, v in params if k not in ("page", "pageSize")]
        params += [("pageSize", self.page_size), ("page", page)]
        return f"{self.request.path}?{urlencode(params)}"

    def envelope_data(self, result: list) -> dict:
        last = self.num_pages - 1
        return {
            self.result_key: result,
            "pageSize": self.page_size,
            "total": self.total,
            "page": self.page,
            "numPages": self.num_pages,
            "start": self.start,
            "end": self.start + len(result) - 1,
            "uri": self._uri(self.page),
            "firstPageUri": self._uri(0),
            "previousPageUri": self._uri(self.page - 1) if 0 < self.page <= last + 1 else None,
            "nextPageUri": self._uri(self.page + 1) if self.page < last else None,
        }

    def response(self, result: list) -> Response:
        return Response(self.envelope_data(result))


class SequencePage(Page):
    """One page of a Python sequence: anything with ``len()`` and slicing.

    A list works; so does a lazy table that builds only the slice asked for (usage records are
    computed per page, never for every row). Same fields and URIs as ``Page``.
    """

    def __init__(self, request, sequence, result_key: str = "result"):
        self._read_params(request, result_key)
        self.total = len(sequence)
        start = self.start
        self.rows = list(sequence[start : start + self.page_size]) if self.total > start else []


def paginated_schema(item_schema: dict, result_key: str = "result") -> dict:
    """The OpenAPI shape of a page (used by the schema of every list)."""
    nullable_uri = {"type": "string", "nullable": True}
    return {
        "type": "object",
        "required": [result_key, "pageSize", "total", "page", "numPages", "start", "end", "uri"],
        "properties": {
            result_key: {"type": "array", "items": item_schema},
            "pageSize": {"type": "integer", "example": 10},
            "total": {"type": "integer", "example": 1},
            "page": {"type": "integer", "example": 0},
            "numPages": {"type": "integer", "example": 1},
            "start": {"type": "integer", "example": 0},
            "end": {"type": "integer", "example": 0},
            "uri": {"type": "string"},
            "firstPageUri": {"type": "string"},
            "previousPageUri": nullable_uri,
            "nextPageUri": nullable_uri,
        },
    }
