"""Deleting an announcement while it is being changed or taken into use (DESIGN §11 "Delete
protections": 507 played by a menu, 523 named by an action): whoever goes first, nobody gets a
server error, a deleted announcement stays deleted, and nothing is left naming an announcement
that no longer exists."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from autoattendant.choices import ActionType as A
from autoattendant.models import Announcement, AutoAttendantSystem, Menu, MenuKey
from tests.builders import make_announcement, make_menu, make_system, real_wav
from tests.races.harness import no_server_error, race, request, trials

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/autoattendant/announcement"


def exists(announcement) -> bool:
    return Announcement.objects.filter(pk=announcement.pk).exists()


def delete(actor, announcement):
    return request(actor, "delete", f"{URL}/{announcement.sid}")


def refused_or_not_found(deleted, other, guard: str) -> list[str]:
    """Either the other write went first and the delete was refused with ``guard``, or the
    delete went first and the other write found no announcement (500)."""
    problems = no_server_error(deleted, other)
    if deleted.ok and other.code != "500":
        problems.append(f"deleted, yet the other write answered {other}")
    if not deleted.ok and (deleted.code != guard or not other.ok):
        problems.append(f"delete answered {deleted}, the other write {other}")
    return problems


def test_a_delete_racing_an_update_is_never_undone(bg_admin, enterprise_a):
    def trial(i):
        announcement = make_announcement(enterprise_a, f"Greeting {i}")
        deleted, updated = race(
            delete(bg_admin, announcement),
            request(bg_admin, "put", f"{URL}/{announcement.sid}", {"name": "New"}),
        )
        problems = no_server_error(deleted, updated)
        if not deleted.ok:
            problems.append(f"delete answered {deleted}")
        if not (updated.ok or updated.code == "500"):
            problems.append(f"update answered {updated}")
        if exists(announcement):
            problems.append(f"deleted (delete {deleted}, update {updated}) yet still there")
        return problems

    trials(trial)


def test_a_delete_racing_an_upload_is_never_undone_and_leaves_no_file(
    bg_admin, enterprise_a, media
):
    wav = real_wav()

    def trial(i):
        announcement = make_announcement(enterprise_a, f"Greeting {i}", type="play")
        body = {"file": SimpleUploadedFile("hello.wav", wav, content_type="audio/wav")}
        url = f"/autoattendant/file/announcement/{announcement.sid}"
        deleted, uploaded = race(
            delete(bg_admin, announcement),
            request(bg_admin, "post", url, body, format="multipart"),
        )
        problems = no_server_error(deleted, uploaded)
        if not deleted.ok:
            problems.append(f"delete answered {deleted}")
        if not (uploaded.ok or uploaded.code == "500"):
            problems.append(f"upload answered {uploaded}")
        if exists(announcement):
            problems.append(f"deleted (delete {deleted}, upload {uploaded}) yet still there")
        files = sorted(p.name for p in media.rglob("*.wav"))
        if files:
            problems.append(f"files left behind: {files}")
        return problems

    trials(trial)


def test_a_delete_racing_a_menu_key_that_takes_it_into_use(bg_admin, enterprise_a):
    system = make_system(enterprise_a)

    def trial(i):
        announcement = make_announcement(enterprise_a, f"Goodbye {i}")
        menu = make_menu(system, f"Menu {i}", keys={"1": A.HANGUP})
        action = {"actionType": A.ANNOUNCEMENT_HANGUP, "actionData": announcement.sid}
        body = {"keys": [{"menuKey": "1", "menuAction": action}]}
        deleted, updated = race(
            delete(bg_admin, announcement),
            request(bg_admin, "put", f"/autoattendant/menu/{menu.sid}", body),
        )
        problems = refused_or_not_found(deleted, updated, "523")
        if MenuKey.objects.filter(action_data=announcement.sid).exists() and not exists(
            announcement
        ):
            problems.append(f"a key names a deleted announcement ({deleted}, {updated})")
        return problems

    trials(trial)


def test_a_delete_racing_a_menu_that_plays_it(bg_admin, enterprise_a):
    """Once a deadlock: the menu's writer and the delete took their locks in opposite order."""
    system = make_system(enterprise_a)

    def trial(i):
        announcement = make_announcement(enterprise_a, f"Welcome {i}")
        menu = make_menu(system, f"Menu {i}")
        body = {"announcementSid": announcement.sid}
        deleted, updated = race(
            delete(bg_admin, announcement),
            request(bg_admin, "put", f"/autoattendant/menu/{menu.sid}", body),
        )
        return refused_or_not_found(deleted, updated, "507")

    trials(trial)


def test_a_delete_racing_a_new_menu_that_names_it(bg_admin, enterprise_a):
    system = make_system(enterprise_a)

    def trial(i):
        announcement = make_announcement(enterprise_a, f"Welcome {i}")
        body = {
            "name": f"Menu {i}",
            "autoAttendantSid": system.sid,
            "timeoutAction": {"actionType": A.ANNOUNCEMENT_RETURN, "actionData": announcement.sid},
        }
        deleted, created = race(
            delete(bg_admin, announcement), request(bg_admin, "post", "/autoattendant/menu", body)
        )
        problems = refused_or_not_found(deleted, created, "523")
        if Menu.objects.filter(timeout_action_data=announcement.sid).exists() and not exists(
            announcement
        ):
            problems.append(f"a menu names a deleted announcement ({deleted}, {created})")
        return problems

    trials(trial)


def test_a_delete_racing_a_system_action_that_takes_it_into_use(bg_admin, enterprise_a):
    def trial(i):
        announcement = make_announcement(enterprise_a, f"Sorry {i}")
        system = make_system(enterprise_a, f"Line {i}")
        action = {"actionType": A.ANNOUNCEMENT_HANGUP, "actionData": announcement.sid}
        deleted, updated = race(
            delete(bg_admin, announcement),
            request(
                bg_admin,
                "put",
                f"/autoattendant/system/{system.sid}",
                {"invalidInputAction": action},
            ),
        )
        problems = refused_or_not_found(deleted, updated, "523")
        named = AutoAttendantSystem.objects.filter(invalid_input_action_data=announcement.sid)
        if named.exists() and not exists(announcement):
            problems.append(f"the system names a deleted announcement ({deleted}, {updated})")
        return problems

    trials(trial)


def test_updates_of_announcements_voiced_by_different_systems_do_not_deadlock(
    bg_admin, enterprise_a
):
    """Each update bumps every system that may voice its announcement: in the same order for
    every writer, or two of them each hold one system while waiting for the other's."""

    def trial(i):
        first = make_announcement(enterprise_a, f"First {i}")
        second = make_announcement(enterprise_a, f"Second {i}")
        make_menu(make_system(enterprise_a, f"Line A{i}"), "Day", announcement=first)
        make_menu(make_system(enterprise_a, f"Line B{i}"), "Day", announcement=second)
        replies = race(
            request(bg_admin, "put", f"{URL}/{first.sid}", {"name": "Renamed"}),
            request(bg_admin, "put", f"{URL}/{second.sid}", {"name": "Renamed"}),
        )
        return no_server_error(*replies) + [f"update answered {r}" for r in replies if not r.ok]

    trials(trial)
