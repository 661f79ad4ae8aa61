"""Numbers and extensions (extension fields for enterprise admins only), users (enterprise
admins only), the usage chart and the call-flow picture."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import ActionType, Role, UserStatus
from autoattendant.models import PhoneNumber, User
from tests.builders import make_menu
from tests.conftest import PASSWORD

from .helpers import errors_next_to, text

pytestmark = pytest.mark.django_db


# --- numbers ----------------------------------------------------------------------------------


def test_the_number_list_shows_kinds_systems_and_directories(aa, world, world_b):
    page = text(aa.get("/console/numbers/"))
    assert "15550001000" in page and "Front desk" in page
    assert "Alice Boss" in page and "directory of" in page
    assert world_b.number.number not in page
    page = text(aa.get("/console/numbers/?kind=extension"))
    assert "15550001101" in page and "15550001000" not in page


def test_an_aa_admin_assigns_a_number_but_sees_no_extension_fields(aa, world):
    response = aa.get(f"/console/numbers/{world.extension.sid}/")
    page = response.content.decode()
    assert 'name="extension"' not in page and 'name="is_extension"' not in page
    spare = PhoneNumber.objects.create(enterprise=world.system.enterprise, number="15550003000")
    response = aa.post(f"/console/numbers/{spare.sid}/", {"auto_attendant": world.system.sid})
    assert response.status_code == 302
    spare.refresh_from_db()
    assert spare.auto_attendant == world.system


@pytest.mark.parametrize(
    "sent",
    [
        {"extension": "999", "is_extension": "on"},
        {"extension_spoken_name": "Mallory"},
        {"is_extension": "on"},
    ],
)
def test_extension_fields_sent_by_an_aa_admin_are_refused_in_words(aa, world, sent):
    """A page opened before a change of role, or a hand-made post: refused with the reason,
    nothing saved — not dropped behind a "saved" message."""
    spare = PhoneNumber.objects.create(enterprise=world.system.enterprise, number="15550003000")
    response = aa.post(
        f"/console/numbers/{spare.sid}/", {"auto_attendant": world.system.sid, **sent}, follow=True
    )
    assert response.redirect_chain == []
    page = text(response)
    assert "Extensions are edited by an enterprise administrator" in page
    assert "nothing was saved" in page and f"Number {spare.number} saved" not in page
    assert 'name="extension"' not in response.content.decode()  # still not offered
    spare.refresh_from_db()
    assert (spare.auto_attendant, spare.is_extension, spare.extension) == (None, False, "")
    assert spare.extension_spoken_name == ""


def test_an_enterprise_admin_edits_an_extension(bg, world):
    data = {
        "auto_attendant": "",
        "is_extension": "on",
        "extension": "202",
        "extension_spoken_name": "Carol Desk",
    }
    assert bg.post(f"/console/numbers/{world.extension.sid}/", data).status_code == 302
    world.extension.refresh_from_db()
    assert (world.extension.extension, world.extension.extension_spoken_name) == (
        "202",
        "Carol Desk",
    )


def test_number_rules_are_shown_next_to_the_field(bg, world):
    other = PhoneNumber.objects.create(
        enterprise=world.system.enterprise, number="15550004000", is_extension=True, extension="303"
    )
    data = {
        "auto_attendant": "",
        "is_extension": "on",
        "extension": "101",
        "extension_spoken_name": "",
    }
    response = bg.post(f"/console/numbers/{other.sid}/", data)
    assert errors_next_to(response, "extension") == [
        "This extension code is already used in your enterprise."
    ]
    data = {"auto_attendant": world.system.sid, "is_extension": "on", "extension": "303"}
    response = bg.post(f"/console/numbers/{other.sid}/", data)
    assert errors_next_to(response, "auto_attendant") == [
        "An extension cannot be an auto attendant's main number."
    ]


def test_another_enterprises_number_is_not_found(bg, world_b):
    assert bg.get(f"/console/numbers/{world_b.number.sid}/").status_code == 404


def test_the_number_list_costs_the_same_queries_with_hundreds_of_numbers(bg, world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert bg.get("/console/numbers/").status_code == 200
        return len(queries)

    before = count()
    for i in range(300):
        n = PhoneNumber.objects.create(
            enterprise=world.system.enterprise,
            number=f"1555666{i:04d}",
            is_extension=True,
            extension=f"5{i:03d}",
        )
        world.system.extensions.add(n)
    # session, user, enterprise, count, numbers with systems, directories
    assert count() == before


# --- users ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/console/users/",
        "/console/users/new/",
        "/console/users/{sid}/",
        "/console/users/{sid}/delete/",
    ],
)
def test_an_aa_admin_cannot_reach_the_users_pages(aa, bg_admin, path):
    url = path.format(sid=bg_admin.user.sid)
    response = aa.get(url)
    assert response.status_code == 403
    assert "Not allowed" in text(response)
    assert aa.post(url, {"email": "x@acme.example", "role": "BG_ADMIN"}).status_code == 403


def test_an_aa_admin_sees_no_users_link(aa, bg):
    assert 'href="/console/users/"' not in aa.get("/console/").content.decode()
    assert 'href="/console/users/"' in bg.get("/console/").content.decode()


def test_an_enterprise_admin_creates_a_user_and_sees_the_token_once(bg, aa_admin):
    data = {
        "name": "Nina",
        "email": "nina@acme.example",
        "role": Role.AA_ADMIN,
        "status": UserStatus.ACTIVE,
        "password": "Another-Str0ng-Pass",
    }
    response = bg.post("/console/users/new/", data, follow=True)
    page = text(response)
    assert "User nina@acme.example created." in page
    assert "Their API auth token, shown only now:" in page
    nina = User.objects.get(email="nina@acme.example")
    assert nina.check_password("Another-Str0ng-Pass") and nina.role == Role.AA_ADMIN
    assert "menus@acme.example" in page  # the list


def test_user_errors_are_shown_next_to_the_field(bg, aa_admin, bg_admin_b):
    base = {"name": "", "role": Role.AA_ADMIN, "status": UserStatus.ACTIVE, "password": ""}
    response = bg.post("/console/users/new/", {**base, "email": "menus@acme.example"})
    assert errors_next_to(response, "email") == [
        "A user with this email address already exists in your enterprise."
    ]
    response = bg.post("/console/users/new/", {**base, "email": "boss@bolt.example"})
    assert errors_next_to(response, "email") == [
        "This email address already belongs to a user of another enterprise."
    ]
    response = bg.post(
        "/console/users/new/", {**base, "email": "x@acme.example", "password": "123"}
    )
    errors = errors_next_to(response, "password")
    assert errors[0] == "The password does not meet the password policy."
    assert "This password is too short. It must contain at least 8 characters." in errors
    response = bg.post("/console/users/new/", {**base, "email": "not an email"})
    assert errors_next_to(response, "email") == ["Enter a valid email address."]


def test_an_enterprise_admin_edits_and_deletes_a_user(bg, aa_admin):
    sid = aa_admin.user.sid
    data = {
        "name": "Max M.",
        "email": "menus@acme.example",
        "role": Role.BG_ADMIN,
        "status": UserStatus.ACTIVE,
        "password": "",
    }
    assert bg.post(f"/console/users/{sid}/", data).status_code == 302
    aa_admin.user.refresh_from_db()
    assert (aa_admin.user.name, aa_admin.user.role) == ("Max M.", Role.BG_ADMIN)
    assert aa_admin.user.check_password(PASSWORD)  # an empty password keeps the old one
    assert "They will no longer be able to log in" in text(bg.get(f"/console/users/{sid}/delete/"))
    assert bg.post(f"/console/users/{sid}/delete/").status_code == 302
    aa_admin.user.refresh_from_db()
    assert aa_admin.user.status == UserStatus.DELETED
    assert "User menus@acme.example deleted" in text(bg.get("/console/users/"))
    assert "menus@acme.example" not in text(bg.get("/console/users/"))
    assert bg.get(f"/console/users/{sid}/").status_code == 404


def test_another_enterprises_users_are_invisible(bg, bg_admin_b):
    assert "boss@bolt.example" not in text(bg.get("/console/users/"))
    assert bg.get(f"/console/users/{bg_admin_b.user.sid}/").status_code == 404
    assert bg.post(f"/console/users/{bg_admin_b.user.sid}/delete/").status_code == 404


def test_the_user_list_costs_the_same_queries_with_hundreds_of_users(bg, bg_admin):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert bg.get("/console/users/").status_code == 200
        return len(queries)

    before = count()
    User.objects.bulk_create(
        User(
            email=f"u{i}@acme.example",
            enterprise=bg_admin.user.enterprise,
            role=Role.AA_ADMIN,
            created_by=bg_admin.user,
        )
        for i in range(200)
    )
    assert count() == before


# --- usage and call flow ----------------------------------------------------------------------


def test_the_usage_chart_draws_twelve_months_with_this_months_count(aa, world, world_b):
    response = aa.get("/console/usage/")
    page = text(response)
    assert page.count("<rect ") == 12
    assert response.context["rows"][-1][1] == 2  # the main number and the extension
    assert "numbers</title>" in page


def test_the_call_flow_nests_menus_by_their_go_to_menu_keys(bg, world):
    loop = make_menu(world.system, "Loop", keys={"1": (ActionType.GO_TO_MENU, world.main.sid)})
    response = bg.get(f"/console/systems/{world.system.sid}/flow/")
    page = text(response)
    trees = response.context["trees"]
    assert [t["why"] for t in trees] == ["weekly schedule"]
    root = trees[0]["node"]
    assert root["menu"] == world.main
    assert [k["key"] for k in root["keys"]] == ["1", "0"]
    assert root["keys"][0]["child"]["menu"] == world.sales
    assert root["keys"][1]["text"] == "Transfer to a phone number: 15550001101"
    assert [n["menu"] for n in response.context["unreachable"]] == [loop]
    assert f'href="#flow-{world.main.sid}"' in page  # the loop links back rather than recursing
    assert "Menus no call reaches" in page


def test_the_call_flow_costs_the_same_queries_with_hundreds_of_menus(bg, world):
    url = f"/console/systems/{world.system.sid}/flow/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert bg.get(url).status_code == 200
        return len(queries)

    before = count()
    previous = world.sales
    for i in range(150):
        previous = make_menu(
            world.system, f"Level {i}", keys={"1": (ActionType.GO_TO_MENU, previous.sid)}
        )
    world.system.default_menu = previous  # a 150-menu chain the default menu reaches
    world.system.save()
    # session, user, enterprise, system, menus, keys, announcements, schedule blocks
    assert count() == before
    response = bg.get(url)
    assert response.context["unreachable"] == []  # deep menus continue in trees of their own
