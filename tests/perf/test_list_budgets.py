"""Query budgets for the busiest API lists: a constant number of queries per page, whatever the
page size (10 or 1000) and whatever the number of rows, keys, numbers or extensions on it.

Timings are not asserted here (they depend on the machine; ``bench/load.py`` measures them);
query counts are what regress silently when a serializer starts reading a relation per row.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import ActionType as A
from autoattendant.choices import Role
from autoattendant.models import (
    Enterprise,
    HolidayCalendar,
    HolidayEntry,
    PhoneNumber,
    SystemHolidayCalendar,
    User,
)
from tests.builders import make_announcement, make_menu, make_system, make_weekly_block

pytestmark = pytest.mark.django_db

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0")

# resource → (queries as BG_ADMIN, queries as the operator), each page the same.
# Every list: 1 authentication (the user with its enterprise), 2 the total count, 3 the page's
# rows with their joined relations; then one query per prefetched relation on the page.
BUDGETS = {
    # + 4 every row's keys
    "menu": (4, 4),
    # + nothing: enterprise, system and creator are joined
    "phonenumber": (3, 3),
    # + 4 the page's live main numbers, 5 their live extensions (default and override menus
    # joined), 6 their holiday calendar links (calendar and menu joined)
    "system": (6, 6),
    "announcement": (3, 3),
    "user": (3, 3),
    # + 4 every row's entries
    "calendar": (4, 4),
}


def grow(enterprise, creator: User, tag: str, *, systems: int, menus: int, numbers: int):
    """Rows enough to fill pages: systems with menus of all 11 keys, a weekly schedule, a
    holiday calendar each, announcements, main numbers, extensions in every system's directory,
    users."""
    prompt = make_announcement(enterprise, f"Prompt {tag}", created_by=creator)
    for s in range(systems):
        system = make_system(enterprise, f"System {tag}{s}", created_by=creator)
        previous = None
        for m in range(menus):
            keys = {key: A.HANGUP for key in KEYS}
            keys["2"] = (A.ANNOUNCEMENT_RETURN, prompt.sid)
            if previous is not None:
                keys["1"] = (A.GO_TO_MENU, previous.sid)
            previous = make_menu(
                system, f"Menu {tag}{s}-{m}", keys=keys, created_by=creator, announcement=prompt
            )
        make_weekly_block(previous, [(day, "09:00", "17:00") for day in range(1, 8)])
        calendar = HolidayCalendar.objects.create(
            enterprise=enterprise, name=f"Holidays {tag}{s}", country="US", created_by=creator
        )
        HolidayEntry.objects.bulk_create(
            HolidayEntry(calendar=calendar, name=f"Day {d}", month=1, day=d) for d in (2, 3)
        )
        SystemHolidayCalendar.objects.create(
            auto_attendant=system, calendar=calendar, menu=previous
        )
        for n in range(numbers):
            PhoneNumber.objects.create(
                enterprise=enterprise,
                number=f"1555{tag}{s}{n:04d}",
                auto_attendant=system,
                created_by=creator,
            )
            extension = PhoneNumber.objects.create(
                enterprise=enterprise,
                number=f"1666{tag}{s}{n:04d}",
                is_extension=True,
                extension=f"{tag}{s}{n:03d}",
                extension_spoken_name=f"Person {n}",
                created_by=creator,
            )
            system.extensions.add(extension)
    for n in range(numbers):
        make_announcement(enterprise, f"Notice {tag}{n}", created_by=creator)
        User.objects.create_user(
            email=f"user{tag}{n}@example.com",
            enterprise=enterprise,
            role=Role.AA_ADMIN,
            created_by=creator,
        )


def queries(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    return len(ctx.captured_queries), len(data.get("result", data.get("usageRecords", [])))


@pytest.mark.parametrize("resource", sorted(BUDGETS))
def test_a_page_costs_the_same_queries_whatever_its_size(
    resource, bg_admin, operator, enterprise_a, enterprise_b
):
    grow(enterprise_a, bg_admin.user, "1", systems=1, menus=2, numbers=1)
    small = {
        who.user.email: queries(who.client, f"/autoattendant/{resource}/search?pageSize=10")
        for who in (bg_admin, operator)
    }
    grow(enterprise_a, bg_admin.user, "2", systems=11, menus=3, numbers=12)
    grow(enterprise_b, None, "3", systems=2, menus=3, numbers=4)
    as_bg, as_operator = BUDGETS[resource]
    for who, budget in ((bg_admin, as_bg), (operator, as_operator)):
        ten, ten_rows = queries(who.client, f"/autoattendant/{resource}/search?pageSize=10")
        full, full_rows = queries(who.client, f"/autoattendant/{resource}/search?pageSize=1000")
        assert full_rows > ten_rows == 10, (who.user.email, full_rows)
        assert small[who.user.email][0] == ten == full == budget, (
            who.user.email,
            small[who.user.email],
            ten,
            full,
        )


def test_enterprise_list_costs_three_queries_whatever_its_size(operator, enterprise_a):
    """The operator's enterprise list: authentication, the total, the page's rows."""
    small = queries(operator.client, "/autoattendant/enterprise/search?pageSize=10")
    for n in range(30):
        Enterprise.objects.create(name=f"Customer {n}")
    ten = queries(operator.client, "/autoattendant/enterprise/search?pageSize=10")
    full = queries(operator.client, "/autoattendant/enterprise/search?pageSize=1000")
    assert full[1] > ten[1] == 10
    assert small[0] == ten[0] == full[0] == 3


USAGE_PATHS = (
    "/autoattendant/phonenumber/usage/records?startDate=2024-01-01&endDate=2024-12-31",
    "/autoattendant/phonenumber/usage/records/daily?startDate=2024-01-01&endDate=2024-03-31",
    "/autoattendant/phonenumber/usage/records/monthly?startDate=2023-01-01&endDate=2024-12-31",
    "/autoattendant/phonenumber/usage/records/yearly?startDate=2020-01-01&endDate=2024-12-31",
)


@pytest.mark.parametrize("path", USAGE_PATHS)
def test_usage_pages_cost_the_same_queries_whatever_their_size(
    path, bg_admin, operator, enterprise_a, enterprise_b
):
    """Usage records are computed per page: a page of 10 or of 1,000 records, for 2 or 32
    enterprises, costs at most 6 queries (authentication, the enterprises, the counts of the
    page's periods: the monthly roll-up and the live part)."""
    grow(enterprise_a, bg_admin.user, "1", systems=1, menus=1, numbers=2)
    before = {
        who.user.email: queries(who.client, f"{path}&pageSize=10")[0]
        for who in (bg_admin, operator)
    }
    for n in range(30):
        Enterprise.objects.create(name=f"Customer {n}")
    grow(enterprise_b, None, "3", systems=2, menus=1, numbers=4)
    for who in (bg_admin, operator):
        ten, ten_rows = queries(who.client, f"{path}&pageSize=10")
        full, full_rows = queries(who.client, f"{path}&pageSize=1000")
        assert full_rows >= ten_rows
        assert before[who.user.email] == ten, (who.user.email, before, ten)
        assert ten <= full <= 6, (who.user.email, ten, full)
