"""Deleting a menu while it is being changed or taken into use (DESIGN §11 "Delete protections":
506 in a schedule, then 614 a GO_TO_MENU target or default menu, then 509 an announcement
assigned): whoever goes first, no server error, no resurrected menu, no reference to a menu that
no longer exists."""

from __future__ import annotations

import pytest

from autoattendant.choices import ActionType as A
from autoattendant.models import AutoAttendantSystem, Menu, MenuKey, ScheduleBlock
from tests.builders import make_announcement, make_menu, make_system
from tests.races.harness import no_server_error, race, request, trials

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/autoattendant/menu"


def exists(menu) -> bool:
    return Menu.objects.filter(pk=menu.pk).exists()


def delete(actor, menu):
    return request(actor, "delete", f"{URL}/{menu.sid}")


def refused_or_not_found(deleted, other, guard: str) -> list[str]:
    """Either the other write went first and the delete was refused with ``guard``, or the
    delete went first and the other write found no menu (502)."""
    problems = no_server_error(deleted, other)
    if deleted.ok and other.code != "502":
        problems.append(f"deleted, yet the other write answered {other}")
    if not deleted.ok and (deleted.code != guard or not other.ok):
        problems.append(f"delete answered {deleted}, the other write {other}")
    return problems


@pytest.fixture
def system(enterprise_a):
    return make_system(enterprise_a)


def test_a_delete_racing_an_update_is_never_undone(bg_admin, system):
    def trial(i):
        menu = make_menu(system, f"Menu {i}", keys={"1": A.HANGUP})
        body = {
            "name": "Renamed",
            "keys": [{"menuKey": "2", "menuAction": {"actionType": A.HANGUP}}],
        }
        deleted, updated = race(
            delete(bg_admin, menu), request(bg_admin, "put", f"{URL}/{menu.sid}", body)
        )
        problems = no_server_error(deleted, updated)
        if not deleted.ok:
            problems.append(f"delete answered {deleted}")
        if not (updated.ok or updated.code == "502"):
            problems.append(f"update answered {updated}")
        if exists(menu) or MenuKey.objects.filter(menu_id=menu.pk).exists():
            problems.append(f"deleted (delete {deleted}, update {updated}) yet still there")
        return problems

    trials(trial)


def test_a_delete_racing_an_announcement_being_assigned(bg_admin, system, enterprise_a):
    greeting = make_announcement(enterprise_a, "Greeting")

    def trial(i):
        menu = make_menu(system, f"Menu {i}")
        body = {"announcementSid": greeting.sid}
        deleted, updated = race(
            delete(bg_admin, menu), request(bg_admin, "put", f"{URL}/{menu.sid}", body)
        )
        return refused_or_not_found(deleted, updated, "509")

    trials(trial)


def test_a_delete_racing_a_go_to_menu_that_targets_it(bg_admin, system):
    def trial(i):
        target = make_menu(system, f"Target {i}")
        source = make_menu(system, f"Source {i}")
        action = {"actionType": A.GO_TO_MENU, "actionData": target.sid}
        body = {"keys": [{"menuKey": "1", "menuAction": action}]}
        deleted, updated = race(
            delete(bg_admin, target), request(bg_admin, "put", f"{URL}/{source.sid}", body)
        )
        problems = refused_or_not_found(deleted, updated, "614")
        if MenuKey.objects.filter(action_data=target.sid).exists() and not exists(target):
            problems.append("a key goes to a deleted menu")
        return problems

    trials(trial)


def test_a_delete_racing_the_system_taking_it_as_default_menu(bg_admin, enterprise_a):
    def trial(i):
        system = make_system(enterprise_a, f"Line {i}")
        menu = make_menu(system, f"Menu {i}")
        body = {"defaultMenuSid": menu.sid}
        deleted, updated = race(
            delete(bg_admin, menu),
            request(bg_admin, "put", f"/autoattendant/system/{system.sid}", body),
        )
        problems = refused_or_not_found(deleted, updated, "614")
        system.refresh_from_db()
        if system.default_menu_id is not None and not exists(menu):
            problems.append("the system's default menu was deleted")
        return problems

    trials(trial)


def test_a_delete_racing_a_system_action_that_targets_it(bg_admin, enterprise_a):
    def trial(i):
        system = make_system(enterprise_a, f"Line {i}")
        menu = make_menu(system, f"Menu {i}")
        body = {"timeoutAction": {"actionType": A.GO_TO_MENU, "actionData": menu.sid}}
        deleted, updated = race(
            delete(bg_admin, menu),
            request(bg_admin, "put", f"/autoattendant/system/{system.sid}", body),
        )
        problems = refused_or_not_found(deleted, updated, "614")
        named = AutoAttendantSystem.objects.filter(timeout_action_data=menu.sid).exists()
        if named and not exists(menu):
            problems.append("the system's timeout action goes to a deleted menu")
        return problems

    trials(trial)


def test_a_delete_racing_a_schedule_that_uses_it(bg_admin, system):
    def trial(i):
        menu = make_menu(system, f"Menu {i}")
        entries = [{"day": 1, "startTime": "09:00", "endTime": "17:00"}]
        body = {
            "autoAttendantSid": system.sid,
            "scheduleType": "WEEKLY",
            "schedule": [{"menuSid": menu.sid, "scheduleType": "WEEKLY", "entries": entries}],
        }
        deleted, scheduled = race(
            delete(bg_admin, menu), request(bg_admin, "post", "/autoattendant/schedule", body)
        )
        problems = refused_or_not_found(deleted, scheduled, "506")
        ScheduleBlock.objects.filter(auto_attendant=system).delete()  # free it for the next trial
        return problems

    trials(trial)
