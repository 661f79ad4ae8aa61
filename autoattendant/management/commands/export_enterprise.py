from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from autoattendant.models import Enterprise
from autoattendant.services.portability import dump_document, export_enterprise


class Command(BaseCommand):
    help = (
        "Write one enterprise (users without secrets, numbers, announcements with their audio, "
        "AA systems, menus, schedules) as a JSON document, for import_enterprise."
    )

    def add_arguments(self, parser):
        parser.add_argument("enterprise", metavar="EN…", help="enterprise sid")
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
        )

    def handle(self, *args, enterprise: str, output: str | None, **options):
        target = Enterprise.objects.filter(sid=enterprise).first()
        if target is None:
            raise CommandError(f"No enterprise {enterprise}.")
        document = export_enterprise(target, warn=lambda message: self.stderr.write(message))
        text = dump_document(document)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            with open(output, "w", encoding="utf-8") as stream:
                stream.write(text)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from None
        counts = ", ".join(
            f"{len(document[s])} {s}"
            for s in ("users", "numbers", "announcements", "systems", "menus", "schedules")
        )
        self.stderr.write(f"Exported {target.name} ({target.sid}) to {output}: {counts}.")
