"""The call simulator: which menu answers and why, then key presses through the same engine."""

from __future__ import annotations

import pytest

from autoattendant.models import ScheduleBlock
from tests.builders import make_weekly_block

from .helpers import text

pytestmark = pytest.mark.django_db

URL = "/console/simulator/"


def call(client, world, **params):
    query = {"number": world.number.number, "at": "2025-06-04T10:00", **params}
    return client.get(URL, query)


def test_it_offers_only_this_enterprises_main_numbers(bg, world, world_b):
    form = bg.get(URL).context["form"]
    offered = dict(form.fields["number"].choices)
    assert list(offered) == [world.number.number]
    response = bg.get(URL, {"number": world_b.number.number})
    assert "Select a valid choice" in text(response)
    assert "simulation" not in response.context or response.context.get("simulation") is None


def test_a_call_shows_the_menu_that_answers_and_why(aa, world):
    ScheduleBlock.objects.all().delete()
    make_weekly_block(world.main, [(3, "09:00", "17:00")])
    page = text(call(aa, world))
    assert "Front desk" in page and "Wednesday 4 June 2025, 10:00" in page
    assert "Why this menu: weekly day 3 09:00-17:00 at Wed 2025-06-04 10:00 CEST" in page
    assert page.index("Says: “This is Welcome.”") < page.index("Waits for keys")
    assert 'data-outcome="waiting"' in page


def test_pressing_a_key_walks_to_the_next_menu(bg, world):
    response = call(bg, world, press="1")
    assert response.context["inputs"] == "1"
    page = text(response)
    assert "Caller presses 1 → menu <strong>Sales</strong>" in page
    assert "key 1: GO_TO_MENU “Sales”" in page  # the engine's note, with names for sids
    assert "There is no announcement assigned to this Menu." in page
    response = call(bg, world, inputs="1", press="9")
    assert response.context["inputs"] == "1,9"
    assert "Caller presses 9 → menu <strong>Main menu</strong>" in text(response)


def test_key_zero_transfers_the_call(bg, world):
    page = text(call(bg, world, press="0"))
    assert "Transfers the call to 15550001101" in page
    assert 'data-outcome="connected"' in page


def test_saying_a_name_and_silence_are_inputs_too(bg, world):
    response = call(bg, world, inputs="1", silence="1")
    assert response.context["inputs"] == "1,-"
    assert "Caller is silent" in text(response)
    response = call(bg, world, name="Alice Boss", say="1")
    assert response.context["inputs"] == "say:Alice Boss"
    response = call(bg, world, inputs="1,2", reset="1")
    assert response.context["inputs"] == ""


def test_a_moment_no_schedule_covers_is_explained(bg, world):
    ScheduleBlock.objects.all().delete()
    page = text(call(bg, world))
    assert "No schedule entry and no default menu cover this moment" in page


def test_bad_inputs_are_reported(bg, world):
    page = text(call(bg, world, inputs="1,x"))
    assert "input 'x' is not keys" in page


def test_it_starts_now_when_no_moment_is_given(bg, world):
    response = bg.get(URL, {"number": world.number.number})
    assert response.context["simulation"].steps[0].menu_name == "Main menu"
    assert response.context["form"]["at"].value() is not None
