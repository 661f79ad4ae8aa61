"""Commands and safe changes: the demo ships three passing flow tests on one flow version, the
audit trail names the command, and export/import carry flow tests (not versions)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from autoattendant.models import AuditEntry, AutoAttendantSystem, Enterprise, FlowTest, FlowVersion
from autoattendant.services.portability import do_import_enterprise, export_enterprise

pytestmark = pytest.mark.django_db


def load_demo() -> AutoAttendantSystem:
    call_command("load_demo", stdout=StringIO())
    return AutoAttendantSystem.objects.get(name="Main line")


def test_the_demo_ships_three_passing_flow_tests_on_its_first_version(media):
    system = load_demo()
    tests = list(FlowTest.objects.filter(system=system))
    assert len(tests) == 3
    assert all(t.passing for t in tests), [t.last_result for t in tests]
    assert list(FlowVersion.objects.filter(system=system).values_list("number", flat=True)) == [1]
    version = FlowVersion.objects.get(system=system)
    assert version.actor_command == "load_demo" and version.author == "command load_demo"


def test_the_audit_trail_names_the_command(media):
    system = load_demo()
    entries = AuditEntry.objects.filter(enterprise=system.enterprise)
    assert entries.exists()
    assert set(entries.values_list("actor_command", flat=True)) == {"load_demo"}
    assert entries.filter(object_sid=system.sid, action=AuditEntry.Action.CREATE).exists()


def test_export_and_import_carry_flow_tests(media):
    system = load_demo()
    document = export_enterprise(system.enterprise)
    assert [t["name"] for t in document["flowTests"]] == [
        t.name for t in FlowTest.objects.filter(system=system).order_by("date_created", "id")
    ]
    assert "versions" not in document
    document["enterprise"]["name"] = "Copy"
    for user in document["users"]:
        user["emailId"] = "copy-" + user["emailId"]
    document["numbers"] = [n for n in document["numbers"] if False]
    for item in document["systems"]:
        item["aaNumbers"] = []
        item["extensions"] = []
    result = do_import_enterprise(document)
    assert result.ok, result.problems
    copy = AutoAttendantSystem.objects.get(enterprise=Enterprise.objects.get(name="Copy"))
    tests = FlowTest.objects.filter(system=copy)
    assert tests.count() == 3 and all(t.passing for t in tests)
    # one version per imported system, whatever the import wrote
    assert FlowVersion.objects.filter(system=copy).count() == 1
