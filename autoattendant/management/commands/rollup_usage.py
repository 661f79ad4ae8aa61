from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...services.usage import MonthNotClosed, run_rollup


class Command(BaseCommand):
    help = (
        "Roll up one closed month's phone-number usage for every enterprise into the stored "
        "table (the same job Celery beat runs on the 1st). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--month", metavar="YYYY-MM", help="The month to roll up (default: the previous month)."
        )

    def handle(self, *args, month: str | None = None, **options):
        try:
            result = run_rollup(month)
        except (MonthNotClosed, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(result.summary())
