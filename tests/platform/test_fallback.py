"""``/internal/fallback``: the platforms' voice fallback URL answers with no database or cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from autoattendant.callflow.engine import TEXT_APOLOGY

from .restcomm import RestcommPlatform
from .twiml import TwimlPlatform

FALLBACK = "/autoattendant/internal/fallback"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", [FALLBACK, FALLBACK + "/"])
def test_the_fallback_apologises_and_hangs_up(method, path):
    response = getattr(Client(), method)(path, {"CallSid": "CA1", "To": "+15557770000"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response.content.decode() == f"<Response><Say>{TEXT_APOLOGY}</Say><Hangup/></Response>"


def test_the_fallback_touches_neither_the_database_nor_the_cache(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the fallback must not reach the cache")

    for name in ("get", "set", "get_many", "add"):
        monkeypatch.setattr(cache, name, refuse)
    with connection.execute_wrapper(lambda *a, **k: pytest.fail("a query ran")):
        response = Client().post(FALLBACK, {"CallSid": "CA1"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "platform",
    [
        RestcommPlatform(voice_url="http://testserver" + FALLBACK),
        TwimlPlatform(voice_url="http://testserver" + FALLBACK, sign=False),
    ],
    ids=["restcomm", "twiml"],
)
def test_both_platforms_execute_the_fallback(platform):
    call = platform.call()
    assert call.said == [TEXT_APOLOGY]
    assert call.ended == "hangup"
