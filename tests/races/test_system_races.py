"""Deleting an AA system while it, its menus or its schedule are being written: no server
error, no resurrected system, nothing left behind in a system that no longer exists."""

from __future__ import annotations

import pytest

from autoattendant.choices import ActionType as A
from autoattendant.models import AutoAttendantSystem, Menu, ScheduleBlock
from tests.builders import make_menu, make_system
from tests.races.harness import no_server_error, race, request, trials

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/autoattendant/system"


def delete(actor, system):
    return request(actor, "delete", f"{URL}/{system.sid}")


def gone(system, deleted, other, *not_found: str) -> list[str]:
    """The delete always succeeds; the other write either went first or found nothing."""
    problems = no_server_error(deleted, other)
    if not deleted.ok:
        problems.append(f"delete answered {deleted}")
    if not (other.ok or other.code in not_found):
        problems.append(f"the other write answered {other}")
    if AutoAttendantSystem.objects.filter(pk=system.pk).exists():
        problems.append(f"deleted (delete {deleted}, other {other}) yet still there")
    if Menu.objects.filter(auto_attendant_id=system.pk).exists():
        problems.append("a menu outlived its system")
    if ScheduleBlock.objects.filter(auto_attendant_id=system.pk).exists():
        problems.append("a schedule block outlived its system")
    return problems


def test_a_delete_racing_an_update_is_never_undone(bg_admin, enterprise_a):
    def trial(i):
        system = make_system(enterprise_a, f"Line {i}")
        body = {"name": "Renamed", "timeoutAction": {"actionType": A.HANGUP}}
        deleted, updated = race(
            delete(bg_admin, system), request(bg_admin, "put", f"{URL}/{system.sid}", body)
        )
        return gone(system, deleted, updated, "490")

    trials(trial)


def test_a_delete_racing_a_menu_update(bg_admin, enterprise_a):
    def trial(i):
        system = make_system(enterprise_a, f"Line {i}")
        menu = make_menu(system, "Day", keys={"1": A.HANGUP})
        body = {"name": "Night", "keys": [{"menuKey": "2", "menuAction": {"actionType": A.HANGUP}}]}
        deleted, updated = race(
            delete(bg_admin, system),
            request(bg_admin, "put", f"/autoattendant/menu/{menu.sid}", body),
        )
        return gone(system, deleted, updated, "502")

    trials(trial)


def test_a_delete_racing_a_new_menu(bg_admin, enterprise_a):
    def trial(i):
        system = make_system(enterprise_a, f"Line {i}")
        body = {"name": "Day", "autoAttendantSid": system.sid}
        deleted, created = race(
            delete(bg_admin, system), request(bg_admin, "post", "/autoattendant/menu", body)
        )
        # 502: the menu was created, then deleted with its system before the API read it back.
        return gone(system, deleted, created, "490", "502")

    trials(trial)


def test_a_delete_racing_a_schedule_write(bg_admin, enterprise_a):
    def trial(i):
        system = make_system(enterprise_a, f"Line {i}")
        menu = make_menu(system, "Day")
        block = {
            "menuSid": menu.sid,
            "scheduleType": "DATE_RANGE",
            "startDate": "2030-12-25",
            "endDate": "2030-12-26",
        }
        body = {"autoAttendantSid": system.sid, "scheduleType": "DATE_RANGE", "schedule": [block]}
        deleted, scheduled = race(
            delete(bg_admin, system), request(bg_admin, "post", "/autoattendant/schedule", body)
        )
        return gone(system, deleted, scheduled, "490")

    trials(trial)
