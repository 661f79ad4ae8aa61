"""The menu editor: keypad grid, pickers that only offer valid choices, the API's rules and
refusals shown in place."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import MENU_KEYS, ActionType
from autoattendant.models import Menu
from tests.builders import make_announcement, make_menu, make_system

from .helpers import errors_next_to, text

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "name": "Support",
        "color_code": "#123456",
        "announcement": "",
        "ringback_tone": "",
        "timeout_seconds": "",
        "timeout_max": "",
        "timeout_type": "",
    }
    for key in MENU_KEYS:
        slug = "star" if key == "*" else key
        data.update(
            {
                f"key_{slug}_type": "",
                f"key_{slug}_announcement": "",
                f"key_{slug}_menu": "",
                f"key_{slug}_number": "",
            }
        )
    data.update(overrides)
    return data


def test_the_editor_shows_the_keypad_in_phone_order_with_the_current_actions(bg, world):
    response = bg.get(f"/console/menus/{world.main.sid}/")
    page = response.content.decode()
    order = [page.index(f'<span class="keycap" aria-hidden="true">{k}</span>') for k in MENU_KEYS]
    assert order == sorted(order)
    form = response.context["form"]
    assert form["key_1_type"].value() == ActionType.GO_TO_MENU
    assert form["key_1_menu"].value() == world.sales.sid
    assert form["key_0_number"].value() == "15550001101"
    assert form["announcement"].value() == world.welcome.sid


def test_pickers_offer_only_this_systems_menus_and_this_enterprises_announcements(
    bg, world, world_b
):
    other_system = make_system(world.system.enterprise, "Other line")
    other_menu = make_menu(other_system, "Elsewhere")
    form = bg.get(f"/console/menus/{world.main.sid}/").context["form"]
    menus = dict(form.fields["key_1_menu"].choices)
    assert world.sales.sid in menus
    assert world.main.sid not in menus  # a menu cannot go to itself
    assert other_menu.sid not in menus
    assert world_b.main.sid not in menus
    announcements = dict(form.fields["announcement"].choices)
    assert world.welcome.sid in announcements
    assert world_b.welcome.sid not in announcements
    page = text(bg.get(f"/console/menus/{world.main.sid}/"))
    assert '<option value="15550001101">' in page  # extensions offered for a transfer


def test_an_admin_builds_a_menu_with_keys(aa, world):
    data = form_data(
        name="Support",
        announcement=world.welcome.sid,
        timeout_seconds="7",
        key_1_type=ActionType.GO_TO_MENU,
        key_1_menu=world.main.sid,
        key_1_number="ignored for this type",
        key_2_type=ActionType.ANNOUNCEMENT_RETURN,
        key_2_announcement=world.welcome.sid,
        key_star_type=ActionType.RETURN_TO_PREVIOUS_MENU,
        key_0_type=ActionType.TRANSFER_TO_PHONE,
        key_0_number="+1 555 000 1101",
        timeout_type=ActionType.HANGUP,
    )
    response = aa.post(f"/console/systems/{world.system.sid}/menus/new/", data)
    assert response.status_code == 302
    menu = Menu.objects.get(name="Support")
    assert response["Location"] == f"/console/menus/{menu.sid}/"
    assert menu.auto_attendant == world.system
    assert menu.color_code == "#123456"
    assert menu.timeout_seconds == 7
    assert menu.timeout_action_type == ActionType.HANGUP
    keys = {k.key: (k.action_type, k.action_data) for k in menu.keys.all()}
    assert keys == {
        "1": (ActionType.GO_TO_MENU, world.main.sid),
        "2": (ActionType.ANNOUNCEMENT_RETURN, world.welcome.sid),
        "*": (ActionType.RETURN_TO_PREVIOUS_MENU, ""),
        "0": (ActionType.TRANSFER_TO_PHONE, "15550001101"),
    }
    page = text(aa.get(response["Location"]))
    assert "Menu “Support” created." in page


def test_editing_replaces_the_keys(bg, world):
    data = form_data(name="Main menu", key_5_type=ActionType.HANGUP)
    response = bg.post(f"/console/menus/{world.main.sid}/", data)
    assert response.status_code == 302
    assert list(world.main.keys.values_list("key", "action_type")) == [("5", "HANGUP")]
    world.main.refresh_from_db()
    assert world.main.announcement is None


def test_a_missing_name_is_shown_next_to_the_name(bg, world):
    response = bg.post(f"/console/systems/{world.system.sid}/menus/new/", form_data(name=""))
    assert response.status_code == 200
    assert errors_next_to(response, "name") == ["This field is required."]


def test_go_to_menu_without_a_menu_is_shown_next_to_that_keys_menu_picker(bg, world):
    data = form_data(key_3_type=ActionType.GO_TO_MENU)
    response = bg.post(f"/console/systems/{world.system.sid}/menus/new/", data)
    assert response.status_code == 200
    assert errors_next_to(response, "key_3_menu") == ["Choose the menu to go to."]
    assert not Menu.objects.filter(name="Support").exists()


def test_an_announcement_action_needs_its_announcement(bg, world):
    data = form_data(key_4_type=ActionType.ANNOUNCEMENT_HANGUP)
    response = bg.post(f"/console/systems/{world.system.sid}/menus/new/", data)
    assert errors_next_to(response, "key_4_announcement") == ["Choose the announcement to play."]


def test_a_transfer_to_something_not_dialable_is_shown_next_to_the_number(bg, world):
    data = form_data(key_0_type=ActionType.TRANSFER_TO_PHONE, key_0_number="call me")
    response = bg.post(f"/console/systems/{world.system.sid}/menus/new/", data)
    assert errors_next_to(response, "key_0_number") == [
        "Enter a phone number of 3 to 15 digits to transfer to, like 555 010 0100."
    ]


def test_a_transfer_without_a_number_says_what_to_enter_next_to_it_and_in_the_summary(bg, world):
    """Not the service's "TRANSFER_TO_PHONE needs a phone number": the error sits by the key's
    number field, and the summary above the form links to that field by its id."""
    data = form_data(key_0_type=ActionType.TRANSFER_TO_PHONE, key_0_number="")
    response = bg.post(f"/console/menus/{world.main.sid}/", data)
    assert response.status_code == 200
    assert errors_next_to(response, "key_0_number") == ["Enter the phone number to transfer to."]
    page = text(response)
    assert "needs a phone number" not in page
    summary = page[
        page.index("data-error-summary") : page.index("</ul>", page.index("data-error-summary"))
    ]
    assert (
        'href="#id_key_0_number">Key 0, phone number: Enter the phone number to transfer to.'
        in summary
    )
    assert 'id="id_key_0_number"' in page
    # the field is described by its error (Django's aria-describedby) and marked invalid
    field = page[page.index('id="id_key_0_number"') - 300 : page.index('id="id_key_0_number"')]
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_key_0_number_error"' in field
    assert 'id="id_key_0_number_error"' in page


def test_the_summary_links_every_field_error_to_its_field(bg, world):
    data = form_data(name="", timeout_seconds="0")
    response = bg.post(f"/console/systems/{world.system.sid}/menus/new/", data)
    page = text(response)
    assert 'href="#id_name">Name: This field is required.' in page
    assert (
        'href="#id_timeout_seconds">Seconds to wait for a key: Ensure this value is greater '
        "than or equal to 1." in page
    )


def test_the_apis_limits_apply_and_are_shown_in_place(bg, world):
    data = form_data(timeout_seconds="0", color_code="red")
    response = bg.post(f"/console/systems/{world.system.sid}/menus/new/", data)
    assert errors_next_to(response, "timeout_seconds") == [
        "Ensure this value is greater than or equal to 1."
    ]
    data = form_data(timeout_seconds="5", color_code="red")
    response = bg.post(f"/console/systems/{world.system.sid}/menus/new/", data)
    assert errors_next_to(response, "color_code") == ["Expected a colour like #e56052 or #e56."]


def test_a_choice_outside_the_pickers_is_refused(bg, world, world_b):
    data = form_data(key_1_type=ActionType.GO_TO_MENU, key_1_menu=world_b.main.sid)
    response = bg.post(f"/console/systems/{world.system.sid}/menus/new/", data)
    assert response.status_code == 200
    assert errors_next_to(response, "key_1_menu")[0].startswith("Select a valid choice.")


def test_deleting_asks_first_then_deletes(bg, world):
    menu = make_menu(world.system, "Spare")
    page = text(bg.get(f"/console/menus/{menu.sid}/delete/"))
    assert "Delete menu “Spare”?" in page
    assert Menu.objects.filter(pk=menu.pk).exists()
    response = bg.post(f"/console/menus/{menu.sid}/delete/")
    assert response["Location"] == f"/console/systems/{world.system.sid}/"
    assert not Menu.objects.filter(pk=menu.pk).exists()


def test_a_menu_in_the_schedule_cannot_be_deleted_and_the_page_says_why(bg, world):
    response = bg.post(f"/console/menus/{world.main.sid}/delete/", follow=True)
    page = text(response)
    assert "cannot be deleted: the schedule still uses it" in page
    assert Menu.objects.filter(pk=world.main.pk).exists()


def test_a_menu_another_menu_goes_to_cannot_be_deleted(bg, world):
    response = bg.post(f"/console/menus/{world.sales.sid}/delete/", follow=True)
    assert "another menu's “go to menu” action" in text(response)
    assert Menu.objects.filter(pk=world.sales.pk).exists()


def test_a_menu_with_an_announcement_cannot_be_deleted(bg, world):
    menu = make_menu(world.system, "Spare", announcement=world.welcome)
    response = bg.post(f"/console/menus/{menu.sid}/delete/", follow=True)
    assert "while it has an announcement assigned" in text(response)


def test_another_enterprises_menu_is_not_found(bg, world, world_b):
    for url in (
        f"/console/menus/{world_b.main.sid}/",
        f"/console/menus/{world_b.main.sid}/delete/",
        f"/console/systems/{world_b.system.sid}/menus/new/",
    ):
        assert bg.get(url).status_code == 404, url
    assert bg.post(f"/console/menus/{world_b.sales.sid}/delete/").status_code == 404
    assert Menu.objects.filter(pk=world_b.sales.pk).exists()


def test_the_editor_costs_the_same_queries_with_hundreds_of_menus(bg, world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert bg.get(f"/console/menus/{world.main.sid}/").status_code == 200
        return len(queries)

    before = count()
    for i in range(200):
        make_menu(world.system, f"Menu {i}", keys={"1": ActionType.HANGUP})
        make_announcement(world.system.enterprise, f"Note {i}")
    # session, user, enterprise, menu (+ keys), announcements, menus, extensions
    assert count() == before
