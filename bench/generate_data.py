"""Generate a large deployment in a fresh PostgreSQL database for the call-flow benchmark.

    python bench/generate_data.py [--server postgres://postgres@127.0.0.1:5432/postgres]
                                  [--database aa_bench_perf] [--enterprises 10000]
                                  [--numbers 100000]

Drops and creates ``--database`` on that server, migrates it and loads, set-based
(``INSERT … SELECT generate_series``, no ORM saves), for every enterprise:

- a BG_ADMIN user and one AA system (time zones cycle through four zones);
- three announcements: a say welcome, a play ringback tone, a say information message;
- three menus (Main, Sales, Support), each with **all 11 keys** (every action type is used:
  key 1 goes to the next menu, key 2 plays the information and returns, …);
- a weekly schedule of 49 entries (Main four slots a day, Support three, covering the whole
  week) and 10 special days (DATE_RANGE blocks on Sales, each with a time entry);
- ``numbers / enterprises`` phone numbers: one main number on the AA system and the rest
  extensions in its directory, with spoken names.

Plus an operator (superuser) whose API credentials are printed (``--token``). Main numbers are
``1555`` followed by the enterprise's index on 7 digits (``15550000001`` … ), which is what
``bench/load.py`` dials.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "aa_bench_perf"
OPERATOR_EMAIL = "operator@bench.example"
OPERATOR_TOKEN = "bench-operator-token"


def main_number(index: int) -> str:
    """The main number of enterprise ``index`` (1-based)."""
    return f"1555{index:07d}"


# Every statement takes %(n)s (enterprises), %(ext)s (extensions per enterprise) and %(epoch)s
# (creation times count up from it). Rows are matched to their parents through deterministic
# sids (md5 of a label and the index).
LOAD_SQL = [
    (
        "enterprises",
        """
        INSERT INTO autoattendant_enterprise (sid, name, status, date_created, date_updated)
        SELECT 'EN' || md5('en' || i), 'Enterprise ' || i, 'ACTIVE',
               %(epoch)s::timestamptz + i * interval '1 second',
               %(epoch)s::timestamptz + i * interval '1 second'
        FROM generate_series(1, %(n)s) AS i
        """,
    ),
    (
        "users (a BG_ADMIN per enterprise)",
        """
        INSERT INTO autoattendant_user (
            password, is_superuser, date_created, date_updated, sid, account_sid, email, name,
            role, status, enterprise_id, auth_token_hash, is_staff)
        SELECT '!', false, %(epoch)s::timestamptz + i * interval '1 second',
               %(epoch)s::timestamptz + i * interval '1 second',
               'RCS' || md5('us' || i), 'AC' || md5('ac' || i),
               'admin' || i || '@enterprise' || i || '.example', 'Admin ' || i,
               'BG_ADMIN', 'ACTIVE', e.id,
               encode(sha256(('bench-token-' || i)::bytea), 'hex'), false
        FROM generate_series(1, %(n)s) AS i
        JOIN autoattendant_enterprise e ON e.sid = 'EN' || md5('en' || i)
        """,
    ),
    (
        "announcements (3 per enterprise)",
        """
        INSERT INTO autoattendant_announcement (
            date_created, date_updated, sid, enterprise_id, name, description, type, body,
            language, voice, file)
        SELECT %(epoch)s::timestamptz + i * interval '1 second',
               %(epoch)s::timestamptz + i * interval '1 second',
               'AN' || md5('an' || i || '-' || a.k), e.id, a.name, '', a.type,
               a.body, a.language, a.voice,
               CASE WHEN a.type = 'play'
                    THEN 'announcements/AN' || md5('an' || i || '-' || a.k) || '_1700000000000.wav'
                    ELSE '' END
        FROM generate_series(1, %(n)s) AS i
        JOIN autoattendant_enterprise e ON e.sid = 'EN' || md5('en' || i)
        CROSS JOIN (VALUES
            (1, 'Welcome', 'say', 'Welcome. For sales press 1, for information press 2.',
             'en', 'woman'),
            (2, 'Ringback', 'play', '', '', ''),
            (3, 'Information', 'say', 'We are open every day from eight to eight.', 'en', 'man')
        ) AS a(k, name, type, body, language, voice)
        """,
    ),
    (
        "AA systems (1 per enterprise)",
        """
        INSERT INTO autoattendant_autoattendantsystem (
            date_created, date_updated, sid, enterprise_id, name, description, status,
            timezone_id, timeout_seconds, timeout_max, timeout_action_type, timeout_action_data,
            invalid_input_max, invalid_input_action_type, invalid_input_action_data,
            invalid_extension_max, invalid_extension_action_type,
            invalid_extension_action_data, flow_version, dial_failure_action_type,
            dial_failure_action_data, invalid_input_announcement_sid, timeout_announcement_sid,
            override_reason)
        SELECT %(epoch)s::timestamptz + i * interval '1 second',
               %(epoch)s::timestamptz + i * interval '1 second',
               'AA' || md5('aa' || i), e.id, 'Main line ' || i, '', 'ACTIVE',
               (ARRAY['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'])[1 + i %% 4],
               5, 3, 'HANGUP', '', 3, 'HANGUP', '', 3, 'HANGUP', '', 0, '', '', '', '', ''
        FROM generate_series(1, %(n)s) AS i
        JOIN autoattendant_enterprise e ON e.sid = 'EN' || md5('en' || i)
        """,
    ),
    (
        "menus (3 per system)",
        """
        INSERT INTO autoattendant_menu (
            date_created, date_updated, sid, enterprise_id, auto_attendant_id, name, color_code,
            announcement_id, ringback_tone_id, timeout_seconds, timeout_max,
            timeout_action_type, timeout_action_data)
        SELECT %(epoch)s::timestamptz + i * interval '1 second' + m.k * interval '1 millisecond',
               %(epoch)s::timestamptz + i * interval '1 second',
               'MN' || md5('mn' || i || '-' || m.k), s.enterprise_id, s.id, m.name, '',
               CASE WHEN m.k = 1 THEN welcome.id END, CASE WHEN m.k = 1 THEN ring.id END,
               NULL, NULL, '', ''
        FROM generate_series(1, %(n)s) AS i
        JOIN autoattendant_autoattendantsystem s ON s.sid = 'AA' || md5('aa' || i)
        JOIN autoattendant_announcement welcome ON welcome.sid = 'AN' || md5('an' || i || '-1')
        JOIN autoattendant_announcement ring ON ring.sid = 'AN' || md5('an' || i || '-2')
        CROSS JOIN (VALUES (1, 'Main'), (2, 'Sales'), (3, 'Support')) AS m(k, name)
        """,
    ),
    (
        "default menus",
        """
        UPDATE autoattendant_autoattendantsystem s SET default_menu_id = m.id
        FROM autoattendant_menu m
        WHERE m.auto_attendant_id = s.id AND m.name = 'Main'
        """,
    ),
    (
        "menu keys (all 11 on every menu)",
        """
        INSERT INTO autoattendant_menukey (menu_id, key, action_type, action_data)
        SELECT m.id, k.key, k.action_type,
               CASE k.data
                   WHEN 'next_menu' THEN 'MN' || md5('mn' || i || '-' || (1 + mk %% 3))
                   WHEN 'info' THEN 'AN' || md5('an' || i || '-3')
                   WHEN 'phone' THEN '1777' || lpad(i::text, 7, '0')
                   ELSE '' END
        FROM generate_series(1, %(n)s) AS i
        CROSS JOIN generate_series(1, 3) AS mk
        JOIN autoattendant_menu m ON m.sid = 'MN' || md5('mn' || i || '-' || mk)
        CROSS JOIN (VALUES
            ('1', 'GO_TO_MENU', 'next_menu'),
            ('2', 'ANNOUNCEMENT_RETURN', 'info'),
            ('3', 'DIAL_BY_EXTENSION', ''),
            ('4', 'DIAL_BY_NAME', ''),
            ('5', 'TRANSFER_TO_PHONE', 'phone'),
            ('6', 'ANNOUNCEMENT_HANGUP', 'info'),
            ('7', 'REPLAY_MENU', ''),
            ('8', 'RETURN_TO_PREVIOUS_MENU', ''),
            ('9', 'HANGUP', ''),
            ('*', 'REPLAY_MENU', ''),
            ('0', 'TRANSFER_TO_PHONE', 'phone')
        ) AS k(key, action_type, data)
        """,
    ),
    (
        "schedule blocks (2 weekly + 10 special days per system)",
        """
        INSERT INTO autoattendant_scheduleblock (
            auto_attendant_id, schedule_type, menu_id, start_date, end_date, position)
        SELECT s.id, b.schedule_type, m.id,
               CASE WHEN b.position >= 2 THEN date '2035-01-01' + (b.position - 2) * 30 END,
               CASE WHEN b.position >= 2 THEN date '2035-01-01' + (b.position - 2) * 30 + 1 END,
               b.position
        FROM generate_series(1, %(n)s) AS i
        JOIN autoattendant_autoattendantsystem s ON s.sid = 'AA' || md5('aa' || i)
        CROSS JOIN (
            SELECT 'WEEKLY' AS schedule_type, 0 AS position, 1 AS menu
            UNION ALL SELECT 'WEEKLY', 1, 3
            UNION ALL SELECT 'DATE_RANGE', p, 2 FROM generate_series(2, 11) AS p
        ) AS b
        JOIN autoattendant_menu m ON m.sid = 'MN' || md5('mn' || i || '-' || b.menu)
        """,
    ),
    (
        "weekly entries (49 per system)",
        """
        INSERT INTO autoattendant_scheduleentry (block_id, day, start_time, end_time, position)
        SELECT b.id, d, t.start_time, t.end_time, (d - 1) * 10 + t.slot
        FROM autoattendant_scheduleblock b
        CROSS JOIN generate_series(1, 7) AS d
        JOIN (VALUES
            (0, 0, '00:00', '06:00'), (0, 1, '08:00', '12:00'), (0, 2, '13:00', '18:00'),
            (0, 3, '20:00', '24:00'),
            (1, 0, '06:00', '08:00'), (1, 1, '12:00', '13:00'), (1, 2, '18:00', '20:00')
        ) AS t(position, slot, start_time, end_time) ON t.position = b.position
        WHERE b.schedule_type = 'WEEKLY'
        """,
    ),
    (
        "special-day entries",
        """
        INSERT INTO autoattendant_scheduleentry (block_id, day, start_time, end_time, position)
        SELECT b.id, NULL, '09:00', '17:00', 0
        FROM autoattendant_scheduleblock b
        WHERE b.schedule_type = 'DATE_RANGE'
        """,
    ),
    (
        "main numbers (1 per enterprise)",
        """
        INSERT INTO autoattendant_phonenumber (
            date_created, date_updated, sid, enterprise_id, number, is_extension, extension,
            extension_spoken_name, auto_attendant_id)
        SELECT %(epoch)s::timestamptz + i * interval '1 second',
               %(epoch)s::timestamptz + i * interval '1 second',
               'PH' || md5('ph' || i), s.enterprise_id,
               '1555' || lpad(i::text, 7, '0'), false, '', '', s.id
        FROM generate_series(1, %(n)s) AS i
        JOIN autoattendant_autoattendantsystem s ON s.sid = 'AA' || md5('aa' || i)
        """,
    ),
    (
        "extensions",
        """
        INSERT INTO autoattendant_phonenumber (
            date_created, date_updated, sid, enterprise_id, number, is_extension, extension,
            extension_spoken_name, auto_attendant_id)
        SELECT %(epoch)s::timestamptz + i * interval '1 second' + j * interval '1 millisecond',
               %(epoch)s::timestamptz + i * interval '1 second',
               'PH' || md5('ph' || i || '-' || j), e.id,
               '1666' || lpad(i::text, 7, '0') || lpad(j::text, 3, '0'), true,
               (100 + j)::text,
               (ARRAY['John', 'Maria', 'Wei', 'Aisha', 'Pedro', 'Olga', 'Kenji', 'Fatima',
                      'Liam', 'Nora'])[1 + j %% 10]
               || ' ' ||
               (ARRAY['Smith', 'Garcia', 'Chen', 'Khan', 'Silva', 'Ivanova', 'Sato', 'Haddad',
                      'Murphy', 'Berg'])[1 + (i + j) %% 10],
               NULL
        FROM generate_series(1, %(n)s) AS i
        CROSS JOIN generate_series(1, %(ext)s) AS j
        JOIN autoattendant_enterprise e ON e.sid = 'EN' || md5('en' || i)
        """,
    ),
    (
        "directories (every extension in its system's)",
        """
        INSERT INTO autoattendant_autoattendantsystem_extensions (
            autoattendantsystem_id, phonenumber_id)
        SELECT s.id, p.id
        FROM autoattendant_phonenumber p
        JOIN autoattendant_autoattendantsystem s ON s.enterprise_id = p.enterprise_id
        WHERE p.is_extension
        """,
    ),
]


def load(connection, enterprises: int, numbers: int) -> None:
    """Run :data:`LOAD_SQL` in one transaction, then ``VACUUM ANALYZE``."""
    params = {
        "n": enterprises,
        "ext": max(numbers // enterprises - 1, 0),
        "epoch": "2024-01-01 00:00+00",
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        for label, sql in LOAD_SQL:
            started = time.perf_counter()
            cursor.execute(sql, params)
            print(
                f"  {label:<56} {cursor.rowcount:>9,} rows {time.perf_counter() - started:6.1f} s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL URL with rights to create databases",
    )
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--numbers", type=int, default=100_000, help="main numbers included")
    args = parser.parse_args()
    if args.numbers < args.enterprises:
        parser.error("--numbers must be at least --enterprises (one main number each)")

    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')

    database_url = urlsplit(args.server)._replace(path=f"/{args.database}").geturl()
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aa_project.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from autoattendant.models import User, hash_token

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate {time.perf_counter() - started:.1f} s; loading into {args.database}:")
    started = time.perf_counter()
    with transaction.atomic():
        load(connection, args.enterprises, args.numbers)
        operator = User.objects.create_superuser(OPERATOR_EMAIL, None)
        operator.auth_token_hash = hash_token(OPERATOR_TOKEN)
        operator.save(update_fields=["auth_token_hash"])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"loaded in {time.perf_counter() - started:.1f} s (VACUUM ANALYZE included)")
    print(f"DATABASE_URL={database_url}")
    print(f"operator: {operator.account_sid} / {OPERATOR_TOKEN}")
    connection.close()


if __name__ == "__main__":
    main()
