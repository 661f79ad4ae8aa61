"""``SENTRY_DSN`` turns error reporting on (the Django integration, events from errors and
ERROR log lines); without it the SDK is never initialised. Each case runs in a process of its
own: the SDK's integrations patch Django for the life of a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import logging
import django
django.setup()
import sentry_sdk
from sentry_sdk.transport import Transport

client = sentry_sdk.get_client()
events = []


class Recording(Transport):
    def capture_envelope(self, envelope):
        events.extend(item.payload.json for item in envelope.items if item.type == "event")


if client.is_active():
    client.transport = Recording(client.options)
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("autoattendant.api.views.webhooks").exception(
        "Call flow failed (CallSid=%s)", "CA7", extra={"CallSid": "CA7"}
    )
sentry_sdk.flush()
print(json.dumps({
    "active": client.is_active(),
    "dsn": client.dsn,
    "integrations": sorted(getattr(client, "integrations", {})),
    "events": [
        {"exception": e["exception"]["values"][0]["type"], "logger": e.get("logger")}
        for e in events
    ],
}))
"""


def probe(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    result = subprocess.run(  # noqa: S603 - this interpreter, our script
        [sys.executable, "-c", PROBE],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "aa_project.settings", **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_a_dsn_turns_error_reporting_on():
    dsn = "https://0123456789abcdef@sentry.example.invalid/42"
    state = probe(SENTRY_DSN=dsn)
    assert state["active"] is True
    assert state["dsn"] == dsn
    assert "django" in state["integrations"]
    # An ERROR line with its exception becomes an event (here caught by a recording transport).
    assert state["events"] == [
        {"exception": "ZeroDivisionError", "logger": "autoattendant.api.views.webhooks"}
    ]


def test_without_a_dsn_nothing_is_initialised():
    state = probe()
    assert state["active"] is False
    assert state["dsn"] is None
    assert state["events"] == []
