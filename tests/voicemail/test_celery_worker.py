"""A real Celery worker copies a message's recording from a real HTTP server and emails it
through a real SMTP server: the message is left through the Restcomm double, the copy goes
through the broker (not eagerly, not inline).

Collected only with PostgreSQL and Redis (see conftest): the worker is another process, so it
needs a broker and the test database on a server; the test's data is committed
(``transaction=True``). It consumes a queue of its own.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from aa_project.celery import app as celery_app
from autoattendant.models import Voicemail
from autoattendant.models.voicemail import CopyStatus
from autoattendant.tasks import copy_voicemail
from tests.builders import real_wav
from tests.platform.media_server import MediaServer, Route

from .test_email_smtp import Inbox, free_port

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 60


def _test_database_url() -> str:
    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def test_a_worker_copies_the_recording_and_emails_the_mailbox(enterprise_a, tmp_path):
    from django.utils import timezone

    from autoattendant.models import Mailbox

    assert not celery_app.conf.task_always_eager  # REDIS_URL set: tasks go through the broker
    wav = real_wav(8000)
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    media_root = tmp_path / "media"
    queue = f"voicemail-test-{uuid.uuid4().hex}"
    with MediaServer() as platform_media:
        platform_media.routes["/recordings/RE5.wav"] = Route(200, wav)
        mailbox = Mailbox.objects.create(
            enterprise=enterprise_a, name="Desk", notify_emails=["desk@acme.example"]
        )
        voicemail = Voicemail.objects.create(
            enterprise=enterprise_a,
            mailbox=mailbox,
            call_sid="CA5",
            caller="15550005555",
            time=timezone.now(),
            duration_seconds=6,
            recording_url=platform_media.url("/recordings/RE5.wav"),
        )
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DB_CONN_MAX_AGE": "0",
            "MEDIA_ROOT": str(media_root),
            "RECORDING_URL_HOSTS": platform_media.host,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
        }
        log = (tmp_path / "worker.log").open("w")
        worker = subprocess.Popen(  # noqa: S603 - the project's own worker, fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "aa_project",
                "worker",
                "--pool=solo",
                "-c",
                "1",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                queue,
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            copy_voicemail.apply_async(args=[voicemail.sid], queue=queue)
            deadline = time.monotonic() + WAIT_SECONDS
            while not inbox.messages:
                assert worker.poll() is None, (tmp_path / "worker.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
                time.sleep(0.25)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            log.close()
            smtp.stop()
        assert platform_media.hits == ["/recordings/RE5.wav"]

    voicemail.refresh_from_db()
    assert voicemail.copy_status == CopyStatus.COPIED and voicemail.notified
    assert (media_root / voicemail.audio.name).read_bytes() == wav
    (_, recipients, raw) = inbox.messages[0]
    assert recipients == ["desk@acme.example"]
    assert "Duration: 6 seconds" in email.message_from_bytes(raw).get_payload(decode=True).decode()
