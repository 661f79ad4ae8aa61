from __future__ import annotations

import argparse
import datetime as dt

from django.core.management.base import CommandError

from autoattendant.management.commands._audited import AuditedCommand

from ...services.announcements import do_cleanup_media


def _hours(value: str) -> float:
    try:
        hours = float(value)
    except ValueError:
        hours = -1.0
    if not 0 <= hours < float("inf"):  # nan and inf too
        raise argparse.ArgumentTypeError(f"expected a number of hours, 0 or more, not {value!r}")
    return hours


class Command(AuditedCommand):
    help = (
        "Delete stored announcement files that no announcement names (left by a storage that "
        "failed to delete them, or an upload whose transaction rolled back), once they are older "
        "than a grace period, so an upload in flight is never touched. Any storage backend."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=_hours,
            default=24.0,
            metavar="HOURS",
            help="only files last modified more than HOURS ago (default 24)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list them, delete nothing")

    def handle(self, *args, older_than: float, dry_run: bool, **options):
        try:
            names = do_cleanup_media(older_than=dt.timedelta(hours=older_than), dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"The storage failed: {exc}") from None
        verb = "Would remove" if dry_run else "Removed"
        for name in names:
            self.stdout.write(f"{verb} {name}")
        tail = " (dry run: nothing was deleted)." if dry_run else "."
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(names)} unreferenced announcement file(s) older than "
                f"{older_than:g} hour(s){tail}"
            )
        )
