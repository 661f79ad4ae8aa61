"""Each item of a list (read as plain values, timestamps formatted by the database) is exactly
what the resource's serializer answers for the same record (its ``GET …/search/{sid}``),
including timestamps with fractions of a second just below the next second."""

from __future__ import annotations

import datetime as dt

import pytest

from autoattendant.choices import ActionType as A
from autoattendant.models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    Menu,
    PhoneNumber,
    User,
)
from tests.builders import make_announcement, make_extension, make_menu, make_system

pytestmark = pytest.mark.django_db

INSTANTS = [
    dt.datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(1999, 12, 31, 23, 59, 59, 500000, tzinfo=dt.UTC),
    dt.datetime(2030, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC),
    dt.datetime(2024, 7, 1, 12, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
]


def stamp(model) -> None:
    for i, row in enumerate(model.objects.order_by("pk")):
        model.objects.filter(pk=row.pk).update(
            date_created=INSTANTS[i % len(INSTANTS)],
            date_updated=INSTANTS[(i + 1) % len(INSTANTS)],
        )


@pytest.mark.parametrize(
    "resource", ["enterprise", "user", "announcement", "menu", "system", "phonenumber"]
)
def test_every_list_item_is_what_the_serializer_answers(
    resource, operator, enterprise_a, enterprise_b, bg_admin, aa_admin
):
    system = make_system(enterprise_a, "Main", created_by=bg_admin.user, description="Desk")
    prompt = make_announcement(enterprise_a, "Prompt", created_by=bg_admin.user)
    make_announcement(enterprise_a, "Tone", type="play", file="announcements/x/AN1_tone.wav")
    first = make_menu(
        system, "First", keys={"1": A.HANGUP, "*": (A.ANNOUNCEMENT_RETURN, prompt.sid)}
    )
    make_menu(
        system,
        "Second",
        keys={"0": (A.GO_TO_MENU, first.sid)},
        color_code="#abc",
        timeout_seconds=0,
        timeout_action_type=A.TRANSFER_TO_PHONE,
        timeout_action_data="15550001111",
        ringback_tone=prompt,
    )
    PhoneNumber.objects.create(enterprise=enterprise_a, number="15550002222", auto_attendant=system)
    system.extensions.add(make_extension(enterprise_a, "15550003333", "101", "Ann"))
    system.extensions.add(make_extension(enterprise_a, "15550004444", "", ""))
    other = make_system(enterprise_a, "Other", timeout_seconds=9, invalid_input_max=2)
    other.default_menu = first
    other.save()
    for model in (Enterprise, User, Announcement, Menu, AutoAttendantSystem, PhoneNumber):
        stamp(model)
    listed = operator.client.get(f"/autoattendant/{resource}/search?pageSize=1000").json()["data"]
    assert listed["total"] == len(listed["result"]) >= 1
    for item in listed["result"]:
        one = operator.client.get(f"/autoattendant/{resource}/search/{item['sid']}")
        assert one.status_code == 200
        assert list(item.items()) == list(one.json()["data"].items())
    created = {item["dateCreated"] for item in listed["result"]}
    # Fractions of a second are dropped, never rounded up into the next second (or year).
    assert created & {"2024-02-29T23:59:59+0000", "1999-12-31T23:59:59+0000"}


def test_keys_that_do_not_split_as_expected_are_read_row_by_row(operator, enterprise_a):
    """Data the services would refuse (a separator inside actionData, written straight to the
    database) still lists exactly as the serializer shows it: that page reads its keys row by
    row."""
    system = make_system(enterprise_a, "Main")
    odd = make_menu(system, "Odd", keys={"1": (A.TRANSFER_TO_PHONE, "1555\x1e0001\x1f2")})
    make_menu(system, "Plain", keys={"2": A.HANGUP, "1": A.HANGUP})
    listed = operator.client.get("/autoattendant/menu/search?pageSize=1000").json()["data"]
    items = {item["sid"]: item for item in listed["result"]}
    one = operator.client.get(f"/autoattendant/menu/search/{odd.sid}").json()["data"]
    assert items[odd.sid] == one
    assert one["keys"][0]["menuAction"]["actionData"] == "1555\x1e0001\x1f2"
    assert [k["menuKey"] for k in listed["result"][1]["keys"]] == ["1", "2"]
