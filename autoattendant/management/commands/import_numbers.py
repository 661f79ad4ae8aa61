from __future__ import annotations

import sys

from django.core.management.base import CommandError

from autoattendant.management.commands._audited import AuditedCommand
from autoattendant.models import Enterprise
from autoattendant.services.number_import import COLUMNS, import_numbers_csv

from ._progress import ProgressPrinter


class Command(AuditedCommand):
    help = (
        "Import phone numbers into an enterprise from a CSV with a header row naming the columns "
        + ",".join(COLUMNS)
        + " (booleans true/false, 1/0, yes/no). All or nothing: every bad row is reported with "
        "its line (the header is line 1) and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", help="the CSV file ('-' reads standard input)")
        parser.add_argument("--enterprise", required=True, metavar="EN…", help="enterprise sid")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, csv: str, enterprise: str, dry_run: bool, **options):
        target = Enterprise.objects.filter(sid=enterprise).first()
        if target is None:
            raise CommandError(f"No enterprise {enterprise}.")
        progress = ProgressPrinter(self.stderr)
        try:
            if csv == "-":
                result = import_numbers_csv(sys.stdin, target, dry_run=dry_run, progress=progress)
            else:
                with open(csv, newline="", encoding="utf-8-sig") as stream:
                    result = import_numbers_csv(stream, target, dry_run=dry_run, progress=progress)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {csv}: {exc}") from None
        for problem in result.problems:
            self.stderr.write(f"{csv}: {problem}")
        if not result.ok:
            raise CommandError(
                f"{len(result.problems)} bad row(s) of {result.rows}; nothing was imported."
            )
        verb = "Would import" if dry_run else "Imported"
        tail = " (dry run: nothing was written)." if dry_run else "."
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.created} number(s), {result.extensions} of them extensions, "
                f"into {target.name} ({target.sid}){tail}"
            )
        )
