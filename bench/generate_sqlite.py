"""A SQLite database for measuring the call flow on the embedded default (no PostgreSQL, no Redis).

    python bench/generate_sqlite.py [--path /tmp/aa_bench_embedded.sqlite3] [--systems 200]

Each of ``--systems`` enterprises gets what ``generate_data.py`` gives one in PostgreSQL, in the
shape the call-flow benchmark uses: an AA system open all week on Main (a say welcome, all 11 keys,
1 = GO_TO_MENU Sales), Sales and Support menus, nine directory extensions, and the main number
``generate_data.main_number(i)``. ``load.py --embedded PATH`` serves it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate_data import main_number  # noqa: E402

DEFAULT_PATH = "/tmp/aa_bench_embedded.sqlite3"  # noqa: S108 - a scratch file of the benchmark's


def generate(path: Path, systems: int) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aa_project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from autoattendant.choices import ActionType as A
    from autoattendant.choices import ScheduleType
    from autoattendant.models import (
        Announcement,
        AutoAttendantSystem,
        Enterprise,
        Menu,
        MenuKey,
        PhoneNumber,
        ScheduleBlock,
        ScheduleEntry,
    )

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        for i in range(1, systems + 1):
            enterprise = Enterprise.objects.create(name=f"Enterprise {i}")
            system = AutoAttendantSystem.objects.create(
                enterprise=enterprise,
                name=f"Main line {i}",
                timezone_id=("UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo")[i % 4],
            )
            welcome = Announcement.objects.create(
                enterprise=enterprise,
                name="Welcome",
                type="say",
                body=f"Welcome to enterprise {i}. For sales press 1, for support press 2.",
                language="en",
                voice="woman",
            )
            menus = {
                name: Menu.objects.create(
                    enterprise=enterprise,
                    auto_attendant=system,
                    name=name,
                    announcement=welcome if name == "Main" else None,
                )
                for name in ("Main", "Sales", "Support")
            }
            keys = {
                "1": (A.GO_TO_MENU, menus["Sales"].sid),
                "2": (A.GO_TO_MENU, menus["Support"].sid),
                "3": (A.DIAL_BY_EXTENSION, ""),
                "4": (A.DIAL_BY_NAME, ""),
                "5": (A.ANNOUNCEMENT_RETURN, welcome.sid),
                "6": (A.TRANSFER_TO_PHONE, "15559990000"),
                "7": (A.REPLAY_MENU, ""),
                "8": (A.RETURN_TO_PREVIOUS_MENU, ""),
                "9": (A.HANGUP, ""),
                "0": (A.TRANSFER_TO_PHONE, "15559990001"),
                "*": (A.ANNOUNCEMENT_HANGUP, welcome.sid),
            }
            MenuKey.objects.bulk_create(
                MenuKey(menu=menus["Main"], key=key, action_type=kind, action_data=data)
                for key, (kind, data) in keys.items()
            )
            block = ScheduleBlock.objects.create(
                auto_attendant=system, schedule_type=ScheduleType.WEEKLY, menu=menus["Main"]
            )
            ScheduleEntry.objects.bulk_create(
                ScheduleEntry(block=block, day=day, start_time="00:00", end_time="24:00")
                for day in range(1, 8)
            )
            PhoneNumber.objects.create(
                enterprise=enterprise, number=main_number(i), auto_attendant=system
            )
            extensions = [
                PhoneNumber.objects.create(
                    enterprise=enterprise,
                    number=f"1666{i:06d}{n}",
                    is_extension=True,
                    extension=f"10{n}",
                    extension_spoken_name=f"Person {n} of {i}",
                )
                for n in range(1, 10)
            ]
            system.extensions.add(*extensions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", default=DEFAULT_PATH)
    parser.add_argument("--systems", type=int, default=200)
    args = parser.parse_args()
    path = Path(args.path)
    path.unlink(missing_ok=True)
    generate(path, args.systems)
    print(f"DATABASE_URL=sqlite:///{path}  ({args.systems} systems)")


if __name__ == "__main__":
    main()
