"""Benchmark a flow save guarded by 20 flow tests, on PostgreSQL.

    python bench/flow_save.py [--server postgres://postgres@127.0.0.1:5432/postgres]
                              [--database aa_bench_flow_save] [--saves 50] [--keep]

Creates ``--database`` on that server (dropping an old one first), migrates it and builds, through
the services, an AA system the size of a real one: four menus of 11 keys each (every action
type), a weekly schedule of 35 entries, a special day and a directory of 9 extensions — and 20
flow tests of it (calls at different hours, keys, dial by extension and by name, silences).

Then it times ``--saves`` menu saves — ``PUT /autoattendant/menu/{sid}`` through the whole
Django stack (test client, HTTP Basic with an auth token, the JSON envelope), each changing one
key so that every save writes its audit entries, runs the 20 tests inside the transaction and
writes a flow version — and the same saves once more with no flow tests, to show what the tests
cost. Prints the median, the 95th percentile and the maximum of each, with the queries a save
issues, this process's CPU time (what the load of a shared machine inflates least) and the time
spent waiting on PostgreSQL. The database is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "aa_bench_flow_save"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    server = urlsplit(args.server)
    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {args.database}")
    os.environ["DATABASE_URL"] = server._replace(path=f"/{args.database}").geturl()
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aa_project.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with psycopg.connect(args.server, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")


def build():
    from autoattendant.choices import Role, ScheduleType
    from autoattendant.models import Enterprise, PhoneNumber, User
    from autoattendant.services.actions import Action
    from autoattendant.services.announcements import do_create_announcement
    from autoattendant.services.flowtests import do_create_flow_test
    from autoattendant.services.menus import do_create_menu, do_update_menu
    from autoattendant.services.schedules import BlockInput, EntryInput, do_replace_schedule
    from autoattendant.services.systems import do_create_system

    enterprise = Enterprise.objects.create(name="Bench clinic")
    admin = User.objects.create_user(
        email="admin@bench.example", password=None, enterprise=enterprise, role=Role.BG_ADMIN
    )
    token = admin.rotate_auth_token()
    admin.save()
    names = [
        "Ann Lee",
        "Bob Stone",
        "Carla Diaz",
        "Dan Wu",
        "Eve Moss",
        "Finn Park",
        "Gus Hale",
        "Hana Ito",
        "Ivo Kern",
    ]
    for i, name in enumerate(names):
        PhoneNumber.objects.create(
            enterprise=enterprise,
            number=f"1555010{i:04d}",
            is_extension=True,
            extension=f"{101 + i}",
            extension_spoken_name=name,
        )
    said = do_create_announcement(
        admin,
        enterprise=enterprise,
        name="Welcome",
        type="say",
        body="Welcome to the clinic.",
        language="en",
        voice="woman",
    )
    system = do_create_system(
        admin,
        enterprise=enterprise,
        changes={
            "name": "Main line",
            "timezone_id": "America/New_York",
            "extensions": [str(101 + i) for i in range(len(names))],
        },
    )
    menus = [
        do_create_menu(admin, enterprise=enterprise, system=system, name=n, announcement=said.sid)
        for n in ("Business hours", "Billing", "After hours", "Holiday")
    ]

    def keys(i: int) -> list[dict]:
        nxt = menus[(i + 1) % len(menus)].sid
        actions = {
            "1": Action("DIAL_BY_EXTENSION"),
            "2": Action("DIAL_BY_NAME"),
            "3": Action("GO_TO_MENU", nxt),
            "4": Action("ANNOUNCEMENT_RETURN", said.sid),
            "5": Action("ANNOUNCEMENT_HANGUP", said.sid),
            "6": Action("REPLAY_MENU"),
            "7": Action("RETURN_TO_PREVIOUS_MENU"),
            "8": Action("HANGUP"),
            "9": Action("TRANSFER_TO_PHONE", "15559990009"),
            "*": Action("REPLAY_MENU"),
            "0": Action("TRANSFER_TO_PHONE", f"155500000{i:02d}"),
        }
        return [{"key": k, "action": a} for k, a in actions.items()]

    for i, menu in enumerate(menus):
        do_update_menu(admin, menu, {"keys": keys(i)})
    do_replace_schedule(
        admin,
        system,
        ScheduleType.WEEKLY,
        [
            BlockInput(
                menu=menus[0].sid, entries=[EntryInput("08:00", "18:00", d) for d in range(1, 6)]
            ),
            BlockInput(
                menu=menus[2].sid,
                entries=[
                    *(EntryInput("18:00", "24:00", d) for d in range(1, 8)),
                    *(EntryInput("00:00", "08:00", d) for d in range(1, 8)),
                    *(EntryInput("08:00", "18:00", d) for d in (6, 7)),
                ],
            ),
        ],
    )
    import datetime as dt

    do_replace_schedule(
        admin,
        system,
        ScheduleType.DATE_RANGE,
        [
            BlockInput(
                menu=menus[3].sid, start_date=dt.date(2026, 12, 25), end_date=dt.date(2026, 12, 25)
            ),
        ],
    )
    scripts = [
        ("2026-12-01T10:00", ["0"], {"outcome": "connected", "transferredTo": "15550000000"}),
        (
            "2026-12-01T10:00",
            ["1", "103#"],
            {"outcome": "connected", "transferredTo": "15550100002"},
        ),
        (
            "2026-12-01T10:00",
            ["2", "say:Eve Moss"],
            {"outcome": "connected", "transferredTo": "15550100004"},
        ),
        ("2026-12-01T10:00", ["3", "0"], {"outcome": "connected", "transferredTo": "15550000001"}),
        ("2026-12-01T10:00", ["5"], {"outcome": "hangup", "heard": "Welcome to the clinic"}),
        ("2026-12-01T10:00", ["-", "-", "-"], {"outcome": "hangup"}),
        ("2026-12-01T10:00", ["4", "6", "*"], {"outcome": "waiting"}),
        (
            "2026-12-01T10:00",
            ["3", "7", "0"],
            {"outcome": "connected", "transferredTo": "15550000000"},
        ),
        ("2026-12-01T20:00", ["0"], {"outcome": "connected", "transferredTo": "15550000002"}),
        ("2026-12-05T12:00", ["0"], {"outcome": "connected", "transferredTo": "15550000002"}),
        ("2026-12-25T10:00", ["0"], {"outcome": "connected", "transferredTo": "15550000003"}),
        (
            "2026-12-02T09:00",
            ["1", "109#"],
            {"outcome": "connected", "transferredTo": "15550100008"},
        ),
        (
            "2026-12-02T09:00",
            ["2", "say:Ann Lee"],
            {"outcome": "connected", "transferredTo": "15550100000"},
        ),
        (
            "2026-12-02T09:00",
            ["3", "3", "0"],
            {"outcome": "connected", "transferredTo": "15550000002"},
        ),
        ("2026-12-03T17:59", ["9"], {"outcome": "connected", "transferredTo": "15559990009"}),
        (
            "2026-12-03T18:00",
            ["1", "101#"],
            {"outcome": "connected", "transferredTo": "15550100000"},
        ),
        ("2026-12-04T07:00", ["5"], {"outcome": "hangup"}),
        ("2026-12-06T15:00", ["3", "0"], {"outcome": "connected", "transferredTo": "15550000003"}),
        ("2026-12-01T10:00", ["1", "999#", "999#", "999#"], {"outcome": "hangup"}),
        ("2026-12-01T10:00", [], {"outcome": "waiting", "menuSid": menus[0].sid}),
    ]
    for i, (at, inputs, expect) in enumerate(scripts):
        do_create_flow_test(
            admin, system, {"name": f"Test {i + 1}", "at": at, "inputs": inputs, "expect": expect}
        )
    return admin, token, system, menus, keys(1)


def run(args) -> None:
    import base64

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from autoattendant.models import FlowTest, FlowVersion

    print(f"PostgreSQL {connection.cursor().connection.info.server_version // 10000}, "
          f"{os.cpu_count()} CPUs; database {args.database}")  # fmt: skip
    call_command("migrate", verbosity=0)
    admin, token, system, menus, billing_keys = build()
    tests = list(FlowTest.objects.filter(system=system))
    failing = [t.name for t in tests if not t.passing]
    print(f"{len(tests)} flow tests, {len(failing)} failing: {failing}")
    auth = base64.b64encode(f"{admin.account_sid}:{token}".encode()).decode()
    client = Client(HTTP_AUTHORIZATION=f"Basic {auth}")
    menu = menus[1]

    def save(i: int) -> tuple[float, int]:
        target = "HANGUP" if i % 2 else "REPLAY_MENU"  # key 8 only: every test still passes
        body = {
            "keys": [
                {
                    "menuKey": item["key"],
                    "menuAction": {
                        "actionType": target if item["key"] == "8" else item["action"].action_type,
                        "actionData": "" if item["key"] == "8" else item["action"].action_data,
                    },
                }
                for item in billing_keys
            ]
        }
        with CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            response = client.put(
                f"/autoattendant/menu/{menu.sid}", body, content_type="application/json"
            )
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert response.status_code == 200, response.content[:500]
        database = sum(float(q["time"]) for q in queries.captured_queries)
        return elapsed * 1000, len(queries.captured_queries), cpu * 1000, database * 1000

    def series(label: str) -> None:
        for i in range(5):  # warm-up
            save(i)
        before = FlowVersion.objects.filter(system=system).count()
        timings, counts, cpus, databases = zip(*(save(i) for i in range(args.saves)), strict=True)
        written = FlowVersion.objects.filter(system=system).count() - before
        ordered = sorted(timings)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
        print(
            f"{label}: {args.saves} saves, {written} versions written; "
            f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"max {max(timings):.1f} ms; {statistics.median(counts):.0f} queries a save; "
            f"median CPU of this process {statistics.median(cpus):.1f} ms, "
            f"median time waiting on PostgreSQL {statistics.median(databases):.1f} ms"
        )

    series(f"menu save with {len(tests)} flow tests")
    FlowTest.objects.filter(system=system).delete()
    series("menu save with no flow test")


if __name__ == "__main__":
    main()
