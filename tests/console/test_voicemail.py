"""Voicemail in the console: the mailbox editor, the inbox with its player, mark heard, delete,
the unread count in the navigation, and a VOICEMAIL action picked in the menu and system
editors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile

from autoattendant.choices import ActionType
from autoattendant.models import Mailbox, Menu, Voicemail
from autoattendant.models.voicemail import CopyStatus
from tests.builders import real_wav

from .helpers import text
from .test_menus import form_data

pytestmark = pytest.mark.django_db

WAV = real_wav(800)


@pytest.fixture
def desk(enterprise_a, media):
    mailbox = Mailbox.objects.create(
        enterprise=enterprise_a, name="Front desk", notify_emails=["desk@acme.example"]
    )
    new = Voicemail.objects.create(
        enterprise=enterprise_a,
        mailbox=mailbox,
        caller="15550002222",
        time=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        duration_seconds=12,
        copy_status=CopyStatus.COPIED,
    )
    new.audio.save(f"{new.sid}.wav", ContentFile(WAV))
    failed = Voicemail.objects.create(
        enterprise=enterprise_a,
        mailbox=mailbox,
        caller="15550003333",
        time=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        duration_seconds=4,
        copy_status=CopyStatus.FAILED,
        copy_error="host media.test is not in RECORDING_URL_HOSTS",
        recording_url="https://media.test/RE1.wav",
        heard=True,
    )
    return mailbox, new, failed


def test_the_inbox_lists_messages_with_a_player_and_the_failures(bg, desk):
    _, new, _ = desk
    response = bg.get("/console/voicemail/")
    html = response.content.decode()
    assert f'<audio controls preload="none" src="/console/voicemail/{new.sid}/audio/"' in html
    assert "host media.test is not in RECORDING_URL_HOSTS" in html
    assert 'href="https://media.test/RE1.wav"' in html
    page = text(response)
    assert page.index("15550003333") < page.index("15550002222")  # newest first
    # One message is new: the navigation says so.
    assert 'data-unread>1<span class="visually-hidden"> new</span>' in html
    only_new = bg.get("/console/voicemail/?unheard=1").content.decode()
    assert "15550002222" in only_new and "15550003333" not in only_new


def test_the_player_gets_the_recording_and_only_in_its_enterprise(bg, bg_b, desk, client):
    _, new, _ = desk
    url = f"/console/voicemail/{new.sid}/audio/"
    response = bg.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content) == WAV
    assert bg_b.get(url).status_code == 404
    assert bg_b.get(f"/console/voicemail/{new.sid}/").status_code == 404
    assert client.get(url).status_code == 302  # to the login page


def test_mark_heard_and_back_to_new(aa, desk):
    _, new, _ = desk
    response = aa.post(
        f"/console/voicemail/{new.sid}/heard/", {"heard": "1", "next": "/console/voicemail/"}
    )
    assert response.status_code == 302 and response["Location"] == "/console/voicemail/"
    assert Voicemail.objects.get(pk=new.pk).heard
    assert "data-unread" not in aa.get("/console/voicemail/").content.decode()
    aa.post(f"/console/voicemail/{new.sid}/heard/", {"heard": "0", "next": "https://evil.example"})
    assert not Voicemail.objects.get(pk=new.pk).heard
    assert aa.get(f"/console/voicemail/{new.sid}/heard/").status_code == 405


def test_delete_asks_then_deletes_the_message_and_its_file(
    bg, desk, media, django_capture_on_commit_callbacks
):
    _, new, _ = desk
    path = media / new.audio.name
    assert path.exists()
    assert "Delete" in text(bg.get(f"/console/voicemail/{new.sid}/delete/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = bg.post(f"/console/voicemail/{new.sid}/delete/")
    assert response.status_code == 302
    assert not Voicemail.objects.filter(pk=new.pk).exists()
    assert not path.exists()


def test_the_mailbox_editor(bg, aa, desk, world):
    response = bg.post(
        "/console/mailboxes/new/",
        {"name": "Sales", "greeting": world.welcome.sid, "max_length_seconds": "60",
         "notify_emails": "sales@acme.example\nboss@acme.example, sales@acme.example"},
    )  # fmt: skip
    assert response.status_code == 302
    sales = Mailbox.objects.get(name="Sales")
    assert sales.notify_emails == ["sales@acme.example", "boss@acme.example"]
    assert sales.greeting == world.welcome and sales.max_length_seconds == 60
    # An AA admin edits the rest, never sees (nor changes) who is emailed.
    page = aa.get(f"/console/mailboxes/{sales.sid}/").content.decode()
    assert 'name="notify_emails"' not in page and "sales@acme.example" in page
    response = aa.post(
        f"/console/mailboxes/{sales.sid}/",
        {"name": "Sales team", "greeting": "", "max_length_seconds": "30"},
    )
    assert response.status_code == 302
    sales.refresh_from_db()
    assert sales.name == "Sales team" and sales.greeting is None
    assert sales.notify_emails == ["sales@acme.example", "boss@acme.example"]
    # A bad address is shown next to its field.
    response = bg.post(
        f"/console/mailboxes/{sales.sid}/",
        {"name": "Sales", "max_length_seconds": "30", "notify_emails": "not-an-address"},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in text(response)
    assert "Front desk" in text(bg.get("/console/mailboxes/"))


def test_a_menu_key_records_into_a_mailbox_and_the_mailbox_then_cannot_go(bg, desk, world):
    mailbox, _, _ = desk
    data = form_data(name="Closed", key_2_type=ActionType.VOICEMAIL, key_2_mailbox=mailbox.sid)
    response = bg.post(f"/console/systems/{world.system.sid}/menus/new/", data)
    assert response.status_code == 302
    menu = Menu.objects.get(name="Closed")
    assert list(menu.keys.values_list("key", "action_type", "action_data")) == [
        ("2", ActionType.VOICEMAIL, mailbox.sid)
    ]
    response = bg.post(f"/console/mailboxes/{mailbox.sid}/delete/", follow=True)
    assert Mailbox.objects.filter(pk=mailbox.pk).exists()
    assert "used by" in text(response).lower()
    # Without a mailbox chosen, the picker says what to do.
    data = form_data(name="Closed 2", key_3_type=ActionType.VOICEMAIL)
    response = bg.post(f"/console/systems/{world.system.sid}/menus/new/", data)
    assert response.status_code == 200
    assert "Choose the mailbox to record into." in text(response)


def test_the_system_editor_sets_the_dial_failure_action_and_retry_prompts(bg, desk, world):
    mailbox, _, _ = desk
    page = bg.get(f"/console/systems/{world.system.sid}/edit/")
    form = page.context["form"]
    data = {
        name: (value if value is not None else "")
        for name, value in ((f.name, f.value()) for f in form)
        if not isinstance(value, list)
    }
    data["aa_numbers"] = form["aa_numbers"].value()
    data["extensions"] = form["extensions"].value()
    data.update(
        dial_failure_type=ActionType.VOICEMAIL,
        dial_failure_mailbox=mailbox.sid,
        wrong_key_prompt=world.welcome.sid,
    )
    response = bg.post(f"/console/systems/{world.system.sid}/edit/", data)
    assert response.status_code == 302, text(response)
    world.system.refresh_from_db()
    assert world.system.dial_failure_action_type == ActionType.VOICEMAIL
    assert world.system.dial_failure_action_data == mailbox.sid
    assert world.system.invalid_input_announcement_sid == world.welcome.sid
    assert world.system.timeout_announcement_sid == ""
    assert world.system.invalid_input_action_type == ""  # the action's own picker untouched
    page = bg.get(f"/console/systems/{world.system.sid}/edit/")
    assert page.context["form"]["wrong_key_prompt"].value() == world.welcome.sid


def test_an_announcement_shows_the_mailboxes_and_retry_prompts_that_play_it(bg, world):
    from autoattendant.models import Mailbox as MailboxRow

    MailboxRow.objects.create(
        enterprise=world.system.enterprise, name="Night line", greeting=world.welcome
    )
    world.system.timeout_announcement_sid = world.welcome.sid
    world.system.save()
    page = text(bg.get(f"/console/announcements/{world.welcome.sid}/"))
    assert "greeting of mailbox Night line" in page
    assert f"silence prompt of AA system {world.system.name}" in page


def test_the_simulator_walks_a_caller_to_the_tone_and_leaves_a_message(bg, world, desk):
    mailbox, _, _ = desk
    world.main.keys.create(key="5", action_type=ActionType.VOICEMAIL, action_data=mailbox.sid)
    query = {"number": world.number.number, "at": "2025-06-04T10:00"}
    response = bg.get("/console/simulator/", {**query, "press": "5"})
    page = text(response)
    assert "Beeps and records a message (until # or silence)" in page
    assert "recording into mailbox “Front desk”" in page
    assert 'name="record"' in page and response.context["recording"]
    before = Voicemail.objects.count()
    response = bg.get("/console/simulator/", {**query, "inputs": "5", "record": "1"})
    page = text(response)
    assert response.context["inputs"] == "5,record"
    assert "Caller leaves a message" in page
    assert "Thank you, your message has been recorded. Goodbye." in page
    assert 'data-outcome="hangup"' in page
    assert Voicemail.objects.count() == before  # a simulation stores nothing
