"""AA systems: create / edit with the time zone picker, numbers, extensions (enterprise
admins only) and error handling; the overview; delete."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import ActionType
from autoattendant.models import AutoAttendantSystem, PhoneNumber
from tests.builders import make_menu, make_system

from .helpers import errors_next_to, text

pytestmark = pytest.mark.django_db


def system_data(**overrides) -> dict:
    data = {
        "name": "Night line",
        "description": "",
        "status": "ACTIVE",
        "timezone_id": "America/New_York",
        "language": "en",
        "default_menu": "",
        "timeout_seconds": "",
        "timeout_max": "",
        "invalid_input_max": "",
        "invalid_extension_max": "",
    }
    for prefix in ("timeout", "invalid_input", "invalid_extension"):
        data.update(
            {
                f"{prefix}_type": "",
                f"{prefix}_announcement": "",
                f"{prefix}_menu": "",
                f"{prefix}_number": "",
            }
        )
    data.update(overrides)
    return data


def test_an_admin_creates_a_system_with_a_number_and_error_handling(bg, world):
    free = PhoneNumber.objects.create(enterprise=world.system.enterprise, number="15550002000")
    data = system_data(
        aa_numbers=[free.number],
        extensions=[world.extension.number],
        timeout_seconds="8",
        invalid_input_max="2",
        invalid_input_type=ActionType.TRANSFER_TO_PHONE,
        invalid_input_number="15550001101",
    )
    response = bg.post("/console/systems/new/", data)
    assert response.status_code == 302
    system = AutoAttendantSystem.objects.get(name="Night line")
    assert response["Location"] == f"/console/systems/{system.sid}/"
    assert system.timezone_id == "America/New_York"
    assert list(system.main_numbers.values_list("number", flat=True)) == ["15550002000"]
    assert list(system.extensions.all()) == [world.extension]
    assert (system.timeout_seconds, system.invalid_input_max) == (8, 2)
    assert system.invalid_input_action_type == ActionType.TRANSFER_TO_PHONE


def test_the_time_zone_picker_offers_only_real_zones(bg):
    response = bg.post("/console/systems/new/", system_data(timezone_id="Mars/Olympus"))
    assert errors_next_to(response, "timezone_id")[0].startswith("Select a valid choice")
    zones = dict(bg.get("/console/systems/new/").context["form"].fields["timezone_id"].choices)
    assert "Europe/Paris" in zones and "Asia/Kolkata" in zones
    # The host's own zone (a link in the system database on Debian) is not an IANA name.
    assert "localtime" not in zones and "posixrules" not in zones


def test_the_language_is_picked_from_the_supported_ones_and_saved(bg, world):
    form = bg.get("/console/systems/new/").context["form"]
    assert [value for value, _label in form.fields["language"].choices] == [
        "en", "es", "fr", "de", "it", "pt", "nl",
    ]  # fmt: skip
    assert form["language"].value() == "en"
    response = bg.post("/console/systems/new/", system_data(language="es"))
    assert response.status_code == 302
    system = AutoAttendantSystem.objects.get(name="Night line")
    assert system.language == "es"
    assert "Spanish" in text(bg.get(response["Location"]))
    form = bg.get(f"/console/systems/{system.sid}/edit/").context["form"]
    assert form["language"].value() == "es"
    data = system_data(language="fr")
    assert bg.post(f"/console/systems/{system.sid}/edit/", data).status_code == 302
    system.refresh_from_db()
    assert system.language == "fr"


def test_an_unsupported_language_is_refused_next_to_the_field(bg):
    response = bg.post("/console/systems/new/", system_data(language="tlh"))
    assert errors_next_to(response, "language")[0].startswith("Select a valid choice")
    assert not AutoAttendantSystem.objects.filter(name="Night line").exists()


def test_the_apis_limits_and_rules_are_shown_next_to_the_fields(bg, world):
    response = bg.post("/console/systems/new/", system_data(timeout_seconds="0"))
    assert errors_next_to(response, "timeout_seconds") == [
        "Ensure this value is greater than or equal to 1."
    ]
    response = bg.post("/console/systems/new/", system_data(name=""))
    assert errors_next_to(response, "name") == ["This field is required."]
    data = system_data(timeout_type=ActionType.ANNOUNCEMENT_HANGUP)
    response = bg.post("/console/systems/new/", data)
    assert errors_next_to(response, "timeout_announcement") == ["Choose the announcement to play."]


def test_numbers_of_another_system_or_enterprise_are_not_offered(bg, world, world_b):
    form = bg.get("/console/systems/new/").context["form"]
    offered = dict(form.fields["aa_numbers"].choices)
    assert world.number.number not in offered  # already the Front desk's
    assert world_b.number.number not in offered
    form = bg.get(f"/console/systems/{world.system.sid}/edit/").context["form"]
    assert world.number.number in dict(form.fields["aa_numbers"].choices)


def test_an_aa_admin_gets_no_extension_field_and_keeps_the_directory(aa, world):
    response = aa.get(f"/console/systems/{world.system.sid}/edit/")
    assert "extensions" not in response.context["form"].fields
    assert 'name="extensions"' not in response.content.decode()
    data = system_data(
        name="Front desk", aa_numbers=[world.number.number], extensions=[]
    )  # a forged field is ignored
    response = aa.post(f"/console/systems/{world.system.sid}/edit/", data)
    assert response.status_code == 302
    assert list(world.system.extensions.all()) == [world.extension]
    world.system.refresh_from_db()
    assert world.system.timezone_id == "America/New_York"


def test_editing_keeps_menus_for_go_to_menu_actions(bg, world):
    data = system_data(
        name="Front desk",
        aa_numbers=[world.number.number],
        extensions=[world.extension.number],
        default_menu=world.main.sid,
        timeout_type=ActionType.GO_TO_MENU,
        timeout_menu=world.sales.sid,
    )
    assert bg.post(f"/console/systems/{world.system.sid}/edit/", data).status_code == 302
    world.system.refresh_from_db()
    assert world.system.default_menu == world.main
    assert (world.system.timeout_action_type, world.system.timeout_action_data) == (
        ActionType.GO_TO_MENU,
        world.sales.sid,
    )


def test_the_overview_lists_menus_numbers_and_links(bg, world):
    page = text(bg.get(f"/console/systems/{world.system.sid}/"))
    for part in (
        "Main menu",
        "Sales",
        "15550001000",
        "Europe/Paris",
        f"/console/systems/{world.system.sid}/schedule/",
        f"/console/systems/{world.system.sid}/flow/",
        f"/console/systems/{world.system.sid}/menus/new/",
    ):
        assert part in page


def test_deleting_a_system_asks_then_frees_its_numbers(bg, world):
    page = text(bg.get(f"/console/systems/{world.system.sid}/delete/"))
    assert "Its menus and schedule are deleted too" in page
    response = bg.post(f"/console/systems/{world.system.sid}/delete/")
    assert response["Location"] == "/console/systems/"
    assert not AutoAttendantSystem.objects.filter(pk=world.system.pk).exists()
    world.number.refresh_from_db()
    assert world.number.auto_attendant is None


def test_another_enterprises_systems_are_not_found(bg, world_b):
    sid = world_b.system.sid
    for url in (
        f"/console/systems/{sid}/",
        f"/console/systems/{sid}/edit/",
        f"/console/systems/{sid}/delete/",
        f"/console/systems/{sid}/flow/",
    ):
        assert bg.get(url).status_code == 404, url
    assert bg.post(f"/console/systems/{sid}/delete/").status_code == 404
    assert world_b.system.name not in text(bg.get("/console/systems/"))


@pytest.mark.parametrize("path", ["/console/systems/", "/console/systems/{sid}/"])
def test_lists_cost_the_same_queries_with_hundreds_of_rows(bg, world, path):
    url = path.format(sid=world.system.sid)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert bg.get(url).status_code == 200
        return len(queries)

    before = count()
    enterprise = world.system.enterprise
    for i in range(120):
        system = make_system(enterprise, f"Line {i}")
        PhoneNumber.objects.create(
            enterprise=enterprise, number=f"1555888{i:04d}", auto_attendant=system
        )
        make_menu(world.system, f"Menu {i}", keys={"1": ActionType.HANGUP})
    assert count() == before
