from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...services.calls import forget_caller


class Command(BaseCommand):
    help = (
        "Erase a caller's number from all call history (a privacy request): the caller, "
        "dialled and transferred-to fields of every call and step, and the number in step "
        "details. Steps still buffered are written first."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", help="The number, e.g. +1 555 000 1111 or 15550001111.")

    def handle(self, *args, number: str, **options):
        try:
            changed = forget_caller(number)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Number erased from {changed} call field(s).")
