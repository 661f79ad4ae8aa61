"""The operator's admin: every page renders for a superuser in a constant number of queries, the
everyday actions work, and enterprise users stay out."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from autoattendant.choices import ActionType, EnterpriseStatus, Role, SystemStatus, UserStatus
from autoattendant.models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    Menu,
    MenuKey,
    MonthlyUsage,
    PhoneNumber,
    ScheduleBlock,
    ScheduleEntry,
    User,
)
from tests.builders import (
    make_announcement,
    make_date_range_block,
    make_menu,
    make_system,
    make_weekly_block,
)
from tests.conftest import PASSWORD

ENTRY = "/autoattendant/internal/rcml"

MODELS = [
    Enterprise,
    User,
    PhoneNumber,
    Announcement,
    AutoAttendantSystem,
    Menu,
    MenuKey,
    ScheduleBlock,
    ScheduleEntry,
    MonthlyUsage,
]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:autoattendant_{model._meta.model_name}_{view}", args=args)


def populate(tag: str, *, size: int = 1) -> dict:
    """One enterprise with a bit of everything; ``size`` scales the rows hanging off each
    record (menu keys, schedule entries, numbers, menus)."""
    enterprise = Enterprise.objects.create(name=f"Enterprise {tag}")
    creator = User.objects.create_user(
        email=f"admin-{tag}@example.com", enterprise=enterprise, role=Role.BG_ADMIN, name=tag
    )
    system = make_system(enterprise, f"Line {tag}", created_by=creator)
    announcement = make_announcement(enterprise, f"Hello {tag}", created_by=creator)
    numbers = [
        PhoneNumber.objects.create(
            enterprise=enterprise, number=f"1555{tag_digits(tag)}{i:03d}", auto_attendant=system
        )
        for i in range(size)
    ]
    extension = PhoneNumber.objects.create(
        enterprise=enterprise,
        number=f"1666{tag_digits(tag)}000",
        is_extension=True,
        extension="101",
        extension_spoken_name="Dr. Lee",
    )
    system.extensions.add(extension)
    keys = dict(list({str(k): ActionType.HANGUP for k in range(10)}.items())[: max(1, size)])
    menus = [
        make_menu(system, f"Menu {tag} {i}", keys=keys, announcement=announcement)
        for i in range(size)
    ]
    system.default_menu = menus[0]
    system.save()
    weekly = make_weekly_block(menus[0], [(d, "08:00", "18:00") for d in range(1, size + 1)])
    make_date_range_block(menus[0], dt.date(2026, 12, 25), dt.date(2026, 12, 25))
    MonthlyUsage.objects.create(
        enterprise=enterprise, month=dt.date(2026, 1, 1), count=3, computed_at=timezone.now()
    )
    return {
        Enterprise: enterprise,
        User: creator,
        PhoneNumber: numbers[0],
        Announcement: announcement,
        AutoAttendantSystem: system,
        Menu: menus[0],
        MenuKey: menus[0].keys.first(),
        ScheduleBlock: weekly,
        ScheduleEntry: weekly.entries.first(),
        MonthlyUsage: MonthlyUsage.objects.get(enterprise=enterprise),
    }


def tag_digits(tag: str) -> str:
    return f"{sum(map(ord, tag)) % 1000:03d}"


@pytest.fixture
def staff(operator) -> Client:
    client = Client()
    client.force_login(operator.user)
    return client


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, permissions) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_costs_the_same_with_more_rows(staff, model):
    populate("a")
    url = admin_url(model, "changelist")
    # Session, user, the page's count(s) and rows, and each filter's choices — never per row.
    baseline = count_queries(staff, url)
    populate("b", size=4)
    populate("c", size=3)
    assert count_queries(staff, url) == baseline


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_change_form_costs_the_same_whatever_hangs_off_the_record(staff, model):
    small = populate("a")[model]
    big = populate("b", size=6)[model]
    # Session, user, the record, its inlines' rows (one query per inline) and the labels of
    # the selected related records — never per inline row.
    assert count_queries(staff, admin_url(model, "change", small.pk)) == count_queries(
        staff, admin_url(model, "change", big.pk)
    )


@pytest.mark.parametrize(
    ("model", "term"),
    [
        (Enterprise, lambda r: r[Enterprise].sid),
        (User, lambda r: r[User].email),
        (User, lambda r: r[User].sid),
        (PhoneNumber, lambda r: r[PhoneNumber].number),
        (Announcement, lambda r: r[Announcement].name),
        (AutoAttendantSystem, lambda r: r[AutoAttendantSystem].sid),
        (AutoAttendantSystem, lambda r: r[PhoneNumber].number),
        (Menu, lambda r: r[Menu].sid),
        (MenuKey, lambda r: r[Menu].sid),
        (ScheduleBlock, lambda r: r[AutoAttendantSystem].sid),
        (ScheduleEntry, lambda r: r[AutoAttendantSystem].name),
        (MonthlyUsage, lambda r: r[Enterprise].sid),
    ],
)
def test_search_finds_by_sid_name_email_or_number_in_constant_queries(staff, model, term):
    records = populate("a")
    url = f"{admin_url(model, 'changelist')}?q={term(records)}"
    baseline = count_queries(staff, url)
    found = staff.get(url).context["cl"].result_list
    assert records[model].pk in {row.pk for row in found}
    populate("b", size=4)
    assert records[model].pk in {row.pk for row in staff.get(url).context["cl"].result_list}
    assert count_queries(staff, url) == baseline


@pytest.mark.parametrize("model", [m for m in MODELS if m is not MonthlyUsage])
def test_every_add_form_renders(staff, model):
    populate("a")
    assert staff.get(admin_url(model, "add")).status_code == 200


def test_sids_and_timestamps_are_read_only(staff):
    records = populate("a")
    page = staff.get(admin_url(Menu, "change", records[Menu].pk)).content.decode()
    assert records[Menu].sid in page
    assert 'name="sid"' not in page
    assert 'name="date_created"' not in page


def test_change_pages_link_related_records(staff):
    records = populate("a")
    page = staff.get(admin_url(Menu, "changelist")).content.decode()
    assert admin_url(AutoAttendantSystem, "change", records[AutoAttendantSystem].pk) in page
    assert admin_url(Enterprise, "change", records[Enterprise].pk) in page


def test_menu_keys_and_schedule_entries_are_inlines(staff):
    records = populate("a", size=3)
    menu_page = staff.get(admin_url(Menu, "change", records[Menu].pk)).content.decode()
    assert 'name="keys-TOTAL_FORMS" value="3"' in menu_page
    block_page = staff.get(
        admin_url(ScheduleBlock, "change", records[ScheduleBlock].pk)
    ).content.decode()
    assert 'name="entries-TOTAL_FORMS" value="3"' in block_page


# --- actions -------------------------------------------------------------------------------------


def run_action(client: Client, model, action: str, objects) -> str:
    response = client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [o.pk for o in objects]},
        follow=True,
    )
    assert response.status_code == 200
    return " ".join(str(m) for m in response.context["messages"])


def test_it_suspends_and_reactivates_users(staff, bg_admin, aa_admin):
    message = run_action(staff, User, "suspend", [bg_admin.user, aa_admin.user])
    assert message == "2 user(s) suspended."
    bg_admin.user.refresh_from_db()
    assert bg_admin.user.status == UserStatus.SUSPENDED
    assert bg_admin.client.get("/autoattendant/user/search").status_code == 401

    assert run_action(staff, User, "reactivate", [bg_admin.user]) == "1 user(s) reactivated."
    bg_admin.user.refresh_from_db()
    assert bg_admin.user.status == UserStatus.ACTIVE


def test_it_suspends_and_reactivates_enterprises_and_their_calls_hear_it(staff):
    records = populate("a")
    enterprise, number = records[Enterprise], records[PhoneNumber]

    def call() -> str:
        response = Client().post(ENTRY, {"To": number.number, "CallSid": "CA1"})
        return response.content.decode()

    assert "<Gather" in call()
    assert run_action(staff, Enterprise, "suspend", [enterprise]) == ("1 enterprise(s) suspended.")
    enterprise.refresh_from_db()
    assert enterprise.status == EnterpriseStatus.SUSPENDED
    answer = call()
    assert "<Hangup/>" in answer and "<Gather" not in answer  # an apology, not the menu

    assert run_action(staff, Enterprise, "reactivate", [enterprise]) == (
        "1 enterprise(s) reactivated."
    )
    assert "<Gather" in call()


def test_it_suspends_and_reactivates_aa_systems_and_tells_the_call_flow(staff):
    system = populate("a")[AutoAttendantSystem]
    version = AutoAttendantSystem.objects.get(pk=system.pk).flow_version

    assert run_action(staff, AutoAttendantSystem, "suspend", [system]) == (
        "1 AA system(s) suspended."
    )
    system.refresh_from_db()
    assert system.status == SystemStatus.SUSPENDED
    assert system.flow_version > version

    run_action(staff, AutoAttendantSystem, "reactivate", [system])
    system.refresh_from_db()
    assert system.status == SystemStatus.ACTIVE


def test_it_rotates_an_auth_token_and_shows_it_once(staff, bg_admin):
    message = run_action(staff, User, "rotate_auth_token", [bg_admin.user])
    token = re.search(r"New auth token for boss@acme.example \(accountSid AC\w+\): (\w+)", message)
    assert token is not None
    bg_admin.user.refresh_from_db()
    assert bg_admin.user.check_auth_token(token.group(1))
    assert not bg_admin.user.check_auth_token(bg_admin.token)  # the old one is dead
    # Shown once: the next page has no token in it.
    page = staff.get(admin_url(User, "change", bg_admin.user.pk)).content.decode()
    assert token.group(1) not in page


def test_the_number_form_stores_digits_only(staff, enterprise_a):
    response = staff.post(
        admin_url(PhoneNumber, "add"),
        {
            "number": "+1 555-0100-777",
            "enterprise": enterprise_a.pk,
            "extension": "",
            "extension_spoken_name": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PhoneNumber.objects.get().number == "15550100777"


# --- who gets in ---------------------------------------------------------------------------------


def test_an_enterprise_user_cannot_enter_the_admin(bg_admin):
    client = Client()
    client.force_login(bg_admin.user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")

    response = Client().post(
        "/admin/login/?next=/admin/",
        {"username": bg_admin.user.email, "password": PASSWORD},
    )
    assert response.status_code == 200  # the form again, with its error
    assert "staff account" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(admin_url(Menu, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_the_operator_creates_an_enterprise_user_with_a_password(staff, operator, enterprise_a):
    response = staff.post(
        admin_url(User, "add"),
        {
            "email": "new@acme.example",
            "name": "New Person",
            "enterprise": enterprise_a.pk,
            "role": Role.AA_ADMIN,
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="new@acme.example")
    assert (user.enterprise, user.role, user.created_by) == (
        enterprise_a,
        Role.AA_ADMIN,
        operator.user,
    )
    assert user.check_password(PASSWORD)
    assert user.sid.startswith("RCS")
