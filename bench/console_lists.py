"""Time the console's list pages for one large enterprise, in process.

    python bench/console_lists.py [--database-url postgres://…/aa_bench_perf] [--runs 15]

Adds to the database (once; found again by name on later runs) an enterprise with **10,000
numbers** and **1,000 menus** of 11 keys each: ten AA systems, the first with 910 menus, 9,000
directory extensions and one main number, the nine others 10 menus, 110 extensions and a main
number each; 400 announcements (a third used by menus) and 300 users. Then, logged in as its
enterprise admin, requests each console list page through Django's whole stack (middleware,
session, templates; the test client, no network) ``--runs`` times after two unmeasured ones, and
prints the median and the slowest time and the queries of one request.

The console's pages are server-rendered HTML, so the figure is the server's time to answer;
the browser's time to draw the page grows with its size, which is printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "Large enterprise (console bench)"
ADMIN = "admin@large.bench.example"
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0")


def build() -> None:
    from django.db import transaction

    from autoattendant.choices import ActionType, Role
    from autoattendant.models import (
        Announcement,
        AutoAttendantSystem,
        Enterprise,
        Menu,
        MenuKey,
        PhoneNumber,
        User,
    )

    if Enterprise.objects.filter(name=NAME).exists():
        return
    started = time.perf_counter()
    with transaction.atomic():
        enterprise = Enterprise.objects.create(name=NAME)
        admin = User.objects.create_user(
            email=ADMIN, password="Bench-Pass-0123", enterprise=enterprise, role=Role.BG_ADMIN
        )
        announcements = Announcement.objects.bulk_create(
            Announcement(
                enterprise=enterprise,
                name=f"Announcement {n:03d}",
                type="say",
                body=f"Message number {n}.",
                language="en",
                voice="woman",
                created_by=admin,
            )
            for n in range(400)
        )
        User.objects.bulk_create(
            User(
                email=f"user{n:03d}@large.bench.example",
                sid=f"RCS{n:032x}",
                account_sid=f"AC{0xBEEF0000 + n:032x}",
                enterprise=enterprise,
                role=Role.AA_ADMIN,
                name=f"User {n}",
                created_by=admin,
            )
            for n in range(300)
        )
        systems = AutoAttendantSystem.objects.bulk_create(
            AutoAttendantSystem(enterprise=enterprise, name=f"System {s}", created_by=admin)
            for s in range(10)
        )
        menus = []
        for s, system in enumerate(systems):
            for m in range(910 if s == 0 else 10):
                menus.append(
                    Menu(
                        enterprise=enterprise,
                        auto_attendant=system,
                        name=f"Menu {s}-{m:03d}",
                        announcement=announcements[m % 133],
                        created_by=admin,
                    )
                )
        menus = Menu.objects.bulk_create(menus)
        MenuKey.objects.bulk_create(
            MenuKey(
                menu=menu,
                key=key,
                action_type=ActionType.ANNOUNCEMENT_RETURN if key == "2" else ActionType.HANGUP,
                action_data=announcements[i % 400].sid if key == "2" else "",
            )
            for i, menu in enumerate(menus)
            for key in KEYS
        )
        numbers = [
            PhoneNumber(
                enterprise=enterprise,
                number=f"1888{s:07d}",
                auto_attendant=system,
                created_by=admin,
            )
            for s, system in enumerate(systems)
        ]
        directory = []
        n = 0
        for s in range(len(systems)):
            for _ in range(9000 if s == 0 else 110):
                numbers.append(
                    PhoneNumber(
                        enterprise=enterprise,
                        number=f"1889{n:07d}",
                        is_extension=True,
                        extension=f"{n:04d}",
                        extension_spoken_name=f"Person {n}",
                        created_by=admin,
                    )
                )
                directory.append(s)
                n += 1
        numbers = PhoneNumber.objects.bulk_create(numbers)
        through = AutoAttendantSystem.extensions.through
        through.objects.bulk_create(
            through(autoattendantsystem_id=systems[s].pk, phonenumber_id=number.pk)
            for s, number in zip(directory, numbers[10:], strict=True)
        )
    print(
        f"built {NAME}: {len(numbers)} numbers, {len(menus)} menus, "
        f"{len(announcements)} announcements, 301 users in {time.perf_counter() - started:.1f} s"
    )


def measure(runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from autoattendant.models import AutoAttendantSystem, User

    admin = User.objects.get(email=ADMIN)
    big = AutoAttendantSystem.objects.get(enterprise=admin.enterprise, name="System 0")
    client = Client()
    client.force_login(admin)
    pages = [
        "/console/numbers/",
        "/console/numbers/?page=50",
        "/console/numbers/?kind=extension&page=99",
        "/console/announcements/",
        "/console/announcements/?page=4",
        "/console/users/",
        "/console/users/?page=3",
        "/console/systems/",
        f"/console/systems/{big.sid}/",
        f"/console/systems/{big.sid}/?page=10",
    ]
    print(f"{'page':<58} {'median':>8} {'slowest':>8} {'queries':>7} {'size':>9}")
    for path in pages:
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(
            f"{path:<58} {statistics.median(times):6.1f} ms {max(times):6.1f} ms "
            f"{len(queries):7d} {len(response.content) / 1024:7.0f} KB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aa_bench_perf"),
    )
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aa_project.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production-0123456789abcdef")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    build()
    measure(args.runs)


if __name__ == "__main__":
    main()
