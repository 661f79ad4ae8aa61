"""Voicemail end to end, through the Restcomm and TwiML doubles: after hours the caller presses
the voicemail key and records; the message appears in the API and the console, its recording is
copied from the platform's (real, local) media server into storage, and the mailbox's addresses
are emailed. Also: a busy transfer runs dialFailureAction = voicemail, a wrong key hears the
retry prompt, and an empty recording leaves no message."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from autoattendant.callflow.engine import TEXT_INVALID_CHOICE
from autoattendant.choices import ActionType as A
from autoattendant.models import AutoAttendantSystem, Mailbox, PhoneNumber, Voicemail
from autoattendant.models.voicemail import CopyStatus
from autoattendant.runtime import recording
from autoattendant.runtime.phrases import PHRASE_MSGIDS
from tests.builders import make_announcement, make_menu, make_system, make_weekly_block, real_wav

from .conftest import TWILIO_TOKEN
from .media_server import MediaServer, Route
from .restcomm import RestcommPlatform
from .twiml import TwimlPlatform

pytestmark = pytest.mark.django_db

NUMBER = "15557778888"
ON_CALL = "15551239999"
CLOSED = "We are closed. Press 1 for the engineer on call, 2 to leave a message."
GREETING = PHRASE_MSGIDS["voicemail_greeting"]
THANKS = PHRASE_MSGIDS["voicemail_thanks"]
RECORDING = real_wav(8000 * 3)  # three seconds of 8 kHz mono 16-bit


@dataclass
class Office:
    system: AutoAttendantSystem
    mailbox: Mailbox


@pytest.fixture
def office(enterprise_a, settings, media) -> Office:
    """Acme after hours: the schedule's only block is on another weekday, so every call now
    gets the default menu, "After hours": 1 transfers to the engineer on call, 2 voicemail.
    An unanswered transfer goes to voicemail too (dialFailureAction)."""
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    mailbox = Mailbox.objects.create(
        enterprise=enterprise_a,
        name="Front desk",
        notify_emails=["boss@acme.example", "desk@acme.example"],
        max_length_seconds=90,
    )
    system = make_system(
        enterprise_a,
        "Acme",
        dial_failure_action_type=A.VOICEMAIL,
        dial_failure_action_data=mailbox.sid,
    )
    closed = make_announcement(enterprise_a, "Closed", body=CLOSED)
    after_hours = make_menu(
        system,
        "After hours",
        announcement=closed,
        keys={"1": (A.TRANSFER_TO_PHONE, ON_CALL), "2": (A.VOICEMAIL, mailbox.sid)},
    )
    business = make_menu(system, "Business hours", keys={"0": A.HANGUP})
    other_day = timezone.now().isoweekday() % 7 + 1
    make_weekly_block(business, [(other_day, "00:00", "24:00")])
    system.default_menu = after_hours
    system.save()
    PhoneNumber.objects.create(enterprise=enterprise_a, number=NUMBER, auto_attendant=system)
    return Office(system, mailbox)


def platforms():
    return [
        pytest.param(lambda: RestcommPlatform(to=NUMBER), id="restcomm"),
        pytest.param(lambda: TwimlPlatform(to="+" + NUMBER, auth_token=TWILIO_TOKEN), id="twiml"),
    ]


@pytest.mark.parametrize("make_platform", platforms())
def test_after_hours_a_caller_leaves_a_voicemail(
    make_platform, office, settings, bg_admin, django_capture_on_commit_callbacks
):
    with MediaServer() as media_server:
        media_server.routes["/recordings/RE1.wav"] = Route(
            200, RECORDING, {"Content-Type": "audio/x-wav"}
        )
        settings.RECORDING_URL_HOSTS = [media_server.host]
        url = media_server.url("/recordings/RE1.wav")
        platform = make_platform()
        with django_capture_on_commit_callbacks(execute=True):
            call = platform.call(["2", f"record:{url}:7"])

    # What the caller heard: the closed message, the greeting, the beep, thanks, goodbye.
    assert call.said == [CLOSED, GREETING, THANKS]
    assert call.ended == "hangup"
    assert [e for e in call.events if e[0] == "record"] == [("record", 90, "#", True)]
    assert media_server.hits == ["/recordings/RE1.wav"]

    voicemail = Voicemail.objects.get()
    assert voicemail.copy_status == CopyStatus.COPIED
    with voicemail.audio.open("rb") as stored:
        assert stored.read() == RECORDING

    # The API
    result = bg_admin.client.get("/autoattendant/voicemail/search").json()["data"]["result"]
    assert len(result) == 1
    shown = result[0]
    assert shown["sid"] == voicemail.sid and shown["mailboxSid"] == office.mailbox.sid
    assert shown["from"] == platform.from_  # as the platform sent it
    assert shown["durationSeconds"] == 7
    assert shown["heard"] is False and shown["copyStatus"] == "COPIED"
    audio = bg_admin.client.get(shown["audioUri"])
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/wav"
    assert b"".join(audio.streaming_content) == RECORDING

    # The console: the inbox with a player, and one unread message in the navigation.
    console = Client()
    console.force_login(bg_admin.user)
    page = console.get("/console/voicemail/").content.decode()
    assert "15550009999" in page
    assert f'src="/console/voicemail/{voicemail.sid}/audio/"' in page
    assert 'data-unread>1<span class="visually-hidden"> new</span>' in page
    listened = console.get(f"/console/voicemail/{voicemail.sid}/audio/")
    assert b"".join(listened.streaming_content) == RECORDING

    # The email
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["boss@acme.example", "desk@acme.example"]
    assert "15550009999" in email.subject and "Front desk" in email.subject
    assert "Duration: 7 seconds" in email.body
    assert f"/console/voicemail/{voicemail.sid}/" in email.body
    assert voicemail.time.strftime("%Y-%m-%d %H:%M") in email.body

    # The call history: the call ended in the mailbox.
    recording.settle()
    history = bg_admin.client.get("/autoattendant/call/search").json()["data"]["result"]
    assert [c["outcome"] for c in history] == ["VOICEMAIL"]


@pytest.mark.parametrize("make_platform", platforms())
def test_a_busy_transfer_runs_the_dial_failure_action_voicemail(
    make_platform, office, settings, django_capture_on_commit_callbacks
):
    with MediaServer() as media_server:
        media_server.routes["/r/RE2.wav"] = Route(200, RECORDING)
        settings.RECORDING_URL_HOSTS = [media_server.host]
        with django_capture_on_commit_callbacks(execute=True):
            call = make_platform().call(
                ["1", "dial:busy", f"record:{media_server.url('/r/RE2.wav')}:4"]
            )
    assert call.dialled == [ON_CALL]
    assert call.said == [CLOSED, GREETING, THANKS]
    assert "Sorry, that line is not available." not in call.said
    voicemail = Voicemail.objects.get()
    assert voicemail.mailbox == office.mailbox and voicemail.duration_seconds == 4
    assert voicemail.copy_status == CopyStatus.COPIED


@pytest.mark.parametrize("make_platform", platforms())
def test_a_wrong_key_plays_the_retry_prompt_before_the_menu(make_platform, office):
    call = make_platform().call(["7"])  # then the caller hangs up
    assert call.said == [CLOSED, TEXT_INVALID_CHOICE, CLOSED]


@pytest.mark.parametrize("make_platform", platforms())
def test_an_empty_recording_leaves_no_message(make_platform, office):
    call = make_platform().call(["2", "record:"])
    assert call.said == [CLOSED, GREETING, PHRASE_MSGIDS["voicemail_nothing"]]
    assert call.ended == "hangup"
    assert not Voicemail.objects.exists()
    assert mail.outbox == []


def test_the_platform_posting_the_same_message_twice_stores_it_once(
    office, settings, django_capture_on_commit_callbacks
):
    """A retried Record action (same call) is one message, one email."""
    platform = RestcommPlatform(to=NUMBER)
    settings.RECORDING_URL_HOSTS = []
    with django_capture_on_commit_callbacks(execute=True):
        call = platform.call(["2", "record:http://media.test/RE3.wav:5"])
        _, url, params = call.requests[-1]
        again = Client().post(url, params)
    assert again.status_code == 200 and b"<Hangup/>" in again.content
    assert Voicemail.objects.count() == 1
    voicemail = Voicemail.objects.get()
    # Not an allowed host: nothing copied, the platform's URL kept and the failure shown.
    assert voicemail.copy_status == CopyStatus.FAILED
    assert "RECORDING_URL_HOSTS" in voicemail.copy_error
    assert voicemail.recording_url == "http://media.test/RE3.wav"
    assert len(mail.outbox) == 1 and "could not be copied" in mail.outbox[0].body


def test_a_database_failure_while_storing_the_message_is_an_apology_not_a_500(office, monkeypatch):
    from django.db import DatabaseError

    from autoattendant.runtime import voicemail as taking

    def broken(**fields):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(taking.Voicemail.objects, "create", broken)
    call = RestcommPlatform(to=NUMBER).call(["2", "record:http://media.test/RE7.wav:3"])
    assert call.ended == "hangup" and not call.failed
    assert call.replies[-1].status == 200
    assert call.said[-1] == PHRASE_MSGIDS["apology"]
