"""The voicemail email through a real SMTP server (aiosmtpd on a local port) and Django's SMTP
email backend, as production sends it — not the test outbox."""

from __future__ import annotations

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from autoattendant.models import Mailbox, Voicemail
from autoattendant.tasks import run_copy
from tests.builders import real_wav
from tests.platform.media_server import MediaServer, Route

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.DEFAULT_FROM_EMAIL = "voicemail@acme.example"
    settings.PUBLIC_BASE_URL = "https://aa.acme.example"
    yield inbox
    controller.stop()


def test_the_voicemail_email_reaches_a_real_smtp_server(smtp, enterprise_a, media, settings):
    wav = real_wav(8000)
    with MediaServer() as platform_media:
        platform_media.routes["/RE9.wav"] = Route(200, wav)
        settings.RECORDING_URL_HOSTS = [platform_media.host]
        mailbox = Mailbox.objects.create(
            enterprise=enterprise_a, name="Sales", notify_emails=["sales@acme.example"]
        )
        voicemail = Voicemail.objects.create(
            enterprise=enterprise_a,
            mailbox=mailbox,
            call_sid="CA9",
            caller="15550004444",
            time=timezone.now(),
            duration_seconds=12,
            recording_url=platform_media.url("/RE9.wav"),
        )
        assert run_copy(voicemail.sid, wait=lambda seconds: None) == "COPIED"

    assert len(smtp.messages) == 1
    sender, recipients, raw = smtp.messages[0]
    assert sender == "voicemail@acme.example"
    assert recipients == ["sales@acme.example"]
    message = email.message_from_bytes(raw)
    assert message["Subject"] == "Voicemail from 15550004444 (Sales)"
    body = message.get_payload(decode=True).decode()
    assert "Caller: 15550004444" in body
    assert "Duration: 12 seconds" in body
    assert f"Listen: https://aa.acme.example/console/voicemail/{voicemail.sid}/" in body
    voicemail.refresh_from_db()
    assert voicemail.notified


def test_a_mail_server_that_is_down_is_retried_then_logged(enterprise_a, media, settings):
    """Nothing listens on the port: each attempt fails, the copy still succeeds, the message
    stays un-notified (and the failure is logged) once the retries are used up."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.RECORDING_RETRY_DELAYS = [1, 2]
    with MediaServer() as platform_media:
        platform_media.routes["/RE9.wav"] = Route(200, real_wav(800))
        settings.RECORDING_URL_HOSTS = [platform_media.host]
        mailbox = Mailbox.objects.create(
            enterprise=enterprise_a, name="Sales", notify_emails=["sales@acme.example"]
        )
        voicemail = Voicemail.objects.create(
            enterprise=enterprise_a,
            mailbox=mailbox,
            time=timezone.now(),
            recording_url=platform_media.url("/RE9.wav"),
        )
        waits: list[float] = []
        assert run_copy(voicemail.sid, wait=waits.append) == "COPIED"
    assert waits == [1, 2]
    voicemail.refresh_from_db()
    assert voicemail.copy_status == "COPIED" and not voicemail.notified
