"""Production settings pass Django's deployment checks; the embedded default needs nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from autoattendant.models import User

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "".join(chr(97 + i % 26) + str(i) for i in range(40)),
    "ALLOWED_HOSTS": "aa.example.com",
    "TWILIO_AUTH_TOKEN": "0123456789abcdef0123456789abcdef",
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    # Only what production would have: no test-only switches (the browser tests set one).
    dropped = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_passes_with_production_settings():
    r = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert r.returncode == 0, r.stdout + r.stderr


def test_check_deploy_warns_of_an_open_twiml_webhook():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "TWILIO_AUTH_TOKEN"}
    r = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert r.returncode != 0
    assert "autoattendant.W001" in r.stderr + r.stdout
    silenced = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env={**env, "SILENCED_SYSTEM_CHECKS": "autoattendant.W001"},
    )  # fmt: skip
    assert silenced.returncode == 0, silenced.stdout + silenced.stderr


def test_without_a_secret_key_production_refuses_to_start():
    r = _manage("check", env={"DEBUG": "false", "ALLOWED_HOSTS": "aa.example.com"})
    assert r.returncode != 0
    assert "SECRET_KEY must be set" in r.stderr


def test_odd_boolean_values_are_refused():
    r = _manage("check", env={"DEBUG": "maybe"})
    assert r.returncode != 0 and "DEBUG must be a boolean" in r.stderr


@pytest.mark.django_db
def test_createsuperuser_noinput_uses_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@operator.example")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Sup3r-Secret-Pass")
    call_command("createsuperuser", "--noinput", verbosity=0)
    user = User.objects.get(email="root@operator.example")
    assert user.is_superuser and user.is_staff and user.is_active
    assert user.sid.startswith("RCS") and user.check_password("Sup3r-Secret-Pass")


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_prints_working_credentials(capsys):
    from tests.conftest import make_client

    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert User.objects.filter(email__iexact="admin@smiles-dental.example").count() == 1
    # The last printed BG_ADMIN token works against the API.
    curl = [line for line in out.splitlines() if "curl -u" in line][-1]
    username, token = curl.split("curl -u ", 1)[1].split()[0].split(":")
    assert make_client(username, token).get("/autoattendant/user/search").status_code == 200


SQLITE_CONFIGURATIONS = pytest.mark.parametrize(
    "env",
    [{"SQLITE_PATH": "/tmp/aa-settings-check.sqlite3"}, {"DATABASE_URL": "sqlite:////tmp/x.db"}],
    ids=["SQLITE_PATH", "sqlite DATABASE_URL"],
)


def _in_fresh_process(env: dict, code: str) -> str:
    """What ``code`` prints after ``django.setup()`` in a fresh process configured by ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    r = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "aa_project.settings", **env},
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    return r.stdout


def _database_setting(env: dict, name: str) -> str:
    """``settings.DATABASES['default'][name]`` as a fresh process with ``env`` prints it."""
    return _in_fresh_process(
        env,
        f"from django.conf import settings; value = settings.DATABASES['default'][{name!r}];"
        " print(sorted(value.items()) if isinstance(value, dict) else value)",
    )


@SQLITE_CONFIGURATIONS
def test_every_sqlite_database_writes_in_immediate_transactions_with_a_busy_timeout(env):
    """A deferred transaction that reads and then writes fails at once when another process
    wrote in between ("database is locked"): the call history's background writes from several
    web processes would keep failing. Whichever way SQLite is configured."""
    options = _database_setting(env, "OPTIONS")
    assert "('transaction_mode', 'IMMEDIATE')" in options
    assert "('timeout', 20)" in options
    assert "journal_mode=WAL" in options
    assert "wal_autocheckpoint=10000" in options


@SQLITE_CONFIGURATIONS
def test_every_sqlite_connection_keeps_32_mib_of_pages(env, tmp_path):
    """SQLite's own 2 MiB page cache is smaller than what one batch of the call history's
    writes touches: each connection, as opened, keeps 32 MiB (a negative size is in KiB)."""
    env = {k: v.replace("/tmp/", f"{tmp_path}/") for k, v in env.items()}
    pages = _in_fresh_process(
        env,
        "from django.db import connection;"
        " print(connection.cursor().execute('PRAGMA cache_size').fetchone()[0])",
    )
    assert int(pages) == -32768


@SQLITE_CONFIGURATIONS
def test_every_sqlite_database_keeps_its_connections_between_requests(env):
    """With no CONN_MAX_AGE Django closes the connection after every request: on the embedded
    default each call then paid for opening SQLite (its pragmas, the schema) — four times what
    answering it costs (``docs/performance.md``)."""
    assert int(_database_setting(env, "CONN_MAX_AGE").strip()) >= 60
