"""The base of every resource: tenancy, lists (filter, sort, page) and sid lookups, once.

A resource declares its queryset, not-found error, filterset, sort attributes and output
serializer; writes are a few lines calling a ``do_*`` service.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ..access import get_visible, scope
from ..errors import ErrorCode, Errors
from .fields import TIMESTAMPS_TEXT
from .filtering import BaseFilterSet, apply_filters, apply_sort
from .pagination import Page
from .query import QueryParameters, list_parameter_names


def body(request: Request) -> dict:
    """The JSON object sent; anything else (a list, a string) is a 400."""
    data = request.data
    if hasattr(data, "dict") and not isinstance(data, dict):
        data = data.dict()
    if not isinstance(data, dict):
        raise Errors.VALIDATION({"body": "Expected a JSON object."})
    return data


def validated(serializer_class: type[serializers.Serializer], data: dict, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ResourceViewSet(QueryParameters, viewsets.ViewSet):
    queryset_base: ClassVar[Any]  # a QuerySet with select_related/prefetch_related
    not_found: ClassVar[ErrorCode]
    output_serializer: ClassVar[type[serializers.Serializer]]
    filterset_class: ClassVar[type[BaseFilterSet]] = BaseFilterSet
    sort_fields: ClassVar[dict[str, str]] = {"dateCreated": "date_created"}
    enterprise_field: ClassVar[str] = "enterprise"
    lookup_url_kwarg = "sid"
    #: A list page read as plain values (no model instance, no serializer per row): the
    #: ``values()`` names its items need, joined relations by lookup (``enterprise__sid``);
    #: the timestamps come as text too (``fields.TIMESTAMPS_TEXT``).
    #: ``list_items`` turns a page of them into exactly what ``output_serializer`` would
    #: answer (pinned by ``tests/perf/test_list_golden.py``). Empty: the serializer does it.
    list_fields: ClassVar[tuple[str, ...]] = ()

    def accepted_query_parameters(self) -> tuple[str, ...]:
        """The list takes paging, sorting and its filters; the other actions nothing."""
        return list_parameter_names(self.filterset_class) if self.action == "list" else ()

    def get_queryset(self):
        return scope(self.queryset_base.all(), self.request.user, self.enterprise_field)

    def get_object(self, sid: str | None = None):
        return get_visible(
            self.queryset_base.all(),
            self.request.user,
            sid if sid is not None else self.kwargs.get("sid"),
            self.not_found,
            self.enterprise_field,
        )

    def serialize(self, obj) -> dict:
        return self.output_serializer(obj, context={"request": self.request}).data

    def filter_queryset(self, queryset):
        queryset = apply_filters(self.filterset_class, self.request, queryset)
        return apply_sort(self.request, queryset, self.sort_fields)

    # --- read ---------------------------------------------------------------------------------
    def list_context(self, rows: list) -> dict:
        """Serializer context for a page of ``rows``: where a resource reads related rows for the
        whole page at once (one query per page, whatever its size)."""
        return {}

    def list_items(self, rows: list[dict]) -> list[dict]:
        """A page of ``list_fields`` rows as the list's items; children of the whole page in a
        constant number of queries."""
        raise NotImplementedError

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        if self.list_fields:
            # Prefetches are for model rows; the items read a page's children themselves.
            page = Page(
                request,
                queryset.prefetch_related(None),
                values=(self.list_fields, TIMESTAMPS_TEXT),
            )
            return page.response(self.list_items(page.rows))
        page = Page(request, queryset)
        context = {"request": request, **self.list_context(page.rows)}
        return page.response(self.output_serializer(page.rows, many=True, context=context).data)

    def retrieve(self, request: Request, sid: str) -> Response:
        return Response(self.serialize(self.get_object(sid)))
