"""The base of the commands that write: everything they write is the command's doing in the
audit trail (``audit.acting_as_command``), and their flow changes are versioned as one."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from autoattendant.audit import acting_as_command


class AuditedCommand(BaseCommand):
    def execute(self, *args, **options):
        name = self.__module__.rsplit(".", 1)[-1]
        with acting_as_command(name):
            return super().execute(*args, **options)
