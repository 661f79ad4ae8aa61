"""The operator reads recorded calls in the admin, steps inline; nothing there edits them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from autoattendant.models import Call

from .conftest import record_call

pytestmark = pytest.mark.django_db


def test_calls_are_listed_in_constant_queries_and_shown_with_their_steps(operator, ny_system):
    system, main, _ = ny_system
    client = Client()
    client.force_login(operator.user)
    url = reverse("admin:autoattendant_call_changelist")
    record_call(
        system,
        "CA-1",
        "2026-01-05T14:00:00Z",
        [("2026-01-05T14:00:09Z", "4", "INVALID")],
        "IN_PROGRESS",
        menu=main,
    )
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(2, 6):
        record_call(system, f"CA-{n}", "2026-01-06T14:00:00Z", [], "IN_PROGRESS", menu=main)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    assert len(one) == len(five)
    call = Call.objects.get(call_sid="CA-1")
    detail = client.get(reverse("admin:autoattendant_call_change", args=[call.pk])).content.decode()
    assert "INVALID" in detail and "CA-1" in detail
    assert client.get(reverse("admin:autoattendant_call_add")).status_code == 403
