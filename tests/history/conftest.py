"""A flow built through the API (so every write is versioned and audited): a main menu whose
key 1 transfers to sales and key 2 goes to a support menu, open Monday to Friday 09:00–17:00."""

from __future__ import annotations

import pytest

from tests.builders import make_system


@pytest.fixture
def system(enterprise_a):
    return make_system(enterprise_a, "Acme main line", timezone_id="Europe/Paris")


def ok(response) -> dict:
    assert response.status_code == 200, response.json()
    return response.json()["data"]


@pytest.fixture
def flow(bg_admin, system) -> dict:
    client = bg_admin.client
    support = ok(
        client.post(
            "/autoattendant/menu",
            {
                "name": "Support",
                "autoAttendantSid": system.sid,
                "keys": [{"menuKey": "1", "menuAction": {"actionType": "HANGUP"}}],
            },
            format="json",
        )
    )
    main = ok(
        client.post(
            "/autoattendant/menu",
            {
                "name": "Business hours",
                "autoAttendantSid": system.sid,
                "keys": [
                    {
                        "menuKey": "1",
                        "menuAction": {
                            "actionType": "TRANSFER_TO_PHONE",
                            "actionData": "15551234567",
                        },
                    },
                    {
                        "menuKey": "2",
                        "menuAction": {"actionType": "GO_TO_MENU", "actionData": support["sid"]},
                    },
                ],
            },
            format="json",
        )
    )
    ok(
        client.post(
            "/autoattendant/schedule",
            {
                "autoAttendantSid": system.sid,
                "scheduleType": "WEEKLY",
                "schedule": [
                    {
                        "menuSid": main["sid"],
                        "entries": [
                            {"day": d, "startTime": "09:00", "endTime": "17:00"}
                            for d in range(1, 6)
                        ],
                    }
                ],
            },
            format="json",
        )
    )
    return {"main": main, "support": support, "system": system}


def logged_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def bg(bg_admin):
    return logged_in(bg_admin.user)


@pytest.fixture
def aa(aa_admin):
    return logged_in(aa_admin.user)


@pytest.fixture
def bg_b(bg_admin_b):
    return logged_in(bg_admin_b.user)
