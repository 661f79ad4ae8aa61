"""Announcement WAV files: upload (checked, size-capped, stored under a generated name) and the
public download the telephony platform plays from."""

from __future__ import annotations

import re
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import Announcement, AutoAttendantSystem, Menu
from tests.builders import real_wav

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

FILE_URI = re.compile(r"^/autoattendant/internal/announcement/file/(AN[0-9a-f]{32})_(\d{13})\.wav$")


def stored(media) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file())


@pytest.fixture
def announcement(bg_admin):
    r = bg_admin.client.post(
        "/autoattendant/announcement", {"name": "test api upload"}, format="json"
    )
    return Announcement.objects.get(sid=r.json()["data"]["sid"])


def upload(actor, sid, content: bytes, name="greeting.wav", field="file"):
    return actor.client.post(
        f"/autoattendant/file/announcement/{sid}",
        {field: SimpleUploadedFile(name, content, content_type="audio/wav")},
        format="multipart",
    )


def test_upload_and_download_round_trip_as_in_the_spec(bg_admin, anon, announcement, media):
    wav = real_wav()
    r = upload(bg_admin, announcement.sid, wav)
    assert r.status_code == 200, r.json()
    doc = r.json()
    assert doc["code"] == 200 and doc["message"] == "OK"
    data = doc["data"]
    assert data["sid"] == announcement.sid
    assert data["name"] == "test api upload"
    assert data["type"] == "play"
    assert data["enterpriseSid"] == announcement.enterprise.sid
    assert data["accountEmail"] == bg_admin.user.email
    match = FILE_URI.match(data["fileUri"])
    assert match and match.group(1) == announcement.sid
    assert stored(media) == [data["fileUri"].rsplit("/", 1)[1]]
    # The platform fetches it without credentials and gets the very same bytes.
    r = anon.get(data["fileUri"])
    assert r.status_code == 200
    assert r["Content-Type"] == "audio/wav"
    assert b"".join(r.streaming_content) == wav
    # ...and it shows on the announcement from then on.
    got = bg_admin.client.get(f"/autoattendant/announcement/search/{announcement.sid}")
    assert got.json()["data"]["fileUri"] == data["fileUri"]


def test_uploading_turns_a_say_into_play_and_keeps_its_text(bg_admin, enterprise_a):
    r = bg_admin.client.post(
        "/autoattendant/announcement",
        {"name": "tts", "type": "say", "body": "Hello", "language": "en", "voice": "man"},
        format="json",
    )
    sid = r.json()["data"]["sid"]
    data = upload(bg_admin, sid, real_wav()).json()["data"]
    assert data["type"] == "play" and "fileUri" in data
    assert Announcement.objects.get(sid=sid).body == "Hello"


def test_a_new_upload_replaces_and_deletes_the_old_file(
    bg_admin, anon, announcement, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = upload(bg_admin, announcement.sid, real_wav(1600)).json()["data"]["fileUri"]
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(bg_admin, announcement.sid, real_wav(2400)).json()["data"]["fileUri"]
    assert first != second
    assert stored(media) == [second.rsplit("/", 1)[1]]
    assert anon.get(first).status_code == 404
    assert anon.get(second).status_code == 200


def test_upload_bumps_the_flow_version_of_systems_that_play_it(bg_admin, announcement):
    system = AutoAttendantSystem.objects.create(enterprise=announcement.enterprise, name="Main")
    Menu.objects.create(
        enterprise=system.enterprise, auto_attendant=system, name="Day", announcement=announcement
    )
    system.refresh_from_db()
    before = system.flow_version
    upload(bg_admin, announcement.sid, real_wav())
    system.refresh_from_db()
    assert system.flow_version > before


def _wav_with(fmt: bytes, data: bytes, data_size: int | None = None) -> bytes:
    chunks = (
        b"fmt " + struct.pack("<I", len(fmt)) + fmt
        + b"data" + struct.pack("<I", len(data) if data_size is None else data_size) + data
    )  # fmt: skip
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


PCM_FMT = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
FORGED = {
    "wrong magic": b"RIFX" + real_wav()[4:],
    "an mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * 500,
    "a text file": b"hello, this is not audio\n" * 10,
    "truncated": real_wav()[:-501],
    "a lying header": _wav_with(PCM_FMT, b"\x00" * 1000, data_size=1_000_000),
    "non-PCM (IEEE float)": _wav_with(struct.pack("<HHIIHH", 3, 1, 8000, 32000, 4, 32), b"\0" * 8),
    "non-PCM (mu-law)": _wav_with(struct.pack("<HHIIHH", 7, 1, 8000, 8000, 1, 8), b"\0" * 8),
    "empty": b"",
}


@pytest.mark.parametrize("content", FORGED.values(), ids=FORGED.keys())
def test_a_forged_wav_is_504_and_nothing_is_stored(bg_admin, announcement, media, content):
    r = upload(bg_admin, announcement.sid, content)
    assert r.status_code == 409
    doc = r.json()
    assert doc["errorCode"] == "504"
    assert doc["message"] == "Error in uploading audio file"
    assert doc["data"]["sid"] == announcement.sid
    assert "file" not in doc["data"]
    assert stored(media) == []
    announcement.refresh_from_db()
    assert not announcement.file and announcement.type == "play"


def test_a_50_mb_upload_is_413_and_nothing_is_stored(bg_admin, announcement, media):
    huge = real_wav()[:44] + b"\x00" * (50 * 1024 * 1024)
    r = upload(bg_admin, announcement.sid, huge)
    assert r.status_code == 413
    assert r.json()["errorCode"] == "606"
    assert stored(media) == []
    announcement.refresh_from_db()
    assert not announcement.file


def test_the_limit_is_configurable_and_checked_while_streaming(
    bg_admin, announcement, media, settings
):
    settings.ANNOUNCEMENT_MAX_BYTES = 4000
    assert upload(bg_admin, announcement.sid, real_wav(1600)).status_code == 200  # 3 244 bytes
    r = upload(bg_admin, announcement.sid, real_wav(4000))  # 8 044 bytes: under the body slack
    assert r.status_code == 413 and r.json()["errorCode"] == "606"
    assert len(stored(media)) == 1


def test_a_9_mb_wav_is_accepted(bg_admin, anon, announcement, media):
    """Far above the in-memory upload limits: it streams to a temporary file instead."""
    frames = 9 * 1024 * 1024 // 2
    wav = real_wav(80)[:40] + struct.pack("<I", frames * 2) + b"\x01\x02" * frames
    wav = wav[:4] + struct.pack("<I", len(wav) - 8) + wav[8:]
    r = upload(bg_admin, announcement.sid, wav)
    assert r.status_code == 200, r.json()
    got = anon.get(r.json()["data"]["fileUri"])
    assert b"".join(got.streaming_content) == wav


def test_an_unknown_or_foreign_announcement_is_500(bg_admin, bg_admin_b, announcement, media):
    for sid in ("AN" + "0" * 32, announcement.sid):
        r = upload(bg_admin_b, sid, real_wav())
        assert r.status_code == 409
        assert r.json() == {
            "errorCode": "500",
            "message": "Announcement not found",
            "data": {"sid": sid},
        }
    assert stored(media) == []


def test_a_missing_file_field_is_400(bg_admin, announcement):
    r = upload(bg_admin, announcement.sid, real_wav(), field="audio")
    assert r.status_code == 400 and "file" in r.json()["data"]


def test_json_instead_of_multipart_is_415(bg_admin, announcement):
    r = bg_admin.client.post(
        f"/autoattendant/file/announcement/{announcement.sid}", {"file": "x"}, format="json"
    )
    assert r.status_code == 415 and r.json()["errorCode"] == "607"


def test_upload_needs_credentials(anon, announcement):
    r = anon.post(
        f"/autoattendant/file/announcement/{announcement.sid}",
        {"file": SimpleUploadedFile("a.wav", real_wav())},
        format="multipart",
    )
    assert r.status_code == 401


def test_deleting_the_announcement_deletes_its_file(
    bg_admin, anon, announcement, media, django_capture_on_commit_callbacks
):
    uri = upload(bg_admin, announcement.sid, real_wav()).json()["data"]["fileUri"]
    with django_capture_on_commit_callbacks(execute=True):
        r = bg_admin.client.delete(f"/autoattendant/announcement/{announcement.sid}")
    assert r.status_code == 200 and r.json()["data"]["fileUri"] == uri
    assert stored(media) == []
    assert anon.get(uri).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "AN" + "0" * 32 + "_1597217206000.wav",  # well-formed, but no such file
        "greeting.wav",
        "..%2F..%2Fsettings.py",
        "AN" + "0" * 32 + "_1597217206000.mp3",
    ],
)
def test_unknown_files_are_a_json_404(anon, name):
    r = anon.get(f"/autoattendant/internal/announcement/file/{name}")
    assert r.status_code == 404
    assert r.json()["errorCode"] == "604"


def test_a_file_on_disk_that_no_announcement_owns_is_not_served(anon, media):
    name = "AN" + "a" * 32 + "_1597217206000.wav"
    (media / "announcements").mkdir()
    (media / "announcements" / name).write_bytes(real_wav())
    assert anon.get(f"/autoattendant/internal/announcement/file/{name}").status_code == 404


def test_download_is_read_only(bg_admin, anon, announcement):
    uri = upload(bg_admin, announcement.sid, real_wav()).json()["data"]["fileUri"]
    r = anon.delete(uri)
    assert r.status_code == 405 and r.json()["errorCode"] == "605"
    assert anon.head(uri).status_code == 200


def test_download_costs_one_query(bg_admin, anon, announcement):
    uri = upload(bg_admin, announcement.sid, real_wav()).json()["data"]["fileUri"]
    with CaptureQueriesContext(connection) as ctx:
        r = anon.get(uri)
        b"".join(r.streaming_content)
    # the announcement owning that file name
    assert len(ctx.captured_queries) == 1
