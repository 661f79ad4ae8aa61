"""Console fixtures: logged-in browsers (Django test clients) for each actor, and a small but
complete auto attendant in each enterprise."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from autoattendant.choices import ActionType
from autoattendant.models import Announcement, AutoAttendantSystem, Menu, PhoneNumber
from tests.builders import (
    make_announcement,
    make_extension,
    make_menu,
    make_system,
    make_weekly_block,
)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def bg(bg_admin) -> Client:
    return logged_in(bg_admin.user)


@pytest.fixture
def aa(aa_admin) -> Client:
    return logged_in(aa_admin.user)


@pytest.fixture
def bg_b(bg_admin_b) -> Client:
    return logged_in(bg_admin_b.user)


@dataclass
class World:
    system: AutoAttendantSystem
    main: Menu
    sales: Menu
    welcome: Announcement
    number: PhoneNumber
    extension: PhoneNumber


def build_world(enterprise, admin, digits: str, ext_digits: str) -> World:
    """One AA system: a main menu (key 1 → sales, key 0 → transfer to an extension), a sales
    menu, a weekly schedule for every day, a main number and an extension."""
    system = make_system(enterprise, "Front desk", created_by=admin, timezone_id="Europe/Paris")
    welcome = make_announcement(enterprise, "Welcome", created_by=admin)
    sales = make_menu(system, "Sales", keys={"9": ActionType.RETURN_TO_PREVIOUS_MENU})
    main = make_menu(
        system,
        "Main menu",
        announcement=welcome,
        color_code="#e56052",
        keys={
            "1": (ActionType.GO_TO_MENU, sales.sid),
            "0": (ActionType.TRANSFER_TO_PHONE, ext_digits),
        },
    )
    make_weekly_block(main, [(day, "00:00", "24:00") for day in range(1, 8)])
    number = PhoneNumber.objects.create(enterprise=enterprise, number=digits, auto_attendant=system)
    extension = make_extension(enterprise, ext_digits, ext_digits[-3:], "Alice Boss")
    system.extensions.add(extension)
    return World(system, main, sales, welcome, number, extension)


@pytest.fixture
def world(enterprise_a, bg_admin) -> World:
    return build_world(enterprise_a, bg_admin.user, "15550001000", "15550001101")


@pytest.fixture
def world_b(enterprise_b, bg_admin_b) -> World:
    return build_world(enterprise_b, bg_admin_b.user, "15559009000", "15559009101")
