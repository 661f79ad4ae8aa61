"""Query helpers the ORM lacks, for the reads that fetch a page's children by id set."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import CharField, F, Func, Lookup

__all__ = ["AnyOf", "UTCTimestampText", "any_of"]


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


class UTCTimestampText(Func):
    """A timestamp column as the API writes it, ``YYYY-MM-DDTHH:MM:SS+0000`` in UTC, formatted
    by the database (PostgreSQL ``to_char``, SQLite ``strftime``; fractions of a second dropped,
    as ``strftime`` does in Python). A page of 1,000 records then decodes 2,000 short strings
    instead of parsing and formatting 2,000 datetimes. On any other database the column comes
    back as a datetime, for :func:`autoattendant.timestamps.format_timestamp`.
    """

    arity = 1
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=(
                "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+0000\"')"
            ),
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores SQLite datetimes as UTC text; ``%%`` survives the parameter pass.
        return self.as_sql(
            compiler,
            connection,
            template="strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%S+0000', %(expressions)s)",
            **extra,
        )

    def as_sql(self, compiler, connection, template=None, **extra):
        if template is None:  # another database: the datetime itself
            return compiler.compile(self.source_expressions[0])
        return super().as_sql(compiler, connection, template=template, **extra)
