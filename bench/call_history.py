"""Call history at scale on PostgreSQL: statistics over 1,000,000 calls of one enterprise, and
the CSV export of all of them streaming in flat memory.

    python bench/call_history.py [--database-url postgres://postgres@127.0.0.1:5432/aa_bench_calls]
                                 [--calls 1000000] [--reuse]

Creates the database's tables (migrate), one enterprise with one AA system (America/New_York)
and ``--calls`` calls spread over the last 30 days — outcomes mixed, a prompt step for each and a
key-press step for two calls in three — generated in SQL (``generate_series``), with their
quarter-hour roll-ups, then ``VACUUM ANALYZE``. ``--reuse`` keeps calls already generated.

Then, in-process through Django's test client (the whole API stack but the socket):

- ``GET /autoattendant/call/stats`` (the default window: the last 30 days, so every call counts)
  five times; prints each time and the median;
- ``GET /autoattendant/call/export`` (every call), consuming the stream line by line, sampling
  the process's resident memory (``VmRSS``) every 100,000 lines and reading its peak
  (``VmHWM``) at the end: flat memory means the peak stays near the RSS before the export.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_kib(field: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


GENERATE_CALLS = """
INSERT INTO autoattendant_call (sid, call_sid, enterprise_id, system_sid, to_number,
  from_number, dialect, start_time, end_time, duration_seconds, outcome, transferred_to, menu_path)
SELECT 'CL' || md5(g::text), 'CAbench' || g, %(enterprise)s, %(system_sid)s,
  '15550100100', '1555' || lpad((g %% 9999999)::text, 7, '0'), 'rcml', t,
  t + make_interval(secs => d), d, o,
  CASE WHEN o = 'TRANSFERRED' THEN '15550100199' ELSE '' END, jsonb_build_array(%(menu)s::text)
FROM (
  SELECT g, now() - random() * interval '29 days 23 hours' AS t, (random() * 300)::int AS d,
    (ARRAY['TRANSFERRED','TRANSFERRED','TRANSFERRED','HUNG_UP_BY_FLOW','CALLER_HUNG_UP',
           'ERROR'])[1 + g %% 6] AS o
  FROM generate_series(1, %(calls)s) AS g
) AS s
"""
GENERATE_PROMPTS = """
INSERT INTO autoattendant_callstep (call_id, seq, time, menu_sid, next_menu_sid, input, key,
  action, detail, outcome, transferred_to)
SELECT id, 1, start_time, %(menu)s, %(menu)s, '', '', 'PROMPT', '', 'IN_PROGRESS', ''
FROM autoattendant_call WHERE enterprise_id = %(enterprise)s
"""
GENERATE_BUCKETS = """
INSERT INTO autoattendant_callbucket (enterprise_id, system_sid, bucket, outcome, calls, seconds)
SELECT enterprise_id, system_sid, date_bin('15 minutes', start_time, timestamptz '2000-01-01'),
  outcome, count(*), sum(duration_seconds)
FROM autoattendant_call WHERE enterprise_id = %(enterprise)s GROUP BY 1, 2, 3, 4
"""
GENERATE_KEY_BUCKETS = """
INSERT INTO autoattendant_keypressbucket (enterprise_id, system_sid, bucket, menu_sid, key,
  presses)
SELECT c.enterprise_id, c.system_sid,
  date_bin('15 minutes', c.start_time, timestamptz '2000-01-01'), s.menu_sid, s.key, count(*)
FROM autoattendant_callstep s JOIN autoattendant_call c ON c.id = s.call_id
WHERE c.enterprise_id = %(enterprise)s AND s.key <> '' GROUP BY 1, 2, 3, 4, 5
"""
GENERATE_PRESSES = """
INSERT INTO autoattendant_callstep (call_id, seq, time, menu_sid, next_menu_sid, input, key,
  action, detail, outcome, transferred_to)
SELECT id, 2, start_time + interval '8 seconds', %(menu)s, %(menu)s, k, k, 'TRANSFER_TO_PHONE',
  '', outcome, ''
FROM (SELECT id, start_time, outcome, (ARRAY['0','1','2','3'])[1 + id %% 4] AS k
      FROM autoattendant_call WHERE enterprise_id = %(enterprise)s AND id %% 3 <> 0) AS s
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aa_bench_calls"),
    )
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep calls already generated")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aa_project.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["CALL_RECORDING"] = "off"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from autoattendant.choices import Role
    from autoattendant.models import AutoAttendantSystem, Call, CallBucket, Enterprise, Menu, User

    _create_database(args.database_url)
    call_command("migrate", verbosity=0)
    enterprise, _ = Enterprise.objects.get_or_create(name="Call history bench")
    system, _ = AutoAttendantSystem.objects.get_or_create(
        enterprise=enterprise, name="Bench line", defaults={"timezone_id": "America/New_York"}
    )
    menu, _ = Menu.objects.get_or_create(enterprise=enterprise, auto_attendant=system, name="Main")
    user = User.objects.filter(email="bench@calls.example").first()
    if user is None:
        user = User.objects.create_user(
            email="bench@calls.example", password="x-Bench-Passw0rd", enterprise=enterprise,
            role=Role.BG_ADMIN,
        )  # fmt: skip
    token = user.rotate_auth_token()
    user.save()

    have = Call.objects.filter(enterprise=enterprise).count()
    if not (args.reuse and have == args.calls):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in ("callstep", "call", "callbucket", "keypressbucket"):
                cursor.execute(f"DELETE FROM autoattendant_{table}")  # noqa: S608 - fixed names
            values = {
                "enterprise": enterprise.pk, "system_sid": system.sid,
                "menu": menu.sid, "calls": args.calls,
            }  # fmt: skip
            for sql in (GENERATE_CALLS, GENERATE_PROMPTS, GENERATE_PRESSES):
                cursor.execute(sql, values)
        _roll_up(connection, values)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE autoattendant_call")
            cursor.execute("VACUUM ANALYZE autoattendant_callstep")
        print(f"generated {args.calls:,} calls in {time.perf_counter() - started:.0f} s")
    elif not CallBucket.objects.exists():
        _roll_up(connection, {"enterprise": enterprise.pk})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM autoattendant_callstep")
        steps = cursor.fetchone()[0]
    print(f"database: {Call.objects.count():,} calls, {steps:,} steps")

    client = Client()
    auth = base64.b64encode(f"{user.account_sid}:{token}".encode()).decode()
    headers = {"HTTP_AUTHORIZATION": f"Basic {auth}"}

    timings = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get("/autoattendant/call/stats", **headers)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    data = response.json()["data"]
    print(
        f"GET /call/stats over {data['total']:,} calls: "
        + ", ".join(f"{t * 1000:.0f}" for t in timings)
        + f" ms (median {statistics.median(timings) * 1000:.0f} ms)"
    )

    before = rss_kib()
    samples = []
    lines = size = 0
    started = time.perf_counter()
    response = client.get("/autoattendant/call/export", **headers)
    assert response.status_code == 200 and response.streaming
    for chunk in response.streaming_content:
        lines += 1
        size += len(chunk)
        if lines % 100_000 == 0:
            samples.append(rss_kib())
    seconds = time.perf_counter() - started
    peak = rss_kib("VmHWM")
    print(
        f"GET /call/export: {lines - 1:,} calls, {size / 1e6:.0f} MB of CSV in {seconds:.0f} s; "
        f"RSS before {before / 1024:.0f} MiB, every 100,000 lines "
        f"{', '.join(f'{s / 1024:.0f}' for s in samples)} MiB, peak {peak / 1024:.0f} MiB"
    )


def _roll_up(connection, values: dict) -> None:
    """The quarter-hour roll-ups the recorder keeps as it writes, built in SQL at once (the same
    rows ``runtime.call_buckets.refresh_buckets`` computes)."""
    with connection.cursor() as cursor:
        for sql in (GENERATE_BUCKETS, GENERATE_KEY_BUCKETS):
            cursor.execute(sql, values)
        for table in ("callbucket", "keypressbucket"):
            cursor.execute(f"VACUUM ANALYZE autoattendant_{table}")


def _create_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist yet."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
