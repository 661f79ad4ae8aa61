"""Concurrent uploads to one announcement: each replaces the file before it, so exactly one file
is left in storage — the one the announcement names."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from autoattendant.models import Announcement
from tests.builders import make_announcement, real_wav
from tests.races.harness import race, request

pytestmark = pytest.mark.django_db(transaction=True)

UPLOADS = 20


@pytest.mark.parametrize("trial", range(3))
def test_concurrent_uploads_leave_exactly_the_file_named(bg_admin, enterprise_a, media, trial):
    announcement = make_announcement(enterprise_a, "Hold music", type="play")
    url = f"/autoattendant/file/announcement/{announcement.sid}"

    def upload(frames: int):
        wav = SimpleUploadedFile("hold.wav", real_wav(frames), content_type="audio/wav")
        return request(bg_admin, "post", url, {"file": wav}, format="multipart")

    replies = race(*(upload(800 + i) for i in range(UPLOADS)))
    assert [r.status for r in replies] == [200] * UPLOADS, [str(r) for r in replies]
    stored = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
    announcement = Announcement.objects.get(pk=announcement.pk)
    assert stored == [announcement.file.name]
    # ...and it is one of the uploads, each answered with the name it stored.
    assert announcement.file_name in {r.body["data"]["fileUri"].rsplit("/", 1)[1] for r in replies}
