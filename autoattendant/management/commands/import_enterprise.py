from __future__ import annotations

from django.core.management.base import CommandError

from autoattendant.management.commands._audited import AuditedCommand
from autoattendant.services.portability import do_import_enterprise, load_document

from ._progress import ProgressPrinter


class Command(AuditedCommand):
    help = (
        "Create a new enterprise from a document written by export_enterprise: every record "
        "gets a new sid, references follow. All or nothing: each bad record is reported with "
        "its line and nothing is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON document")
        parser.add_argument("--dry-run", action="store_true", help="check everything, keep nothing")

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            with open(file, encoding="utf-8-sig") as stream:
                text = stream.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from None
        document, problems = load_document(text)
        skipped = 0
        if document is not None:
            result = do_import_enterprise(
                document, dry_run=dry_run, progress=ProgressPrinter(self.stderr)
            )
            problems, skipped = result.problems, result.skipped
        for problem in problems:
            self.stderr.write(f"{file}: {problem}")
        if skipped:
            self.stderr.write(
                f"{skipped} record(s) referring to a record with a problem were not checked."
            )
        if problems:
            raise CommandError(f"{len(problems)} problem(s); nothing was imported.")
        counts = ", ".join(f"{n} {section}" for section, n in result.counts.items())
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"Would import {counts} (dry run: nothing was written).")
            )
            return
        enterprise = result.enterprise
        self.stdout.write(
            self.style.SUCCESS(f"Imported {enterprise.name} as {enterprise.sid}: {counts}.")
        )
        if result.counts.get("users"):
            self.stdout.write(
                "Users have no password or auth token yet: set them in the admin "
                "(Users → Rotate auth token) or through the API."
            )
