"""Benchmark the monthly usage roll-up on PostgreSQL: 1,000,000 numbers, 10,000 enterprises.

    python bench/usage_rollup.py [--server postgres://postgres@127.0.0.1:5432/postgres]
                                 [--enterprises 10000] [--numbers 1000000] [--keep]

Creates the database ``aa_bench_usage`` on that server (dropping an old one first), migrates
it, loads the data set-based (``INSERT … SELECT generate_series``, no ORM saves), then times
``rollup_month`` twice — cold (first run: inserts every row) and warm (second run: upserts the
same rows) — plus the live count it is built on and one page of the operator's monthly list.
The database is dropped at the end unless ``--keep``.

Numbers are spread over 2022-2024; 30 % of them were deleted some time after creation and a
quarter are extensions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "aa_bench_usage"
MONTH = dt.date(2024, 6, 1)

ENTERPRISES_SQL = """
INSERT INTO autoattendant_enterprise (sid, name, status, date_created, date_updated)
SELECT 'EN' || md5('enterprise' || i), 'Enterprise ' || i, 'ACTIVE',
       timestamptz '2021-12-01 00:00+00', timestamptz '2021-12-01 00:00+00'
FROM generate_series(1, %(enterprises)s) AS i
"""

# Creation times spread over three years; 3 numbers in 10 deleted 0-399 days later.
NUMBERS_SQL = """
WITH enterprises AS (SELECT min(id) AS first_id FROM autoattendant_enterprise),
numbers AS (
    SELECT i, timestamptz '2022-01-01 00:00+00'
              + ((i * 7919) %% 1095) * interval '1 day'
              + (i %% 86400) * interval '1 second' AS created
    FROM generate_series(1::bigint, %(numbers)s) AS i
)
INSERT INTO autoattendant_phonenumber (
    sid, enterprise_id, number, is_extension, extension, extension_spoken_name,
    date_created, date_updated, date_deleted
)
SELECT 'PH' || md5('number' || i),
       enterprises.first_id + (i %% %(enterprises)s),
       (100000000000 + i)::text,
       i %% 4 = 0,
       CASE WHEN i %% 4 = 0 THEN i::text ELSE '' END,
       '',
       created,
       created,
       CASE WHEN i %% 10 < 3 THEN created + ((i * 31) %% 400) * interval '1 day' END
FROM numbers, enterprises
"""


NUMBERS_TABLE = "autoattendant_phonenumber"

# The table's constraints (unique, foreign keys) and its other indexes, to rebuild after loading.
SAVED_DEFINITIONS_SQL = """
SELECT 'constraint', conname, pg_get_constraintdef(oid)
FROM pg_constraint
WHERE conrelid = %(table)s::regclass AND contype IN ('u', 'f')
UNION ALL
SELECT 'index', indexname, indexdef
FROM pg_indexes
WHERE tablename = %(table)s
  AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %(table)s::regclass)
"""


def _timed(label: str, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    elapsed = time.perf_counter() - started
    print(f"{label:<48} {elapsed:8.3f} s")
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL URL with rights to create databases",
    )
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--numbers", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    server = urlsplit(args.server)
    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")

    # The project's settings read the environment: this database, no Redis (in-process cache).
    os.environ["DATABASE_URL"] = server._replace(path=f"/{DATABASE}").geturl()
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aa_project.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from autoattendant.models import Enterprise, MonthlyUsage
    from autoattendant.services.usage import (
        Period,
        PeriodSeries,
        UsageTable,
        count_numbers,
        month_end,
        rollup_month,
    )

    try:
        print(
            f"PostgreSQL {connection.cursor().connection.info.server_version // 10000}, "
            f"{os.cpu_count()} CPUs; database {DATABASE}"
        )
        _timed("migrate", call_command, "migrate", verbosity=0)

        def load():
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '256MB'")
                cursor.execute(ENTERPRISES_SQL, {"enterprises": args.enterprises})
                # A bulk load: drop the numbers' indexes and constraints, insert, rebuild them
                # (one sort each instead of a million random index insertions).
                cursor.execute(SAVED_DEFINITIONS_SQL, {"table": NUMBERS_TABLE})
                saved = cursor.fetchall()
                for kind, name, _ in saved:
                    if kind == "constraint":
                        cursor.execute(f'ALTER TABLE {NUMBERS_TABLE} DROP CONSTRAINT "{name}"')
                    else:
                        cursor.execute(f'DROP INDEX "{name}"')
                cursor.execute(
                    NUMBERS_SQL, {"numbers": args.numbers, "enterprises": args.enterprises}
                )
                for kind, name, definition in saved:
                    if kind == "constraint":
                        cursor.execute(
                            f'ALTER TABLE {NUMBERS_TABLE} ADD CONSTRAINT "{name}" {definition}'
                        )
                    else:
                        cursor.execute(definition)
                cursor.execute(f"ANALYZE autoattendant_enterprise, {NUMBERS_TABLE}")

        _timed(f"load {args.enterprises:,} enterprises, {args.numbers:,} numbers", load)

        month = Period(MONTH, month_end(MONTH))
        (counts,), _ = _timed(
            f"live count of {MONTH:%Y-%m} (one GROUP BY query)", count_numbers, [month]
        )
        cold, cold_s = _timed(f"rollup_month({MONTH:%Y-%m}) cold", rollup_month, MONTH)
        warm, warm_s = _timed(
            f"rollup_month({MONTH:%Y-%m}) warm (upsert again)", rollup_month, MONTH
        )
        assert cold.numbers == warm.numbers == sum(counts.values())
        assert MonthlyUsage.objects.filter(month=MONTH).count() == args.enterprises

        monthly = PeriodSeries(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "month")
        table = UsageTable(Enterprise.objects.all(), monthly, now=dt.datetime.now(dt.UTC))
        _timed("operator's monthly list, one page of 1000", lambda: table[0:1000])

        print(
            f"\n{cold.month:%Y-%m}: {cold.numbers:,} numbers held by {cold.enterprises:,} "
            f"enterprises; roll-up cold {cold_s:.2f} s, warm {warm_s:.2f} s"
        )
    finally:
        connection.close()
        if not args.keep:
            with psycopg.connect(args.server, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
