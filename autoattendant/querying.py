"""Query helpers the ORM lacks, for the reads that fetch a page's children by id set."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import F, Lookup

__all__ = ["AnyOf", "any_of"]


class AnyOf(Lookup):
    """``column = ANY(%s)``: on PostgreSQL the ids travel as **one** array parameter; elsewhere
    ``column IN (%s, …)``.

    ``field__in=ids`` resolves and binds every id one by one; for a page of 1,000 rows that costs
    more than the query itself (a parameter each to resolve, quote and parse). The ids are plain
    integers read from the database, never user text.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs_sql} = ANY(%s)", (*lhs_params, ids)
        placeholders = ", ".join(["%s"] * len(ids)) or "NULL"
        return f"{lhs_sql} IN ({placeholders})", (*lhs_params, *ids)


def any_of(field: str, ids: Sequence[int]) -> AnyOf:
    """A filter expression: ``Model.objects.filter(any_of("menu_id", ids))``."""
    return AnyOf(F(field), list(ids))
