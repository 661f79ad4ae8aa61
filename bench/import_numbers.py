"""How long does ``import_numbers`` take for a large CSV on PostgreSQL?

    python bench/import_numbers.py [--rows 100000] [--server postgres://postgres@127.0.0.1:5432]

Creates a scratch database (``aa_bench_import``), migrates it, writes a CSV of ``--rows`` numbers
(every tenth one an extension with a spoken name), times the command (a dry run, then the real
import), checks the rows arrived, and drops the database again.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

DATABASE = "aa_bench_import"


def recreate_database(server: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["number", "isExtension", "extension", "extensionSpokenName"])
        for i in range(rows):
            if i % 10 == 0:
                writer.writerow([f"+1 555 {i:07d}", "yes", f"{i // 10}", f"Person {i}"])
            else:
                writer.writerow([f"1555{i:07d}", "false", "", ""])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = f"{args.server}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aa_project.settings")
    recreate_database(args.server)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from autoattendant.models import Enterprise, PhoneNumber

        call_command("migrate", verbosity=0)
        enterprise = Enterprise.objects.create(name="Bench Telecom")
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "numbers.csv"
            write_csv(path, args.rows)
            timings = {}
            for label, extra in (("dry run", ["--dry-run"]), ("import", [])):
                started = time.perf_counter()
                call_command(
                    "import_numbers",
                    str(path),
                    "--enterprise",
                    enterprise.sid,
                    *extra,
                    stdout=StringIO(),
                    stderr=StringIO(),
                )
                timings[label] = time.perf_counter() - started
        imported = PhoneNumber.objects.filter(enterprise=enterprise).count()
        assert imported == args.rows, imported
        print(f"PostgreSQL {connection.pg_version // 10000}, {args.rows} rows:")
        for label, seconds in timings.items():
            print(f"  {label:<8} {seconds:6.2f} s  ({args.rows / seconds:,.0f} rows/s)")
        connection.close()
    finally:
        recreate_database(args.server, drop_only=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
