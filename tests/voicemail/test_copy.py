"""The recording copy refuses what it must, against a real HTTP server (no mocked requests):
another host, a redirect to another host, an oversize body (announced or streamed), a body that
is not audio; it follows a redirect on the same host, takes MP3, and retries a 5xx with back-off
before giving up with the platform's URL kept."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from autoattendant.models import Mailbox, Voicemail
from autoattendant.models.voicemail import CopyStatus
from autoattendant.services.voicemail import (
    CopyRefused,
    TransientCopyError,
    copy_recording,
    fetch_recording,
)
from autoattendant.tasks import copy_voicemail, run_copy
from tests.builders import real_wav
from tests.platform.media_server import MediaServer, Route

WAV = real_wav(4000)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400


@pytest.fixture
def server():
    with MediaServer() as media_server:
        yield media_server


@pytest.fixture
def allowed(server, settings):
    settings.RECORDING_URL_HOSTS = [server.host]
    return server


def test_it_copies_a_wav_from_an_allowed_host(allowed):
    allowed.routes["/RE1.wav"] = Route(200, WAV)
    fetched = fetch_recording(allowed.url("/RE1.wav"))
    assert fetched.data == WAV and fetched.extension == "wav"


def test_it_copies_an_mp3(allowed):
    allowed.routes["/RE1.mp3"] = Route(200, MP3)
    assert fetch_recording(allowed.url("/RE1.mp3")).extension == "mp3"


def test_it_refuses_a_host_not_in_the_list(server, settings):
    settings.RECORDING_URL_HOSTS = ["media.example.com"]
    server.routes["/RE1.wav"] = Route(200, WAV)
    with pytest.raises(CopyRefused, match="RECORDING_URL_HOSTS"):
        fetch_recording(server.url("/RE1.wav"))
    assert server.hits == []  # not even asked


def test_the_same_server_under_another_name_is_another_host(allowed):
    allowed.routes["/RE1.wav"] = Route(200, WAV)
    with pytest.raises(CopyRefused):
        fetch_recording(allowed.url("/RE1.wav", host=f"localhost:{allowed.port}"))
    assert allowed.hits == []


@pytest.mark.parametrize("scheme", ["file", "ftp", "gopher"])
def test_it_refuses_other_schemes(allowed, scheme):
    with pytest.raises(CopyRefused):
        fetch_recording(f"{scheme}://{allowed.host}/RE1.wav")


def test_it_refuses_a_redirect_to_another_host(allowed, settings):
    with MediaServer() as elsewhere:
        elsewhere.routes["/stolen.wav"] = Route(200, WAV)
        # Even a host that is itself allowed: a redirect never leaves the recording's host.
        settings.RECORDING_URL_HOSTS = [allowed.host, elsewhere.host]
        allowed.routes["/RE1.wav"] = Route(302, b"", {"Location": elsewhere.url("/stolen.wav")})
        with pytest.raises(CopyRefused, match="redirected to another host"):
            fetch_recording(allowed.url("/RE1.wav"))
        assert elsewhere.hits == []


def test_it_follows_a_redirect_on_the_same_host(allowed):
    allowed.routes["/RE1.wav"] = Route(301, b"", {"Location": "/files/RE1.wav"})
    allowed.routes["/files/RE1.wav"] = Route(200, WAV)
    assert fetch_recording(allowed.url("/RE1.wav")).data == WAV
    assert allowed.hits == ["/RE1.wav", "/files/RE1.wav"]


def test_it_refuses_endless_redirects(allowed):
    allowed.routes["/loop.wav"] = Route(302, b"", {"Location": "/loop.wav"})
    with pytest.raises(CopyRefused, match="too many redirects"):
        fetch_recording(allowed.url("/loop.wav"))


def test_it_refuses_an_announced_oversize_body_before_reading_it(allowed, settings):
    settings.RECORDING_MAX_BYTES = 1000
    allowed.routes["/big.wav"] = Route(200, WAV)
    with pytest.raises(CopyRefused, match="exceeds 1000"):
        fetch_recording(allowed.url("/big.wav"))


def test_it_refuses_a_body_that_grows_past_the_cap(allowed, settings):
    """A server that lies about (or omits) its length is cut off at the cap."""
    settings.RECORDING_MAX_BYTES = 1000
    allowed.routes["/liar.wav"] = Route(200, WAV, {"Content-Length": "100"})
    # http.server sends the whole body whatever the header says; requests reads what it
    # announced, so also check a server that announces nothing (reads to the end).
    with pytest.raises(CopyRefused):
        fetch_recording(allowed.url("/liar.wav"))
    allowed.routes["/chunked.wav"] = Route(200, WAV, {"Connection": "close", "Content-Length": ""})
    with pytest.raises(CopyRefused):
        fetch_recording(allowed.url("/chunked.wav"))


@pytest.mark.parametrize(
    "body",
    [b"<html>Sign in</html>", b"RIFF\x10\x00\x00\x00WAVEjunk", b"", b"\x00" * 2000],
    ids=["html", "broken-wav", "empty", "zeros"],
)
def test_it_refuses_a_body_that_is_not_audio(allowed, body):
    allowed.routes["/RE1.wav"] = Route(200, body)
    with pytest.raises(CopyRefused, match="not audio"):
        fetch_recording(allowed.url("/RE1.wav"))


def test_a_404_is_final_and_a_5xx_is_worth_retrying(allowed):
    with pytest.raises(CopyRefused, match="404"):
        fetch_recording(allowed.url("/missing.wav"))
    allowed.routes["/busy.wav"] = Route(503, b"try later")
    with pytest.raises(TransientCopyError, match="503"):
        fetch_recording(allowed.url("/busy.wav"))


def test_an_unreachable_platform_is_worth_retrying(settings):
    with MediaServer() as gone:
        host = gone.host
    settings.RECORDING_URL_HOSTS = [host]
    with pytest.raises(TransientCopyError):
        fetch_recording(f"http://{host}/RE1.wav")


@pytest.fixture
def message(enterprise_a, media):
    def make(url: str) -> Voicemail:
        mailbox = Mailbox.objects.create(
            enterprise=enterprise_a, name="Desk", notify_emails=["desk@acme.example"]
        )
        return Voicemail.objects.create(
            enterprise=enterprise_a,
            mailbox=mailbox,
            caller="15550001111",
            time=timezone.now(),
            duration_seconds=3,
            recording_url=url,
        )

    return make


@pytest.mark.django_db
def test_a_refused_copy_keeps_the_platforms_url_and_says_why(allowed, message):
    allowed.routes["/RE1.wav"] = Route(200, b"<html>login</html>")
    voicemail = message(allowed.url("/RE1.wav"))
    assert copy_recording(voicemail.sid) == CopyStatus.FAILED
    voicemail.refresh_from_db()
    assert voicemail.recording_url == allowed.url("/RE1.wav")
    assert voicemail.copy_error.startswith("not audio")
    assert not voicemail.audio


@pytest.mark.django_db
def test_a_failing_platform_is_retried_with_back_off_then_given_up_and_still_emailed(
    allowed, message, settings
):
    """Four waits of growing length, five fetches, then FAILED and the email naming the
    platform's URL (the embedded default's loop: the waits are recorded, not slept)."""
    settings.RECORDING_RETRY_DELAYS = [1, 2, 4, 8]
    allowed.routes["/RE1.wav"] = Route(503, b"")
    voicemail = message(allowed.url("/RE1.wav"))
    waits: list[float] = []
    assert run_copy(voicemail.sid, wait=waits.append) == CopyStatus.FAILED
    assert waits == [1, 2, 4, 8]
    assert allowed.hits == ["/RE1.wav"] * 5
    voicemail.refresh_from_db()
    assert voicemail.copy_status == CopyStatus.FAILED and "503" in voicemail.copy_error
    assert len(mail.outbox) == 1
    assert allowed.url("/RE1.wav") in mail.outbox[0].body


@pytest.mark.django_db
def test_the_celery_task_asks_a_worker_to_retry_after_the_first_delay(allowed, message, settings):
    settings.RECORDING_RETRY_DELAYS = [30, 120]
    allowed.routes["/RE1.wav"] = Route(502, b"")
    voicemail = message(allowed.url("/RE1.wav"))
    with pytest.raises(Retry) as retry:
        copy_voicemail.apply(args=[voicemail.sid], throw=True)
    assert retry.value.when == 30
    voicemail.refresh_from_db()
    assert voicemail.copy_status == CopyStatus.PENDING and mail.outbox == []


@pytest.mark.django_db
def test_the_copy_succeeds_once_the_platform_recovers(allowed, message, settings):
    settings.RECORDING_RETRY_DELAYS = [1, 2]
    voicemail = message(allowed.url("/RE1.wav"))
    allowed.routes["/RE1.wav"] = Route(503, b"")

    def recover(seconds: float) -> None:
        allowed.routes["/RE1.wav"] = Route(200, WAV)

    assert run_copy(voicemail.sid, wait=recover) == CopyStatus.COPIED
    voicemail.refresh_from_db()
    assert voicemail.audio.name.endswith(f"{voicemail.sid}.wav")
    assert voicemail.notified and len(mail.outbox) == 1
    # Again (a duplicate delivery): nothing fetched, nobody emailed twice.
    hits = len(allowed.hits)
    assert copy_voicemail.apply(args=[voicemail.sid]).get() == CopyStatus.COPIED
    assert len(allowed.hits) == hits and len(mail.outbox) == 1
