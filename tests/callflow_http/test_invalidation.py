"""A compiled flow is cached, and every change to what a call hears — through the services or
straight through the ORM — is heard by the very next call."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import ActionType as A
from autoattendant.choices import ScheduleType
from autoattendant.models import (
    Announcement,
    AutoAttendantSystem,
    Menu,
    MenuKey,
    PhoneNumber,
    ScheduleBlock,
    ScheduleEntry,
)
from autoattendant.runtime.versions import touch_systems
from tests.builders import make_announcement, make_menu, make_weekly_block

from .conftest import ALL_WEEK, Platform

pytestmark = pytest.mark.django_db


def version(system) -> int:
    return AutoAttendantSystem.objects.get(pk=system.pk).flow_version


def menu_answering(doc) -> str:
    return doc.query(doc.gather.get("action"))["MenuSid"]


@pytest.fixture
def call(world) -> Platform:
    call = Platform()
    call.start()  # the flow is now cached
    return call


def test_a_menu_announcement_change_is_heard(world, call, enterprise_a):
    other = make_announcement(enterprise_a, "New", body="Brand new greeting.")
    world.main.announcement = other
    world.main.save()
    assert call.start().says == ["Brand new greeting."]


def test_a_menu_timeout_change_is_heard(world, call):
    menu = Menu.objects.get(pk=world.main.pk)
    menu.timeout_seconds = 9
    menu.save()
    assert call.start().gather.get("timeout") == "9"


def test_key_changes_are_heard(world, call):
    key = MenuKey.objects.get(menu=world.main, key="9")
    key.action_type = A.TRANSFER_TO_PHONE
    key.action_data = "15554443333"
    key.save()
    assert call.press(call.start(), "9").dialled == "15554443333"

    MenuKey.objects.create(menu_id=world.main.pk, key="7", action_type=A.HANGUP)
    assert call.press(call.start(), "7").tags == ["Hangup"]

    MenuKey.objects.get(menu=world.main, key="7").delete()
    assert call.press(call.start(), "7").gather is not None  # invalid now: replayed

    MenuKey.objects.filter(menu=world.main).delete()
    assert call.press(call.start(), "9").gather is not None


def test_schedule_changes_are_heard(world, call):
    assert menu_answering(call.start()) == world.main.sid
    block = ScheduleBlock.objects.get(menu=world.main)
    block.menu = world.sales
    block.save()
    assert menu_answering(call.start()) == world.sales.sid

    ScheduleEntry.objects.filter(block=block).delete()
    assert call.start().says[0].startswith("We are sorry")  # no entry: 498 apology

    ScheduleEntry.objects.create(block_id=block.pk, day=1, start_time="00:00", end_time="24:00")
    for day in range(2, 8):
        ScheduleEntry.objects.create(
            block_id=block.pk, day=day, start_time="00:00", end_time="24:00"
        )
    assert menu_answering(call.start()) == world.sales.sid

    entry = ScheduleEntry.objects.filter(block=block).first()
    entry.end_time = "00:01"
    entry.save()
    block.delete()
    make_weekly_block(world.main, ALL_WEEK)
    assert menu_answering(call.start()) == world.main.sid


def test_a_date_range_block_is_heard(world, call):
    import datetime as dt

    today = dt.datetime.now(dt.UTC).date()
    ScheduleBlock.objects.create(
        auto_attendant=world.system,
        schedule_type=ScheduleType.DATE_RANGE,
        menu=world.sales,
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=1),
    )
    assert menu_answering(call.start()) == world.sales.sid


def test_an_announcement_change_is_heard(world, call):
    announcement = Announcement.objects.get(pk=world.welcome.pk)
    announcement.body = "Welcome to the new Acme."
    announcement.save()
    assert call.start().says == ["Welcome to the new Acme."]

    ring = Announcement.objects.get(pk=world.ring.pk)
    ring.file.name = "announcements/AN_ring_1800000000000.wav"
    ring.save()
    assert call.press(call.start(), "1").plays[0].endswith("AN_ring_1800000000000.wav")


def test_directory_changes_are_heard(world, call):
    maria = PhoneNumber.objects.get(pk=world.maria.pk)
    maria.extension_spoken_name = "Mary Jones"
    maria.extension = "202"
    maria.save()
    doc = call.press(call.start(), "3")
    assert doc.gather.get("hints") == "John Smith,Mary Jones"
    assert call.say(doc, "mary jones").dialled == "15550102"
    assert call.press(call.press(call.start(), "2"), "202").dialled == "15550102"

    world.system.extensions.remove(maria)
    assert call.press(call.start(), "3").gather.get("hints") == "John Smith"
    maria.extension_of_systems.add(world.system)
    assert call.press(call.start(), "3").gather.get("hints") == "John Smith,Mary Jones"
    maria.extension_of_systems.clear()
    assert call.press(call.start(), "3").gather.get("hints") == "John Smith"
    world.system.extensions.clear()
    assert call.press(call.start(), "3").gather.get("hints") is None


def test_a_system_change_is_heard(world, call):
    system = AutoAttendantSystem.objects.get(pk=world.system.pk)
    system.timeout_seconds = 12
    system.save()
    assert call.start().gather.get("timeout") == "12"


def test_a_stale_system_instance_cannot_bring_back_an_old_flow(world, call):
    stale = AutoAttendantSystem.objects.get(pk=world.system.pk)
    world.welcome.body = "Hello"
    world.welcome.save()  # bumps the version past the stale instance's
    doc = call.start()
    assert (doc.says, doc.gather.get("timeout")) == (["Hello"], "5")  # cached, bumped version
    bumped = version(world.system)
    stale.timeout_seconds = 3
    stale.save()  # writes its old flow_version back, then bumps: the same number again
    assert version(world.system) == stale.flow_version == bumped
    assert call.start().gather.get("timeout") == "3"  # the row's date_updated tells them apart


def test_a_change_mid_call_is_heard_by_the_next_key_press(world, call):
    doc = call.start()
    key = MenuKey.objects.get(menu=world.main, key="4")
    key.action_type = A.HANGUP
    key.action_data = ""
    key.save()
    assert call.press(doc, "4").tags == ["Hangup"]


def test_bulk_updates_with_touch_systems_are_heard(world, call):
    with transaction.atomic():
        Menu.objects.filter(pk=world.main.pk).update(timeout_seconds=4)
        touch_systems([world.system.pk])
    assert call.start().gather.get("timeout") == "4"


def test_changes_through_the_api_are_heard(world, call, bg_admin):
    r = bg_admin.client.put(
        f"/autoattendant/menu/{world.main.sid}",
        {"keys": [{"menuKey": "5", "menuAction": {"actionType": "HANGUP"}}]},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert call.press(call.start(), "5").tags == ["Hangup"]
    assert call.press(call.start(), "9").gather is not None  # the old keys are gone


def test_a_bump_touches_only_the_systems_concerned(world, enterprise_a, enterprise_b):
    from tests.builders import make_system

    other = make_system(enterprise_a, "Other")
    foreign = make_system(enterprise_b, "Foreign")
    before = {s.pk: version(s) for s in (world.system, other, foreign)}
    world.main.name = "Renamed"
    world.main.save()
    assert version(world.system) == before[world.system.pk] + 1
    assert version(other) == before[other.pk] and version(foreign) == before[foreign.pk]
    # An announcement may be voiced by any system of its enterprise; never another's.
    world.welcome.body = "Hello"
    world.welcome.save()
    assert version(other) == before[other.pk] + 1 and version(foreign) == before[foreign.pk]


def bump_queries(ctx) -> list[dict]:
    """The UPDATEs of ``flow_version`` (a SELECT of a whole system row names the column too)."""
    return [
        q
        for q in ctx.captured_queries
        if q["sql"].startswith("UPDATE") and "flow_version" in q["sql"]
    ]


def test_a_service_write_costs_no_extra_bump(world):
    """Inside a transaction that already touched the system, saves add no UPDATE of their own;
    deleting many keys at once bumps once."""
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        touch_systems([world.system.pk])
        world.main.name = "Renamed"
        world.main.save()
    bumps = bump_queries(ctx)
    assert len(bumps) == 1

    with CaptureQueriesContext(connection) as ctx:
        MenuKey.objects.filter(menu=world.main).delete()
    bumps = bump_queries(ctx)
    assert len(bumps) == 1


def test_deleting_a_menu_bumps_once(world):
    menu = make_menu(world.system, "Spare", keys={str(i): A.HANGUP for i in range(1, 10)})
    start = version(world.system)
    with CaptureQueriesContext(connection) as ctx:
        menu.delete()
    assert len(bump_queries(ctx)) == 1
    assert version(world.system) == start + 1
