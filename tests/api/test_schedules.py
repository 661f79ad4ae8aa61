"""Schedules: the spec's weekly and special-days examples, replace-by-type, validation,
overlaps (overnight included), references, tenancy, roles, atomicity and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import AutoAttendantSystem, ScheduleBlock, ScheduleEntry
from tests.builders import make_date_range_block, make_menu, make_system, make_weekly_block

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_menu(system):
    return make_menu(system, "Office hours")


@pytest.fixture
def night_menu(system):
    return make_menu(system, "Closed")


def post(actor, body):
    return actor.client.post("/autoattendant/schedule", body, format="json")


def weekly(system, *blocks) -> dict:
    """A WEEKLY body; each block as ``(menu, [(day, start, end), …])``."""
    return {
        "autoAttendantSid": system.sid,
        "scheduleType": "WEEKLY",
        "schedule": [
            {
                "menuSid": menu.sid,
                "scheduleType": "WEEKLY",
                "entries": [{"day": d, "startTime": s, "endTime": e} for d, s, e in entries],
            }
            for menu, entries in blocks
        ],
    }


def special(system, *blocks) -> dict:
    """A DATE_RANGE body; each block as ``(menu, "start", "end", [(start, end), …])``."""
    items = []
    for menu, start, end, entries in blocks:
        item = {
            "startDate": start,
            "endDate": end,
            "menuSid": menu.sid,
            "scheduleType": "DATE_RANGE",
        }
        if entries:
            item["entries"] = [{"startTime": s, "endTime": e} for s, e in entries]
        items.append(item)
    return {"autoAttendantSid": system.sid, "schedule": items, "scheduleType": "DATE_RANGE"}


def stored(system, schedule_type=None):
    blocks = ScheduleBlock.objects.filter(auto_attendant=system)
    if schedule_type:
        blocks = blocks.filter(schedule_type=schedule_type)
    return [
        (b.menu.sid, b.schedule_type, [(e.day, e.start_time, e.end_time) for e in b.entries.all()])
        for b in blocks.order_by("schedule_type", "position")
    ]


def version(system) -> int:
    return AutoAttendantSystem.objects.get(pk=system.pk).flow_version


# --- the spec's examples -----------------------------------------------------------------------


def test_weekly_schedule_as_the_spec_shows(bg_admin, system, day_menu):
    r = post(bg_admin, weekly(system, (day_menu, [(1, "01:00", "04:00")])))
    assert r.status_code == 200
    assert r.json() == {
        "data": {
            "autoAttendantSid": system.sid,
            "scheduleType": "WEEKLY",
            "schedule": [
                {
                    "menuSid": day_menu.sid,
                    "scheduleType": "WEEKLY",
                    "entries": [{"day": 1, "startTime": "01:00", "endTime": "04:00"}],
                }
            ],
        },
        "code": 200,
        "message": "OK",
    }
    assert stored(system) == [(day_menu.sid, "WEEKLY", [(1, "01:00", "04:00")])]


def test_special_days_schedule_as_the_spec_shows(bg_admin, system, day_menu):
    body = special(
        system,
        (day_menu, "2020-01-22", "2020-01-22", None),
        (day_menu, "2020-01-30", "2020-01-30", None),
        (day_menu, "2020-01-23", "2020-01-23", None),
    )
    r = post(bg_admin, body)
    assert r.status_code == 200
    assert r.json()["data"] == {
        "autoAttendantSid": system.sid,
        "scheduleType": "DATE_RANGE",
        "schedule": [
            {
                "menuSid": day_menu.sid,
                "scheduleType": "DATE_RANGE",
                "entries": [],
                "startDate": day,
                "endDate": day,
            }
            for day in ("2020-01-22", "2020-01-30", "2020-01-23")  # as sent
        ],
    }


def test_get_schedule_as_the_spec_shows(aa_admin, system, day_menu):
    make_weekly_block(day_menu, [(1, "00:00", "04:00"), (3, "00:00", "04:00")])
    r = aa_admin.client.get(f"/autoattendant/schedule/search?autoAttendantSid={system.sid}")
    assert r.status_code == 200
    assert r.json() == {
        "data": {
            "autoAttendantSid": system.sid,
            "schedule": [
                {
                    "menuSid": day_menu.sid,
                    "scheduleType": "WEEKLY",
                    "entries": [
                        {"day": 1, "startTime": "00:00", "endTime": "04:00"},
                        {"day": 3, "startTime": "00:00", "endTime": "04:00"},
                    ],
                }
            ],
        },
        "code": 200,
        "message": "OK",
    }


def test_get_lists_both_types_weekly_first(bg_admin, system, day_menu, night_menu):
    make_date_range_block(
        night_menu, dt.date(2020, 12, 24), dt.date(2020, 12, 26), [("18:00", "24:00")]
    )
    make_weekly_block(day_menu, [(5, "09:00", "17:00")])
    r = bg_admin.client.get(f"/autoattendant/schedule/search/?autoAttendantSid={system.sid}")
    assert r.json()["data"]["schedule"] == [
        {
            "menuSid": day_menu.sid,
            "scheduleType": "WEEKLY",
            "entries": [{"day": 5, "startTime": "09:00", "endTime": "17:00"}],
        },
        {
            "menuSid": night_menu.sid,
            "scheduleType": "DATE_RANGE",
            "entries": [{"startTime": "18:00", "endTime": "24:00"}],
            "startDate": "2020-12-24",
            "endDate": "2020-12-26",
        },
    ]


def test_get_of_a_system_without_schedule_is_empty(bg_admin, system):
    r = bg_admin.client.get(f"/autoattendant/schedule/search?autoAttendantSid={system.sid}")
    assert r.json()["data"] == {"autoAttendantSid": system.sid, "schedule": []}


# --- replace by type ---------------------------------------------------------------------------


def test_a_post_replaces_only_its_own_type(bg_admin, system, day_menu, night_menu):
    make_date_range_block(night_menu, dt.date(2020, 1, 1), dt.date(2020, 1, 1))
    post(bg_admin, weekly(system, (day_menu, [(1, "09:00", "17:00")])))
    r = post(bg_admin, weekly(system, (night_menu, [(2, "17:00", "09:00")])))
    assert r.json()["data"]["schedule"] == [
        {
            "menuSid": night_menu.sid,
            "scheduleType": "WEEKLY",
            "entries": [{"day": 2, "startTime": "17:00", "endTime": "09:00"}],
        }
    ]
    assert stored(system) == [
        (night_menu.sid, "DATE_RANGE", []),
        (night_menu.sid, "WEEKLY", [(2, "17:00", "09:00")]),
    ]
    # An empty list clears that type, and only that one.
    r = post(bg_admin, {"autoAttendantSid": system.sid, "scheduleType": "WEEKLY", "schedule": []})
    assert r.json()["data"]["schedule"] == []
    assert stored(system) == [(night_menu.sid, "DATE_RANGE", [])]
    assert ScheduleEntry.objects.count() == 0


def test_item_schedule_type_may_be_omitted_and_numbers_may_be_strings(bg_admin, system, day_menu):
    body = {
        "autoAttendantSid": system.sid,
        "scheduleType": "WEEKLY",
        "schedule": [
            {
                "menuSid": day_menu.sid,
                "entries": [{"day": "7", "startTime": "08:00", "endTime": "24:00"}],
            }
        ],
    }
    r = post(bg_admin, body)
    assert r.status_code == 200
    assert r.json()["data"]["schedule"][0]["scheduleType"] == "WEEKLY"
    assert r.json()["data"]["schedule"][0]["entries"][0]["day"] == 7


def test_date_range_blocks_may_carry_entries_without_day(bg_admin, system, day_menu, night_menu):
    body = special(
        system,
        (day_menu, "2020-12-24", "2020-12-24", [("08:00", "12:00")]),
        (night_menu, "2020-12-24", "2020-12-26", [("12:00", "08:00")]),
    )
    # 12:00-08:00 runs overnight, but spills only into days the block covers (25th, 26th).
    r = post(bg_admin, body)
    assert r.status_code == 200, r.json()
    assert r.json()["data"]["schedule"][0]["entries"] == [
        {"startTime": "08:00", "endTime": "12:00"}
    ]


def test_overnight_and_end_of_day_entries_are_allowed(bg_admin, system, day_menu, night_menu):
    body = weekly(
        system,
        (day_menu, [(1, "08:00", "18:00"), (2, "08:00", "18:00")]),
        (night_menu, [(1, "18:00", "08:00"), (7, "20:00", "24:00")]),
    )
    r = post(bg_admin, body)
    assert r.status_code == 200
    assert [len(b["entries"]) for b in r.json()["data"]["schedule"]] == [2, 2]


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "bad_field"),
    [
        ({"day": 0, "startTime": "09:00", "endTime": "10:00"}, "day"),
        ({"day": 8, "startTime": "09:00", "endTime": "10:00"}, "day"),
        ({"startTime": "09:00", "endTime": "10:00"}, "day"),
        ({"day": "Monday", "startTime": "09:00", "endTime": "10:00"}, "day"),
        ({"day": 1, "startTime": "24:00", "endTime": "10:00"}, "startTime"),
        ({"day": 1, "startTime": "9:00", "endTime": "10:00"}, "startTime"),
        ({"day": 1, "startTime": "09:60", "endTime": "10:00"}, "startTime"),
        ({"day": 1, "startTime": "09:00", "endTime": "24:01"}, "endTime"),
        ({"day": 1, "startTime": "09:00", "endTime": "25:00"}, "endTime"),
        ({"day": 1, "startTime": "09:00"}, "endTime"),
    ],
)
def test_it_rejects_malformed_weekly_entries_with_400(bg_admin, system, day_menu, entry, bad_field):
    body = {
        "autoAttendantSid": system.sid,
        "scheduleType": "WEEKLY",
        "schedule": [{"menuSid": day_menu.sid, "entries": [entry]}],
    }
    r = post(bg_admin, body)
    assert r.status_code == 400, r.json()
    assert r.json()["errorCode"] == "600"
    assert bad_field in str(r.json()["data"])
    assert not ScheduleBlock.objects.exists()


@pytest.mark.parametrize(
    ("item", "bad_field"),
    [
        ({"endDate": "2020-01-22"}, "schedule[0].startDate"),
        ({"startDate": "2020-01-22"}, "schedule[0].endDate"),
        ({"startDate": "2020-01-23", "endDate": "2020-01-22"}, "schedule[0].endDate"),
        ({"startDate": "22/01/2020", "endDate": "2020-01-22"}, "startDate"),
        ({"startDate": "2020-01-22", "endDate": "2020-01-22", "scheduleType": "WEEKLY"},
         "schedule[0].scheduleType"),
        ({"startDate": "2020-01-22", "endDate": "2020-01-22",
          "entries": [{"day": 1, "startTime": "09:00", "endTime": "10:00"}]},
         "schedule[0].entries[0].day"),
    ],
)  # fmt: skip
def test_it_rejects_malformed_date_range_blocks_with_400(
    bg_admin, system, day_menu, item, bad_field
):
    body = {
        "autoAttendantSid": system.sid,
        "scheduleType": "DATE_RANGE",
        "schedule": [{"menuSid": day_menu.sid, **item}],
    }
    r = post(bg_admin, body)
    assert r.status_code == 400, r.json()
    assert bad_field in str(r.json()["data"])


@pytest.mark.parametrize(
    ("body", "bad_field"),
    [
        ({"scheduleType": "WEEKLY", "schedule": []}, "autoAttendantSid"),
        ({"autoAttendantSid": "SYSTEM", "scheduleType": "MONTHLY", "schedule": []}, "scheduleType"),
        ({"autoAttendantSid": "SYSTEM", "schedule": []}, "scheduleType"),
        ({"autoAttendantSid": "SYSTEM", "scheduleType": "WEEKLY"}, "schedule"),
        ({"autoAttendantSid": "SYSTEM", "scheduleType": "WEEKLY", "schedule": [{"entries": []}]},
         "menuSid"),
        ({"autoAttendantSid": "SYSTEM", "scheduleType": "WEEKLY",
          "schedule": [{"menuSid": "x", "startDate": "2020-01-01"}]}, "schedule[0].startDate"),
    ],
)  # fmt: skip
def test_it_rejects_malformed_bodies_with_400(bg_admin, system, body, bad_field):
    if body.get("autoAttendantSid") == "SYSTEM":
        body = {**body, "autoAttendantSid": system.sid}
    r = post(bg_admin, body)
    assert r.status_code == 400, r.json()
    assert bad_field in str(r.json()["data"])


# --- references and tenancy --------------------------------------------------------------------


def test_unknown_and_foreign_systems_answer_490(bg_admin, enterprise_b, day_menu):
    foreign = make_system(enterprise_b, "Bolt")
    for sid in ("AA" + "0" * 32, foreign.sid):
        body = {"autoAttendantSid": sid, "scheduleType": "WEEKLY", "schedule": []}
        r = post(bg_admin, body)
        assert r.status_code == 409
        assert r.json()["errorCode"] == "490"
        assert r.json()["message"] == "AutoAttendant System not found"
        assert r.json()["data"]["sid"] == sid
        r = bg_admin.client.get(f"/autoattendant/schedule/search?autoAttendantSid={sid}")
        assert r.status_code == 409
        assert r.json() == {
            "errorCode": "490",
            "message": "AutoAttendant System not found",
            "data": {"sid": sid},
        }


def test_get_needs_the_system_sid(bg_admin):
    r = bg_admin.client.get("/autoattendant/schedule/search")
    assert r.status_code == 400
    assert r.json()["errorCode"] == "600" and "autoAttendantSid" in r.json()["data"]


def test_menus_of_another_system_or_enterprise_are_502(
    bg_admin, system, enterprise_a, enterprise_b
):
    sibling = make_menu(make_system(enterprise_a, "Support"), "Support menu")
    foreign = make_menu(make_system(enterprise_b, "Bolt"), "Bolt menu")
    for menu in (sibling, foreign):
        r = post(bg_admin, weekly(system, (menu, [(1, "09:00", "10:00")])))
        assert r.status_code == 409
        doc = r.json()
        assert doc["errorCode"] == "502" and doc["message"] == "Menu not found"
        assert doc["data"]["sid"] == menu.sid and doc["data"]["field"] == "schedule[0].menuSid"
        r = post(bg_admin, special(system, (menu, "2020-01-01", "2020-01-01", None)))
        assert r.json()["errorCode"] == "502"
    assert not ScheduleBlock.objects.exists()


def test_another_enterprise_can_neither_read_nor_write(bg_admin_b, system, day_menu):
    make_weekly_block(day_menu, [(1, "09:00", "17:00")])
    r = bg_admin_b.client.get(f"/autoattendant/schedule/search?autoAttendantSid={system.sid}")
    assert r.status_code == 409 and r.json()["errorCode"] == "490"
    r = post(bg_admin_b, weekly(system, (day_menu, [(2, "09:00", "17:00")])))
    assert r.status_code == 409 and r.json()["errorCode"] == "490"
    assert stored(system) == [(day_menu.sid, "WEEKLY", [(1, "09:00", "17:00")])]


def test_operator_reads_and_writes_any_schedule(operator, system, day_menu):
    assert post(operator, weekly(system, (day_menu, [(1, "09:00", "17:00")]))).status_code == 200
    r = operator.client.get(f"/autoattendant/schedule/search?autoAttendantSid={system.sid}")
    assert len(r.json()["data"]["schedule"]) == 1


def test_aa_admin_may_write_schedules(aa_admin, system, day_menu):
    r = post(aa_admin, weekly(system, (day_menu, [(1, "09:00", "17:00")])))
    assert r.status_code == 200
    r = post(aa_admin, special(system, (day_menu, "2020-01-01", "2020-01-02", None)))
    assert r.status_code == 200
    assert len(stored(system)) == 2


# --- overlaps ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day_entries", "night_entries"),
    [
        ([(1, "09:00", "17:00")], [(1, "16:00", "20:00")]),
        ([(1, "09:00", "17:00")], [(1, "10:00", "11:00")]),
        ([(2, "01:00", "03:00")], [(1, "22:00", "02:00")]),  # Monday night runs into Tuesday
        ([(1, "00:00", "01:00")], [(7, "23:00", "00:30")]),  # Sunday night into Monday
        ([(3, "12:00", "13:00")], [(3, "00:00", "00:00")]),  # 00:00-00:00 is the whole day
    ],
)
def test_entries_of_different_menus_may_not_overlap_615(
    bg_admin, system, day_menu, night_menu, day_entries, night_entries
):
    make_weekly_block(day_menu, [(4, "09:00", "10:00")])
    r = post(bg_admin, weekly(system, (day_menu, day_entries), (night_menu, night_entries)))
    assert r.status_code == 409
    doc = r.json()
    assert doc["errorCode"] == "615" and doc["message"] == "Schedule entries overlap"
    overlapping = doc["data"]["overlapping"]
    assert {o["menuSid"] for o in overlapping} == {day_menu.sid, night_menu.sid}
    by_menu = {o["menuSid"]: o for o in overlapping}
    day, start, end = day_entries[0]
    assert by_menu[day_menu.sid] == {
        "at": "schedule[0].entries[0]",
        "menuSid": day_menu.sid,
        "day": day,
        "startTime": start,
        "endTime": end,
    }
    assert by_menu[night_menu.sid]["at"] == "schedule[1].entries[0]"
    # Atomic: the previous schedule is still there.
    assert stored(system) == [(day_menu.sid, "WEEKLY", [(4, "09:00", "10:00")])]


@pytest.mark.parametrize(
    ("day_entries", "night_entries"),
    [
        ([(1, "09:00", "17:00")], [(1, "17:00", "09:00")]),  # touching ends do not overlap
        ([(2, "09:00", "17:00")], [(1, "17:00", "09:00")]),  # runs into Tuesday until 09:00
        ([(1, "09:00", "17:00")], [(7, "17:00", "09:00")]),  # Sunday night ends Monday 09:00
        ([(1, "00:00", "24:00")], [(2, "00:00", "24:00")]),
    ],
)
def test_adjacent_entries_do_not_overlap(
    bg_admin, system, day_menu, night_menu, day_entries, night_entries
):
    r = post(bg_admin, weekly(system, (day_menu, day_entries), (night_menu, night_entries)))
    assert r.status_code == 200, r.json()


def test_overlapping_entries_of_one_menu_are_allowed(bg_admin, system, day_menu):
    body = weekly(
        system,
        (day_menu, [(1, "09:00", "17:00"), (1, "12:00", "18:00")]),
        (day_menu, [(1, "16:00", "20:00")]),
    )
    assert post(bg_admin, body).status_code == 200


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("2020-12-24", "2020-12-26", None), ("2020-12-26", "2020-12-31", None)),
        (("2020-12-24", "2020-12-24", None), ("2020-12-24", "2020-12-24", [("18:00", "20:00")])),
        (("2020-12-24", "2020-12-24", [("09:00", "12:00")]),
         ("2020-12-20", "2020-12-31", [("11:00", "13:00")])),
        (("2020-12-24", "2020-12-26", [("20:00", "08:00")]),
         ("2020-12-25", "2020-12-25", [("07:00", "09:00")])),  # the 24th's night spills into the 25th
    ],
)  # fmt: skip
def test_date_range_blocks_overlapping_in_dates_and_times_are_616(
    bg_admin, system, day_menu, night_menu, first, second
):
    make_date_range_block(day_menu, dt.date(2019, 1, 1), dt.date(2019, 1, 1))
    r = post(bg_admin, special(system, (day_menu, *first), (night_menu, *second)))
    assert r.status_code == 409
    doc = r.json()
    assert doc["errorCode"] == "616" and doc["message"] == "Special days overlap"
    ats = sorted(o["at"].split(".")[0] for o in doc["data"]["overlapping"])
    assert ats == ["schedule[0]", "schedule[1]"]
    assert doc["data"]["overlapping"][0]["startDate"]
    assert stored(system) == [(day_menu.sid, "DATE_RANGE", [])]


def test_two_blocks_of_one_menu_on_the_same_day_are_616_too(bg_admin, system, day_menu):
    body = special(
        system,
        (day_menu, "2020-12-24", "2020-12-24", None),
        (day_menu, "2020-12-24", "2020-12-25", None),
    )
    assert post(bg_admin, body).json()["errorCode"] == "616"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("2020-12-24", "2020-12-24", None), ("2020-12-25", "2020-12-25", None)),
        (("2020-12-24", "2020-12-26", [("09:00", "12:00")]),
         ("2020-12-25", "2020-12-25", [("12:00", "13:00")])),
        # A block's overnight entry does not spill past its last date.
        (("2020-12-24", "2020-12-24", [("20:00", "08:00")]),
         ("2020-12-25", "2020-12-25", [("07:00", "09:00")])),
    ],
)  # fmt: skip
def test_date_range_blocks_apart_in_dates_or_times_are_fine(
    bg_admin, system, day_menu, night_menu, first, second
):
    r = post(bg_admin, special(system, (day_menu, *first), (night_menu, *second)))
    assert r.status_code == 200, r.json()


# --- atomicity, flow version, query counts, routes ---------------------------------------------


def test_a_post_with_one_bad_block_leaves_the_previous_schedule(bg_admin, system, day_menu):
    make_weekly_block(day_menu, [(1, "09:00", "17:00")])
    before = version(system)
    body = weekly(system, (day_menu, [(2, "09:00", "17:00")]))
    body["schedule"].append({"menuSid": "MN" + "0" * 32, "entries": []})
    r = post(bg_admin, body)
    assert r.status_code == 409 and r.json()["errorCode"] == "502"
    assert stored(system) == [(day_menu.sid, "WEEKLY", [(1, "09:00", "17:00")])]
    assert version(system) == before


def test_every_write_bumps_the_flow_version(bg_admin, system, day_menu, enterprise_a):
    other = make_system(enterprise_a, "Support")
    start, other_start = version(system), version(other)
    post(bg_admin, weekly(system, (day_menu, [(1, "09:00", "17:00")])))
    after_weekly = version(system)
    assert after_weekly > start
    post(bg_admin, special(system, (day_menu, "2020-01-01", "2020-01-01", None)))
    assert version(system) > after_weekly
    assert version(other) == other_start


def test_get_query_count_does_not_grow_with_entries(bg_admin, system, day_menu, night_menu):
    url = f"/autoattendant/schedule/search?autoAttendantSid={system.sid}"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            r = bg_admin.client.get(url)
        assert r.status_code == 200
        return len(ctx.captured_queries), len(r.json()["data"]["schedule"])

    make_weekly_block(day_menu, [(1, "09:00", "17:00")])
    one, blocks = count()
    make_weekly_block(night_menu, [(d, "17:00", "09:00") for d in range(1, 8)], position=1)
    for i in range(10):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=i)
        make_date_range_block(night_menu, day, day, [("00:00", "06:00"), ("18:00", "24:00")])
    many, blocks_after = count()
    # auth (the user, its enterprise joined) · the system · blocks with their menus · entries
    assert one == many == 4
    assert (blocks, blocks_after) == (1, 12)


def test_post_query_count_does_not_grow_with_the_schedule(bg_admin, system, day_menu, night_menu):
    def count(body):
        with CaptureQueriesContext(connection) as ctx:
            r = post(bg_admin, body)
        assert r.status_code == 200, r.json()
        return len(ctx.captured_queries)

    small = weekly(system, (day_menu, [(1, "09:00", "17:00")]))
    big = weekly(
        system,
        (day_menu, [(d, "09:00", "17:00") for d in range(1, 8)]),
        (night_menu, [(d, "17:00", "09:00") for d in range(1, 8)]),
    )
    empty = {"autoAttendantSid": system.sid, "scheduleType": "WEEKLY", "schedule": []}
    # Both writes replace an empty schedule, so only the size of what is posted differs:
    # auth · system · savepoint · flow_version bump · menus · old blocks · insert blocks ·
    # insert entries · release · response (blocks with their menus · entries); the audit trail
    # (old entries and blocks read · one insert per kind of row written)
    # and the flow version (its flow document: settings, directory, menus,
    # schedule · latest version · flow tests · insert) add a constant 10.
    count(empty)  # the audit trail reads each model's content type once per process
    one = count(small)
    count(empty)
    assert count(big) == one == 21


def test_routes_with_or_without_slash_and_405_for_other_methods(bg_admin, anon, system, day_menu):
    body = weekly(system, (day_menu, [(1, "09:00", "17:00")]))
    assert bg_admin.client.post("/autoattendant/schedule/", body, format="json").status_code == 200
    for method, url in [
        ("get", "/autoattendant/schedule"),
        ("put", "/autoattendant/schedule"),
        ("delete", "/autoattendant/schedule/"),
        ("post", "/autoattendant/schedule/search"),
        ("delete", "/autoattendant/schedule/search/"),
    ]:
        r = getattr(bg_admin.client, method)(url, body, format="json")
        assert r.status_code == 405, (method, url)
        assert r.json()["errorCode"] == "605"
    r = bg_admin.client.get(f"/autoattendant/schedule/search/{system.sid}")
    assert r.status_code == 404 and r.json()["errorCode"] == "604"
    assert anon.post("/autoattendant/schedule", body, format="json").status_code == 401
    r = anon.get(f"/autoattendant/schedule/search?autoAttendantSid={system.sid}")
    assert r.status_code == 401


def test_a_scheduled_menu_cannot_be_deleted(bg_admin, system, day_menu):
    post(bg_admin, weekly(system, (day_menu, [(1, "09:00", "17:00")])))
    r = bg_admin.client.delete(f"/autoattendant/menu/{day_menu.sid}")
    assert r.status_code == 409 and r.json()["errorCode"] == "506"


def test_schedule_appears_in_the_openapi_schema(anon):
    r = anon.get("/autoattendant/schema/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    text = r.content.decode()
    for path in (
        "/autoattendant/schedule",
        "/autoattendant/schedule/search",
        "/autoattendant/menu",
    ):
        assert path in text
