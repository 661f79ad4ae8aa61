"""``manage.py cleanup_media [--dry-run] [--older-than HOURS]``: stored announcement files no
announcement names, past a grace period, are deleted — nothing else."""

from __future__ import annotations

import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from autoattendant.models import Announcement
from tests.builders import make_announcement, real_wav

pytestmark = pytest.mark.django_db

HOUR = 3600


def run(*args) -> list[str]:
    out = StringIO()
    call_command("cleanup_media", *args, stdout=out)
    return out.getvalue().splitlines()


def store(media, name: str, hours_old: float) -> str:
    """A file in the media root, last modified ``hours_old`` hours ago; its storage name."""
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(real_wav(80))
    stamp = time.time() - hours_old * HOUR
    os.utime(path, (stamp, stamp))
    return name


def stored(media) -> list[str]:
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


@pytest.fixture
def files(media, enterprise_a):
    """Announcement files of every kind: named by a row (old and new), named by none (old and
    new), and a file outside the announcements' folder."""
    named_old = store(media, "announcements/ANaaaa_1000.wav", hours_old=48)
    named_new = store(media, "announcements/ANbbbb_2000.wav", hours_old=0)
    make_announcement(enterprise_a, "Old", type="play", file=named_old)
    make_announcement(enterprise_a, "New", type="play", file=named_new)
    return {
        "named_old": named_old,
        "named_new": named_new,
        "orphan_old": store(media, "announcements/ANcccc_3000.wav", hours_old=25),
        "orphan_new": store(media, "announcements/ANdddd_4000.wav", hours_old=23),
        "elsewhere": store(media, "exports/acme.json", hours_old=100),
    }


def test_it_removes_only_unreferenced_files_past_the_grace_period(media, files):
    lines = run()
    assert lines == [
        f"Removed {files['orphan_old']}",
        "Removed 1 unreferenced announcement file(s) older than 24 hour(s).",
    ]
    assert stored(media) == sorted(v for k, v in files.items() if k != "orphan_old")


def test_a_dry_run_lists_them_and_deletes_nothing(media, files):
    before = stored(media)
    lines = run("--dry-run")
    assert lines[0] == f"Would remove {files['orphan_old']}"
    assert lines[-1].startswith("Would remove 1 unreferenced") and "dry run" in lines[-1]
    assert stored(media) == before


def test_the_grace_period_is_an_option(media, files):
    lines = run("--older-than", "0")
    assert lines[:2] == [f"Removed {files['orphan_old']}", f"Removed {files['orphan_new']}"]
    assert stored(media) == sorted([files["named_old"], files["named_new"], files["elsewhere"]])


def test_it_refuses_a_negative_or_odd_grace_period(media, files):
    for value in ("-1", "soon", "nan"):
        with pytest.raises(CommandError, match="hours"):
            run("--older-than", value)
    assert len(stored(media)) == 5


def test_with_nothing_ever_uploaded_there_is_nothing_to_do(media):
    assert run() == ["Removed 0 unreferenced announcement file(s) older than 24 hour(s)."]


def test_a_replaced_file_whose_deletion_never_ran_is_removed_and_the_current_one_kept(
    bg_admin, media
):
    """An upload deletes the file it replaces once it commits; here the commit hooks never run
    (as when the storage failed then), so the replaced files stay behind until cleaned up."""
    r = bg_admin.client.post("/autoattendant/announcement", {"name": "Hold"}, format="json")
    sid = r.json()["data"]["sid"]
    url = f"/autoattendant/file/announcement/{sid}"
    for _ in range(3):
        wav = ContentFile(real_wav(), name="hold.wav")
        assert bg_admin.client.post(url, {"file": wav}, format="multipart").status_code == 200
    current = Announcement.objects.get(sid=sid).file.name
    left = [name for name in stored(media) if name != current]
    assert len(left) == 2
    assert run("--older-than", "0") == [
        *(f"Removed {name}" for name in left),
        "Removed 2 unreferenced announcement file(s) older than 0 hour(s).",
    ]
    assert stored(media) == [current]


def test_it_works_through_any_storage_backend(settings, enterprise_a):
    """Only the storage API is used (listdir, get_modified_time, delete): here an in-memory
    storage, where no file is a path on disk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    named = default_storage.save("announcements/ANeeee_5000.wav", ContentFile(real_wav(80)))
    orphan = default_storage.save("announcements/ANffff_6000.wav", ContentFile(real_wav(80)))
    make_announcement(enterprise_a, "Kept", type="play", file=named)
    assert run("--older-than", "0")[0] == f"Removed {orphan}"
    assert default_storage.exists(named) and not default_storage.exists(orphan)
    assert run()[-1].startswith("Removed 0 ")  # nothing left, let alone older than a day
