"""The hot path's cost: one query per call-flow request on a warm cache, at most five cold, and
the same whatever the number of menus, keys, schedule entries or extensions."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import ActionType as A
from autoattendant.models import Menu, MenuKey, PhoneNumber
from autoattendant.runtime.compiler import compile_flow
from autoattendant.runtime.store import local_answers, local_flows
from tests.builders import make_announcement, make_menu, make_system, make_weekly_block

from .conftest import ENTRY, Platform

pytestmark = pytest.mark.django_db

KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0"]


def count(fetch) -> int:
    with CaptureQueriesContext(connection) as ctx:
        doc = fetch()
    assert doc.status == 200 and doc.gather is not None, doc.text
    return len(ctx.captured_queries)


def test_a_warm_entry_costs_one_query_and_a_cold_one_six(world):
    call = Platform()
    # Cold: 1 the number with its system's version and status, then the compiled flow:
    # 2 the system with its extensions and override, 3 the menus with their keys, 4 the schedule
    # blocks with their entries, 5 the holiday calendars with their entries, 6 the announcements
    # the flow refers to.
    assert count(call.start) == 6
    # Warm: 1 the number with its system's version; the flow comes from the cache.
    assert count(call.start) == 1


def test_a_warm_continuation_costs_one_query(world):
    call = Platform()
    doc = call.start()
    # 1 the system's current version (and status); the flow comes from the cache.
    assert count(lambda: call.press(doc, "4")) == 1
    cache.clear()
    local_flows.clear()  # cold everywhere, also in front of a shared cache
    local_answers.clear()
    assert count(lambda: call.press(doc, "4")) == 6


def make_world(enterprise, number: str, *, keys: int, entries: int, extensions: int):
    system = make_system(enterprise, f"System {number}")
    prompts = [make_announcement(enterprise, f"Prompt {i}") for i in range(keys)]
    target = make_menu(system, "Target")
    menu = make_menu(
        system,
        "Main",
        announcement=prompts[0],
        ringback_tone=prompts[-1],
        keys={
            key: (A.ANNOUNCEMENT_RETURN, prompts[i].sid) if i % 2 else (A.GO_TO_MENU, target.sid)
            for i, key in enumerate(KEYS[:keys])
        },
    )
    make_weekly_block(
        menu, [(1 + i % 7, f"{i // 7:02d}:00", f"{i // 7:02d}:30") for i in range(entries)]
    )
    system.default_menu = menu  # answers whatever the test's clock says
    system.save()
    for i in range(extensions):
        ext = PhoneNumber.objects.create(
            enterprise=enterprise,
            number=f"{number}{i:02d}",
            is_extension=True,
            extension=f"{number[4]}{i:02d}",
            extension_spoken_name=f"Person {i}",
        )
        system.extensions.add(ext)
    PhoneNumber.objects.create(enterprise=enterprise, number=number, auto_attendant=system)
    return system


def test_the_cost_does_not_grow_with_keys_entries_or_extensions(enterprise_a):
    make_world(enterprise_a, "15551000", keys=1, entries=1, extensions=1)
    make_world(enterprise_a, "15552000", keys=11, entries=50, extensions=20)
    small, big = Platform(to="15551000"), Platform(to="15552000")
    assert count(small.start) == count(big.start) == 6
    assert count(small.start) == count(big.start) == 1


def test_building_a_snapshot_costs_five_queries(world):
    with CaptureQueriesContext(connection) as ctx:
        system = compile_flow(world.system.sid, base_url="https://aa.test")
    assert len(ctx.captured_queries) == 5
    main = system.menus[world.main.sid]
    assert main.name == "Main"
    assert main.announcement_sid == world.welcome.sid
    assert main.ringback_sid == world.ring.sid
    assert set(main.keys) == {"1", "2", "3", "4", "9"}
    assert main.keys["4"].action_data == world.sales.sid
    assert main.keys["9"].action_data is None
    ring = system.announcements[world.ring.sid]
    assert ring.file_url == (
        "https://aa.test/autoattendant/internal/announcement/file/AN_ring_1700000000000.wav"
    )
    assert [(e.number, e.extension, e.spoken_name) for e in system.extensions] == [
        ("15550101", "101", "John Smith"),
        ("15550102", "102", "Maria Garcia"),
    ]
    assert len(system.weekly) == 1 and len(system.weekly[0].entries) == 7
    assert system.timeout_action is None and system.default_menu_sid is None


def test_unreferenced_announcements_stay_out_of_the_snapshot(world, enterprise_a):
    unused = make_announcement(enterprise_a, "Unused")
    system = compile_flow(world.system.pk)
    assert unused.sid not in system.announcements
    assert set(system.announcements) == {world.welcome.sid, world.ring.sid}


def test_a_system_without_announcements_costs_four_queries(enterprise_a):
    system = make_system(enterprise_a)
    menu = make_menu(system, "Plain", keys={"9": A.HANGUP})
    make_weekly_block(menu, [(1, "09:00", "17:00")])
    with CaptureQueriesContext(connection) as ctx:
        built = compile_flow(system.pk)
    assert len(ctx.captured_queries) == 4
    assert list(built.menus) == [menu.sid]


def test_malformed_entries_are_left_out_not_fatal(world):
    from autoattendant.models import ScheduleEntry

    ScheduleEntry.objects.filter(block__menu=world.main, day=1).update(start_time="9am")
    system = compile_flow(world.system.pk)
    assert len(system.weekly[0].entries) == 6


def test_deleted_extensions_stay_out_of_the_directory(world):
    PhoneNumber.objects.filter(pk=world.maria.pk).update(date_deleted="2020-01-01T00:00:00Z")
    assert [e.number for e in compile_flow(world.system.pk).extensions] == ["15550101"]


def test_the_platform_endpoint_uses_no_session_or_user(world):
    with CaptureQueriesContext(connection) as ctx:
        Platform().start()
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "django_session" not in tables and "autoattendant_user" not in tables
    assert Menu.objects.count() == 2 and MenuKey.objects.count() == 7
    assert ENTRY == "/autoattendant/internal/rcml"


def test_a_snapshot_survives_a_shared_cache(world):
    """Redis stores pickles: a compiled flow must come back equal, derived fields included."""
    import pickle

    system = compile_flow(world.system.pk, base_url="https://aa.test")
    again = pickle.loads(pickle.dumps(system))  # noqa: S301  (our own bytes)
    assert again == system
    assert again.weekly[0].entries[0].end_minute == 24 * 60
