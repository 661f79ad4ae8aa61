"""``LOG_FORMAT=json``: one JSON object a line with time, level, logger and message, and the
``CallSid`` of call-flow lines as a field of its own."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.callflow_http.conftest import Platform

ROOT = Path(__file__).resolve().parents[2]

LOG = """
import logging
import logging.config
import django
django.setup()
webhooks = logging.getLogger("autoattendant.api.views.webhooks")
webhooks.warning("Refused TwiML request (CallSid=%s)", "CA42", extra={"CallSid": "CA42"})
try:
    1 / 0
except ZeroDivisionError:
    webhooks.exception("Call flow failed (CallSid=%s)", "CA43", extra={"CallSid": "CA43"})
logging.getLogger("autoattendant.tasks").info("Usage roll-up done")
"""


def run(script: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "LOG_LEVEL")}
    return subprocess.run(  # noqa: S603 - this interpreter, our script
        [sys.executable, "-c", script],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "aa_project.settings", **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_each_record_is_one_json_object_a_line():
    result = run(LOG, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 3, result.stderr  # the traceback stays inside its line
    warning, failure, info = (json.loads(line) for line in lines)

    assert warning["level"] == "WARNING"
    assert warning["logger"] == "autoattendant.api.views.webhooks"
    assert warning["message"] == "Refused TwiML request (CallSid=CA42)"
    assert warning["CallSid"] == "CA42"
    assert warning["time"].startswith("20") and warning["time"].endswith("+00:00")

    assert failure["level"] == "ERROR" and failure["CallSid"] == "CA43"
    assert "ZeroDivisionError" in failure["exc_info"]

    assert info == {
        "level": "INFO",
        "logger": "autoattendant.tasks",
        "message": "Usage roll-up done",
        "time": info["time"],
    }


def test_plain_is_the_default():
    result = run(LOG)
    assert result.returncode == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert " WARNING autoattendant.api.views.webhooks Refused TwiML request (CallSid=CA42)" in first
    with pytest.raises(json.JSONDecodeError):
        json.loads(first)


def test_an_unknown_format_is_refused():
    result = run("import django; django.setup()", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be one of plain, json, got 'xml'" in result.stderr


@pytest.mark.django_db
def test_call_flow_lines_carry_the_call_sid(world, caplog, settings):
    """The runtime's and the webhooks' lines name the call as a field, not only in the text."""
    with caplog.at_level(logging.INFO, logger="autoattendant"):
        Platform(to="15550000001").start()  # nobody's number: answered with an apology
        doc = Platform().start()
        Platform().fetch(doc.gather.get("action").replace("Signature=", "Signature=0"))
    records = [r for r in caplog.records if r.name.startswith("autoattendant.runtime")]
    assert len(records) == 2, [r.getMessage() for r in caplog.records]
    assert all(r.CallSid == "CA0123456789abcdef" for r in records)

    formatter = logging.config.DictConfigurator(settings.LOGGING).configure_formatter(
        dict(settings.LOGGING["formatters"]["json"])  # it pops the factory
    )
    line = json.loads(formatter.format(records[0]))
    assert line["CallSid"] == "CA0123456789abcdef"
    assert line["logger"] == "autoattendant.runtime.answering"


def test_gunicorn_writes_its_own_lines_as_json_too(monkeypatch):
    """Start-up, worker and access lines in the same journal as the application's."""
    import runpy

    from aa_project.log_format import FORMATTERS

    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert "logconfig_dict" not in runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    monkeypatch.setenv("LOG_FORMAT", "json")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logconfig_dict"]
    assert config["formatters"]["json"] == FORMATTERS["json"]
    for name in ("gunicorn.error", "gunicorn.access"):
        (handler,) = config["loggers"][name]["handlers"]
        assert config["handlers"][handler]["formatter"] == "json"
    own = {key: value for key, value in config.items() if key != "root"}  # leave pytest's be
    logging.config.dictConfig({"version": 1, **own, "disable_existing_loggers": False})
    try:
        stream = io.StringIO()
        logger = logging.getLogger("gunicorn.error")
        logger.handlers[0].setStream(stream)
        logger.info("Booting worker with pid: %s", 42)
        line = json.loads(stream.getvalue())
        assert (line["logger"], line["message"]) == (
            "gunicorn.error",
            "Booting worker with pid: 42",
        )
    finally:
        for name in ("gunicorn.error", "gunicorn.access"):
            logging.getLogger(name).handlers.clear()
            logging.getLogger(name).propagate = True
