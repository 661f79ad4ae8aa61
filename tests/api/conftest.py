"""Rows several API modules start from: an AA system in each enterprise and an announcement of
enterprise A, built through the ORM (``tests.builders``) rather than other endpoints."""

from __future__ import annotations

import pytest

from autoattendant.models import Announcement, AutoAttendantSystem
from tests.builders import make_announcement, make_system


@pytest.fixture
def system_a(enterprise_a) -> AutoAttendantSystem:
    return make_system(enterprise_a, "Acme main line")


@pytest.fixture
def system(system_a) -> AutoAttendantSystem:
    """Enterprise A's system, by the name modules use when it is the only one in play."""
    return system_a


@pytest.fixture
def system_b(enterprise_b) -> AutoAttendantSystem:
    return make_system(enterprise_b, "Bolt main line")


@pytest.fixture
def greeting(enterprise_a) -> Announcement:
    return make_announcement(enterprise_a, "Greeting")
