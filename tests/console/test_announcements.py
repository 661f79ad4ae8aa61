"""Announcements: say / play, WAV upload, listening in the page, where each one is used, and
the delete refusals in words."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import ActionType
from autoattendant.models import Announcement
from tests.builders import make_announcement, make_menu, real_wav

from .helpers import errors_next_to, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def say(**overrides) -> dict:
    return {
        "name": "Closed",
        "description": "",
        "type": "say",
        "body": "We are closed.",
        "language": "en",
        "voice": "woman",
        **overrides,
    }


def test_an_admin_creates_a_text_to_speech_announcement(aa):
    response = aa.post("/console/announcements/new/", say())
    assert response.status_code == 302
    created = Announcement.objects.get(name="Closed")
    assert (created.type, created.body, created.language, created.voice) == (
        "say",
        "We are closed.",
        "en",
        "woman",
    )
    assert "Announcement “Closed” created." in text(aa.get(response["Location"]))


def test_say_without_its_text_language_and_voice_is_shown_next_to_each(bg):
    response = bg.post("/console/announcements/new/", say(body="", language="", voice=""))
    assert response.status_code == 200
    for field in ("body", "language", "voice"):
        assert errors_next_to(response, field) == ["Required for text to speech."]
    assert not Announcement.objects.exists()


def test_the_language_picker_offers_only_the_tts_languages(bg, settings):
    settings.TTS_LANGUAGES = ["en", "fr"]
    form = bg.get("/console/announcements/new/").context["form"]
    assert [value for value, _label in form.fields["language"].choices if value] == ["en", "fr"]
    response = bg.post("/console/announcements/new/", say(language="de"))
    assert errors_next_to(response, "language")[0].startswith("Select a valid choice")
    assert not Announcement.objects.exists()


def test_a_missing_name_is_shown_next_to_the_name(bg):
    response = bg.post("/console/announcements/new/", say(name=""))
    assert errors_next_to(response, "name") == ["This field is required."]


def test_uploading_a_wav_makes_a_play_announcement_to_listen_to(bg, media):
    data = {
        "name": "Jingle",
        "type": "play",
        "file": SimpleUploadedFile("jingle.wav", real_wav(), content_type="audio/wav"),
    }
    response = bg.post("/console/announcements/new/", data)
    assert response.status_code == 302
    jingle = Announcement.objects.get(name="Jingle")
    assert jingle.type == "play" and jingle.file_uri
    page = text(bg.get(response["Location"]))
    assert f'<audio controls src="{jingle.file_uri}"' in page
    assert f'src="{jingle.file_uri}"' in text(bg.get("/console/announcements/"))
    assert bg.get(jingle.file_uri).status_code == 200


def test_a_file_that_is_not_a_wav_is_refused_next_to_the_file_field(bg, media):
    data = {
        "name": "Fake",
        "type": "play",
        "file": SimpleUploadedFile("fake.wav", b"RIFF not really", content_type="audio/wav"),
    }
    response = bg.post("/console/announcements/new/", data)
    assert response.status_code == 200
    assert errors_next_to(response, "file") == ["The file is not a valid PCM WAV recording."]
    assert not Announcement.objects.exists()  # all or nothing
    assert not any(p.is_file() for p in media.rglob("*"))


def test_editing_keeps_the_rules(bg, enterprise_a):
    closed = make_announcement(enterprise_a, "Closed")
    response = bg.post(f"/console/announcements/{closed.sid}/", say(language="xx"))
    assert errors_next_to(response, "language")[0].startswith("Select a valid choice")
    response = bg.post(f"/console/announcements/{closed.sid}/", say(body="Back soon."))
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.body == "Back soon."


def test_the_list_says_where_each_announcement_is_used(bg, world):
    spare = make_announcement(world.system.enterprise, "Spare")
    make_menu(world.system, "Info", keys={"2": (ActionType.ANNOUNCEMENT_RETURN, world.welcome.sid)})
    page = text(bg.get("/console/announcements/"))
    assert "menu Main menu" in page
    assert "key 2 of Info" in page
    row = page[page.index(spare.name) :]
    assert "not used" in row[: row.index("</tr>")]


def test_an_announcement_a_menu_plays_cannot_be_deleted_and_the_page_says_why(bg, world):
    page = text(bg.get(f"/console/announcements/{world.welcome.sid}/delete/"))
    assert "Delete announcement “Welcome”?" in page
    response = bg.post(f"/console/announcements/{world.welcome.sid}/delete/", follow=True)
    assert "a menu plays it" in text(response)
    assert Announcement.objects.filter(pk=world.welcome.pk).exists()


def test_an_announcement_an_action_plays_cannot_be_deleted(bg, world):
    note = make_announcement(world.system.enterprise, "Note")
    make_menu(world.system, "Info", keys={"2": (ActionType.ANNOUNCEMENT_HANGUP, note.sid)})
    response = bg.post(f"/console/announcements/{note.sid}/delete/", follow=True)
    assert "a key, timeout or invalid-input action plays it" in text(response)


def test_an_unused_announcement_is_deleted(bg, enterprise_a):
    spare = make_announcement(enterprise_a, "Spare")
    response = bg.post(f"/console/announcements/{spare.sid}/delete/")
    assert response["Location"] == "/console/announcements/"
    assert not Announcement.objects.filter(pk=spare.pk).exists()


def test_another_enterprises_announcements_are_invisible(bg, world, world_b):
    assert world_b.welcome.name in text(bg.get("/console/announcements/"))  # same name, own row
    for url in (
        f"/console/announcements/{world_b.welcome.sid}/",
        f"/console/announcements/{world_b.welcome.sid}/delete/",
    ):
        assert bg.get(url).status_code == 404
    rows = bg.get("/console/announcements/").context["items"]
    assert [item["a"].sid for item in rows] == [world.welcome.sid]


def test_the_list_costs_the_same_queries_with_hundreds_of_announcements(bg, world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert bg.get("/console/announcements/").status_code == 200
        return len(queries)

    before = count()
    for i in range(150):
        note = make_announcement(world.system.enterprise, f"Note {i}")
        make_menu(
            world.system,
            f"Menu {i}",
            announcement=note,
            keys={"1": (ActionType.ANNOUNCEMENT_RETURN, note.sid)},
        )
    # session, user, enterprise, announcements, menus, keys, systems
    assert count() == before
