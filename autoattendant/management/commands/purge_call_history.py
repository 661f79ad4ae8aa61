from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from ...services.calls import purge_history


class Command(BaseCommand):
    help = (
        "Delete calls (and their steps) that started more than CALL_HISTORY_DAYS days ago (the "
        "job Celery beat runs nightly). Safe to run again."
    )

    def handle(self, *args, **options):
        deleted = purge_history()
        self.stdout.write(
            f"{deleted} call(s) older than {settings.CALL_HISTORY_DAYS} days deleted."
        )
