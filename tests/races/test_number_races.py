"""Numbers racing the systems they join and their own release: no server error, no released
number brought back, no number assigned to a system that no longer exists."""

from __future__ import annotations

import pytest

from autoattendant.models import PhoneNumber
from tests.builders import make_system
from tests.races.harness import no_server_error, race, request, trials

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/autoattendant/phonenumber"


def test_a_system_delete_racing_a_number_joining_it(bg_admin, enterprise_a):
    def trial(i):
        system = make_system(enterprise_a, f"Line {i}")
        number = PhoneNumber.objects.create(enterprise=enterprise_a, number=f"1555100{i:04d}")
        deleted, assigned = race(
            request(bg_admin, "delete", f"/autoattendant/system/{system.sid}"),
            request(bg_admin, "put", f"{URL}/{number.sid}", {"autoAttendantSid": system.sid}),
        )
        problems = no_server_error(deleted, assigned)
        if not deleted.ok or not (assigned.ok or assigned.code == "490"):
            problems.append(f"delete answered {deleted}, the assignment {assigned}")
        number.refresh_from_db()
        if number.auto_attendant_id is not None:
            problems.append("the number still names the deleted system")
        return problems

    trials(trial)


def test_a_release_racing_an_update_is_never_undone(operator, bg_admin, enterprise_a):
    system = make_system(enterprise_a)

    def trial(i):
        number = PhoneNumber.objects.create(enterprise=enterprise_a, number=f"1555200{i:04d}")
        released, assigned = race(
            request(operator, "delete", f"{URL}/{number.sid}"),
            request(bg_admin, "put", f"{URL}/{number.sid}", {"autoAttendantSid": system.sid}),
        )
        problems = no_server_error(released, assigned)
        if not released.ok or not (assigned.ok or assigned.code == "491"):
            problems.append(f"release answered {released}, the update {assigned}")
        number.refresh_from_db()
        if number.date_deleted is None or number.auto_attendant_id is not None:
            problems.append(f"released ({released}, {assigned}) yet live or still assigned")
        return problems

    trials(trial)
