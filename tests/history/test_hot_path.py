"""The call path is untouched by safe changes: the platform's webhooks never enter the audit
context, and a call costs the queries it did (none of them on versions, tests or the trail)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from autoattendant import audit
from autoattendant.models import PhoneNumber

pytestmark = pytest.mark.django_db


def test_webhooks_pass_the_audit_middleware_untouched(flow, enterprise_a, monkeypatch):
    PhoneNumber.objects.create(
        enterprise=enterprise_a, number="15550003000", auto_attendant=flow["system"]
    )

    def refuse(*args, **kwargs):
        raise AssertionError("the audit context was set up for a call")

    monkeypatch.setattr(audit, "set_extra_data", refuse)
    client = Client()
    client.post("/autoattendant/internal/rcml", {"To": "15550003000", "CallSid": "CA1"})
    with CaptureQueriesContext(connection) as warm:
        response = client.post(
            "/autoattendant/internal/rcml", {"To": "15550003000", "CallSid": "CA2"}
        )
    assert response.status_code == 200 and b"<Response>" in response.content
    tables = " ".join(q["sql"] for q in warm.captured_queries)
    for table in ("auditentry", "flowversion", "flowtest"):
        assert table not in tables
    assert len(warm.captured_queries) <= 1  # the route read, as before (docs/performance.md)
