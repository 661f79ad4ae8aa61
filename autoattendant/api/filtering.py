"""Filters and sorting shared by every list: partial-name filters, exact matches,
``startTime``/``endTime`` on ``dateCreated`` and ``SortBy=<attribute>[:asc|desc]``."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F

from ..errors import Errors
from ..timestamps import parse_instant


class InstantField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return parse_instant(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class InstantFilter(django_filters.Filter):
    field_class = InstantField


class BaseFilterSet(django_filters.FilterSet):
    """Every list filters on creation time; subclasses add their own fields."""

    startTime = InstantFilter(field_name="date_created", lookup_expr="gte")
    endTime = InstantFilter(field_name="date_created", lookup_expr="lte")

    def filter_queryset_or_raise(self):
        if not self.is_valid():
            raise Errors.INVALID_FILTER(
                {name: " ".join(str(e) for e in errs) for name, errs in self.errors.items()}
            )
        return self.qs


def apply_filters(filterset_class, request, queryset):
    return filterset_class(request.query_params, queryset=queryset).filter_queryset_or_raise()


def apply_sort(request, queryset, fields: dict, default: str = "dateCreated"):
    """Order by a whitelisted attribute; ties broken by sid so pages never overlap.

    ``fields`` maps the API's attribute to a field name or an expression (names and emails
    sort case-insensitively, as people read them, whatever the database collation).
    """
    raw = request.query_params.get("SortBy") or request.query_params.get("sortBy") or default
    attribute, _, direction = raw.partition(":")
    direction = (direction or "asc").lower()
    if attribute not in fields or direction not in ("asc", "desc"):
        raise Errors.INVALID_SORT(
            {"SortBy": raw, "allowed": [f"{name}[:asc|desc]" for name in fields]}
        )
    target = fields[attribute]
    expression = F(target) if isinstance(target, str) else target
    if direction == "desc":
        return queryset.order_by(expression.desc(), F("sid").desc())
    return queryset.order_by(expression.asc(), F("sid").asc())
