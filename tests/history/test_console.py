"""Safe changes in the console: "save anyway" past a broken flow test, versions, diff and
restore with confirmation, the simulator's one-click test, and the History pages."""

from __future__ import annotations

import html

import pytest

from autoattendant.choices import MENU_KEYS
from autoattendant.models import AuditEntry, FlowTest, FlowVersion, MenuKey
from tests.history.conftest import ok

pytestmark = pytest.mark.django_db


def menu_form(name: str, **keys) -> dict:
    data = {
        "name": name,
        "color_code": "#123456",
        "announcement": "",
        "ringback_tone": "",
        "timeout_seconds": "",
        "timeout_max": "",
        "timeout_type": "",
    }
    for key in MENU_KEYS:
        slug = "star" if key == "*" else key
        for part in ("type", "announcement", "menu", "number"):
            data[f"key_{slug}_{part}"] = ""
    data.update(keys)
    return data


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def sales_test(bg_admin, flow) -> dict:
    return ok(
        bg_admin.client.post(
            f"/autoattendant/system/{flow['system'].sid}/flowtest",
            {
                "name": "Monday 10:00, 1 reaches sales",
                "at": "2026-11-30T10:00",
                "inputs": ["1"],
                "expect": {"outcome": "connected", "transferredTo": "15551234567"},
            },
            format="json",
        )
    )


def test_a_change_breaking_a_flow_test_is_refused_then_saved_anyway(aa, aa_admin, flow, sales_test):
    main = flow["main"]
    data = menu_form(
        "Business hours",
        key_1_type="HANGUP",
        key_2_type="GO_TO_MENU",
        key_2_menu=flow["support"]["sid"],
    )
    refused = aa.post(f"/console/menus/{main['sid']}/", data)
    assert refused.status_code == 200
    text = page(refused)
    assert "This change breaks 1 flow test that passed" in text
    assert "Monday 10:00, 1 reaches sales" in text and "expected connected, got hangup" in text
    assert 'name="force"' in text and "Save anyway" in text
    assert MenuKey.objects.get(menu__sid=main["sid"], key="1").action_type == "TRANSFER_TO_PHONE"

    saved = aa.post(f"/console/menus/{main['sid']}/", {**data, "force": "1"})
    assert saved.status_code == 302
    assert MenuKey.objects.get(menu__sid=main["sid"], key="1").action_type == "HANGUP"
    assert FlowTest.objects.get(sid=sales_test["sid"]).passing is False
    entry = AuditEntry.objects.filter(parent_sid=main["sid"], action=0).order_by("-id").first()
    assert entry.actor_id == aa_admin.user.pk


def test_versions_diff_and_restore_with_confirmation(bg, flow, sales_test):
    system, main = flow["system"], flow["main"]
    data = menu_form(
        "Business hours", key_1_type="TRANSFER_TO_PHONE", key_1_number="15559990000",
        key_2_type="GO_TO_MENU", key_2_menu=flow["support"]["sid"],
    )  # fmt: skip
    assert bg.post(f"/console/menus/{main['sid']}/", {**data, "force": "1"}).status_code == 302
    versions = page(bg.get(f"/console/systems/{system.sid}/versions/"))
    assert "Version 4" in versions
    assert "Business hours, key 1: transfer to 15551234567 → transfer to 15559990000" in versions

    diff = page(bg.get(f"/console/systems/{system.sid}/versions/diff/?from=3&to=4"))
    assert "Business hours, key 1: transfer to 15551234567 → transfer to 15559990000" in diff

    confirm = page(bg.get(f"/console/systems/{system.sid}/versions/3/restore/"))
    assert "Restore version 3?" in confirm
    assert "Business hours, key 1: transfer to 15559990000 → transfer to 15551234567" in confirm
    assert FlowVersion.objects.filter(system=system).count() == 4  # nothing until confirmed

    done = bg.post(f"/console/systems/{system.sid}/versions/3/restore/")
    assert done.status_code == 302
    restored = FlowVersion.objects.get(system=system, number=5)
    assert restored.restored_from == 3
    assert restored.document == FlowVersion.objects.get(system=system, number=3).document
    assert MenuKey.objects.get(menu__sid=main["sid"], key="1").action_data == "15551234567"


def test_the_simulator_saves_its_call_as_a_test_in_one_click(bg, flow, enterprise_a):
    from autoattendant.models import PhoneNumber

    PhoneNumber.objects.create(
        enterprise=enterprise_a, number="15550002000", auto_attendant=flow["system"]
    )
    shown = page(
        bg.get(
            "/console/simulator/",
            {"number": "15550002000", "at": "2026-11-30T10:00", "inputs": "2,1"},
        )
    )
    assert "Save as a flow test" in shown
    saved = bg.post(
        "/console/simulator/save-test/",
        {
            "system": flow["system"].sid,
            "at": "2026-11-30T10:00",
            "inputs": "2,1",
            "outcome": "hangup",
            "menuSid": flow["support"]["sid"],
            "name": "Support hangs up",
        },
    )
    assert saved.status_code == 302
    test = FlowTest.objects.get(system=flow["system"], name="Support hangs up")
    assert test.inputs == ["2", "1"] and test.passing is True
    listed = page(bg.get(f"/console/systems/{flow['system'].sid}/tests/"))
    assert "Support hangs up" in listed and "Passes" in listed


def test_history_pages_name_who_did_what(bg, bg_admin, bg_b, flow):
    trail = page(bg.get("/console/history/"))
    assert bg_admin.user.email in trail and "Business hours" in trail
    one = page(bg.get(f"/console/history/{flow['main']['sid']}/"))
    assert "Menu key" in one and "action type" in one
    # another enterprise sees none of it, and not the versions
    assert "Business hours" not in page(bg_b.get("/console/history/"))
    assert bg_b.get(f"/console/systems/{flow['system'].sid}/versions/").status_code == 404


def test_the_schedule_and_system_forms_offer_save_anyway(bg, flow, sales_test):
    system = flow["system"]
    # the weekly schedule emptied: Monday 10:00 has no menu, the test's call gets an apology
    weekly = {
        "schedule_type": "WEEKLY",
        "weekly-TOTAL_FORMS": "0",
        "weekly-INITIAL_FORMS": "0",
        "weekly-MIN_NUM_FORMS": "0",
        "weekly-MAX_NUM_FORMS": "1000",
    }
    refused = bg.post(f"/console/systems/{system.sid}/schedule/", weekly)
    assert refused.status_code == 200
    assert "This change breaks 1 flow test that passed" in page(refused)
    assert FlowVersion.objects.filter(system=system).count() == 3
    saved = bg.post(f"/console/systems/{system.sid}/schedule/", {**weekly, "force": "1"})
    assert saved.status_code == 302
    assert FlowVersion.objects.filter(system=system).count() == 4
