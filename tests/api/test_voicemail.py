"""Voicemail messages in the API: search with filters, PUT heard, DELETE, and the recording at
/voicemail/{sid}/audio — authenticated, and only to the message's enterprise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import Mailbox, Voicemail
from autoattendant.models.voicemail import CopyStatus
from tests.builders import real_wav

pytestmark = pytest.mark.django_db

WAV = real_wav(1600)


def message(mailbox, when, *, caller="15550001111", heard=False, audio=True) -> Voicemail:
    voicemail = Voicemail.objects.create(
        enterprise_id=mailbox.enterprise_id,
        mailbox=mailbox,
        call_sid=f"CA{when:%d%H%M}",
        caller=caller,
        time=when,
        duration_seconds=9,
        heard=heard,
        recording_url="https://media.test/RE1.wav",
        copy_status=CopyStatus.COPIED if audio else CopyStatus.FAILED,
        copy_error="" if audio else "host media.test is not in RECORDING_URL_HOSTS",
    )
    if audio:
        voicemail.audio.save(f"{voicemail.sid}.wav", ContentFile(WAV))
    return voicemail


@pytest.fixture
def boxes(enterprise_a, enterprise_b, media):
    desk = Mailbox.objects.create(enterprise=enterprise_a, name="Desk")
    sales = Mailbox.objects.create(enterprise=enterprise_a, name="Sales")
    bolt = Mailbox.objects.create(enterprise=enterprise_b, name="Bolt")
    return desk, sales, bolt


def test_search_filters_and_shows_each_message(bg_admin, boxes):
    desk, sales, bolt = boxes
    a = message(desk, datetime(2026, 3, 1, 9, tzinfo=UTC))
    b = message(sales, datetime(2026, 3, 2, 9, tzinfo=UTC), heard=True, audio=False)
    message(bolt, datetime(2026, 3, 3, 9, tzinfo=UTC))
    data = bg_admin.client.get("/autoattendant/voicemail/search").json()["data"]
    assert [m["sid"] for m in data["result"]] == [a.sid, b.sid]
    first = data["result"][0]
    assert first == {
        "sid": a.sid,
        "mailboxSid": desk.sid,
        "enterpriseSid": desk.enterprise.sid,
        "callSid": a.call_sid,
        "from": "15550001111",
        "time": "2026-03-01T09:00:00+0000",
        "durationSeconds": 9,
        "heard": False,
        "copyStatus": "COPIED",
        "copyError": "",
        "recordingUrl": "https://media.test/RE1.wav",
        "audioUri": f"/autoattendant/voicemail/{a.sid}/audio",
        "dateCreated": first["dateCreated"],
        "dateUpdated": first["dateUpdated"],
        "uri": f"/autoattendant/voicemail/search/{a.sid}",
    }
    second = data["result"][1]
    assert second["audioUri"] is None and second["copyStatus"] == "FAILED"
    assert "RECORDING_URL_HOSTS" in second["copyError"]

    def sids(query: str) -> list[str]:
        r = bg_admin.client.get(f"/autoattendant/voicemail/search?{query}")
        assert r.status_code == 200, r.json()
        return [m["sid"] for m in r.json()["data"]["result"]]

    assert sids(f"mailboxSid={sales.sid}") == [b.sid]
    assert sids("heard=false") == [a.sid]
    assert sids("heard=true") == [b.sid]
    assert sids("startTime=2026-03-02") == [b.sid]
    assert sids("endTime=2026-03-01T23:59:59Z") == [a.sid]
    assert sids("SortBy=time:desc") == [b.sid, a.sid]
    assert bg_admin.client.get("/autoattendant/voicemail/search?heard=maybe").status_code == 400


def test_mark_heard_and_delete(aa_admin, boxes, media):
    desk, _, _ = boxes
    vm = message(desk, datetime(2026, 3, 1, 9, tzinfo=UTC))
    name = vm.audio.name
    r = aa_admin.client.put(f"/autoattendant/voicemail/{vm.sid}", {"heard": True}, format="json")
    assert r.status_code == 200 and r.json()["data"]["heard"] is True
    assert Voicemail.objects.get(pk=vm.pk).heard
    r = aa_admin.client.put(f"/autoattendant/voicemail/{vm.sid}", {"heard": "x"}, format="json")
    assert r.status_code == 400 and "heard" in r.json()["data"]
    assert (media / name).exists()
    r = aa_admin.client.delete(f"/autoattendant/voicemail/{vm.sid}")
    assert r.status_code == 200 and r.json()["data"]["sid"] == vm.sid
    assert not Voicemail.objects.exists()
    # The file goes once the delete is committed (on_commit): the test transaction never is,
    # so it is still there; the service's on_commit is checked in the console test.


def test_audio_is_served_to_the_enterprise_only(bg_admin, bg_admin_b, anon, boxes):
    desk, _, _ = boxes
    vm = message(desk, datetime(2026, 3, 1, 9, tzinfo=UTC))
    url = f"/autoattendant/voicemail/{vm.sid}/audio"
    r = bg_admin.client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "audio/wav"
    assert r["Cache-Control"] == "private, no-store"
    assert b"".join(r.streaming_content) == WAV
    r = anon.get(url)
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Basic")
    r = bg_admin_b.client.get(url)
    assert r.status_code == 409 and r.json() == {
        "errorCode": "682",
        "message": "Voicemail not found",
        "data": {"sid": vm.sid},
    }


def test_audio_not_copied_says_why(bg_admin, boxes):
    desk, _, _ = boxes
    vm = message(desk, datetime(2026, 3, 1, 9, tzinfo=UTC), audio=False)
    r = bg_admin.client.get(f"/autoattendant/voicemail/{vm.sid}/audio")
    assert r.status_code == 409 and r.json()["errorCode"] == "683"
    assert r.json()["data"]["copyStatus"] == "FAILED"


def test_another_enterprises_message_is_not_found(bg_admin_b, boxes):
    desk, _, _ = boxes
    vm = message(desk, datetime(2026, 3, 1, 9, tzinfo=UTC))
    for r in (
        bg_admin_b.client.get(f"/autoattendant/voicemail/search/{vm.sid}"),
        bg_admin_b.client.put(f"/autoattendant/voicemail/{vm.sid}", {"heard": True}, format="json"),
        bg_admin_b.client.delete(f"/autoattendant/voicemail/{vm.sid}"),
    ):
        assert r.status_code == 409 and r.json()["errorCode"] == "682"
    assert Voicemail.objects.filter(pk=vm.pk, heard=False).exists()


def test_there_is_no_create(bg_admin):
    r = bg_admin.client.post("/autoattendant/voicemail", {}, format="json")
    assert r.status_code in (404, 405)


def test_the_list_costs_the_same_queries_for_one_or_many(bg_admin, boxes):
    desk, sales, _ = boxes
    message(desk, datetime(2026, 3, 1, 9, tzinfo=UTC))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert bg_admin.client.get("/autoattendant/voicemail/search").status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for day in range(2, 9):
        message(sales if day % 2 else desk, datetime(2026, 3, day, 9, tzinfo=UTC))
    # auth + count + the page (mailbox and enterprise joined)
    assert count() == one


def test_retry_prompts_on_systems(bg_admin, system, greeting, enterprise_b):
    from tests.builders import make_announcement

    r = bg_admin.client.put(
        f"/autoattendant/system/{system.sid}",
        {"invalidInputAnnouncementSid": greeting.sid, "timeoutAnnouncementSid": greeting.sid},
        format="json",
    )
    assert r.status_code == 200, r.json()
    data = r.json()["data"]
    assert data["invalidInputAnnouncementSid"] == greeting.sid
    assert data["timeoutAnnouncementSid"] == greeting.sid
    other = make_announcement(enterprise_b, "Bolt")
    r = bg_admin.client.put(
        f"/autoattendant/system/{system.sid}",
        {"timeoutAnnouncementSid": other.sid},
        format="json",
    )
    assert r.status_code == 409 and r.json()["errorCode"] == "500"
    assert r.json()["data"]["field"] == "timeoutAnnouncementSid"
    r = bg_admin.client.put(
        f"/autoattendant/system/{system.sid}", {"timeoutAnnouncementSid": "nope"}, format="json"
    )
    assert r.status_code == 400 and "timeoutAnnouncementSid" in r.json()["data"]
    # In use: the announcement cannot be deleted (523).
    r = bg_admin.client.delete(f"/autoattendant/announcement/{greeting.sid}")
    assert r.status_code == 409 and r.json()["errorCode"] == "523"
    # null clears them, and they are left out again.
    r = bg_admin.client.put(
        f"/autoattendant/system/{system.sid}",
        {"invalidInputAnnouncementSid": None, "timeoutAnnouncementSid": ""},
        format="json",
    )
    data = r.json()["data"]
    assert "invalidInputAnnouncementSid" not in data and "timeoutAnnouncementSid" not in data
