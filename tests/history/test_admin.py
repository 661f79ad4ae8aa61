"""The admin's writes are audited under the operator's name and versioned once committed."""

from __future__ import annotations

import pytest

from autoattendant.models import AuditEntry, FlowVersion, MenuKey
from tests.history.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_an_admin_edit_is_audited_and_versioned(operator, flow, django_capture_on_commit_callbacks):
    key = MenuKey.objects.get(menu__sid=flow["main"]["sid"], key="1")
    client = logged_in(operator.user)
    before = FlowVersion.objects.filter(system=flow["system"]).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/autoattendant/menukey/{key.pk}/change/",
            {
                "menu": key.menu_id,
                "key": "1",
                "action_type": "TRANSFER_TO_PHONE",
                "action_data": "15557654321",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.filter(object_pk=str(key.pk), action=1).latest("id")
    assert entry.actor_id == operator.user.pk
    assert entry.changes["action_data"] == ["15551234567", "15557654321"]
    versions = FlowVersion.objects.filter(system=flow["system"]).order_by("number")
    assert versions.count() == before + 1
    assert versions.last().created_by_id == operator.user.pk


def test_the_trail_is_read_only_in_the_admin(operator, flow):
    client = logged_in(operator.user)
    assert client.get("/admin/autoattendant/auditentry/").status_code == 200
    entry = AuditEntry.objects.first()
    page = client.get(f"/admin/autoattendant/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
