"""A real Celery worker copies a message's recording from a real HTTP server and emails it
through a real SMTP server: the message is left through the Restcomm double, the copy goes
through the broker (not eagerly, not inline).

Collected only with PostgreSQL and Redis (see conftest): the worker is another process, so it
needs a broker and the test database on a server; the test's data is committed
(``transaction=True``). It consumes a queue of its own.
"""

from __future__ import annotations

import email
import uuid

import pytest
from aiosmtpd.controller import Controller

from aa_project.celery import app as celery_app
from autoattendant.models import Voicemail
from autoattendant.models.voicemail import CopyStatus
from autoattendant.tasks import copy_voicemail
from tests.builders import real_wav
from tests.platform.media_server import MediaServer, Route
from tests.workers import celery_worker, wait_for

from .test_email_smtp import Inbox, free_port

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


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
        log_path = tmp_path / "worker.log"
        worker_env = {
            "MEDIA_ROOT": str(media_root),
            "RECORDING_URL_HOSTS": platform_media.host,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
        }
        try:
            with celery_worker(queue, log_path, **worker_env) as worker:
                copy_voicemail.apply_async(args=[voicemail.sid], queue=queue)
                wait_for(lambda: inbox.messages, worker, log_path)
        finally:
            smtp.stop()
        assert platform_media.hits == ["/recordings/RE5.wav"]

    voicemail.refresh_from_db()
    assert voicemail.copy_status == CopyStatus.COPIED and voicemail.notified
    assert (media_root / voicemail.audio.name).read_bytes() == wav
    (_, recipients, raw) = inbox.messages[0]
    assert recipients == ["desk@acme.example"]
    assert "Duration: 6 seconds" in email.message_from_bytes(raw).get_payload(decode=True).decode()
