"""Continuation URLs are bound to their call and expire: a captured URL cannot be replayed later,
nor by another call (``CALL_STATE_MAX_AGE``; DESIGN §11)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from .conftest import Doc, Platform


def _action_path(doc: Doc) -> str:
    parts = urlsplit(doc.gather.get("action"))
    return f"{parts.path}?{parts.query}"


def test_every_continuation_url_carries_an_expiry_and_a_call_token(world):
    doc = Platform().start()
    query = dict(parse_qsl(urlsplit(doc.gather.get("action")).query))
    expires = int(query["Expires"])
    now = timezone.now().timestamp()
    assert now + 4 * 3600 - 5 <= expires <= now + 4 * 3600 + 5
    assert len(query["CallToken"]) == 32
    assert doc.redirect_url == doc.gather.get("action")


def test_the_same_call_goes_on(world):
    call = Platform()
    assert call.press(call.start(), "4").gather is not None


@pytest.mark.parametrize("call_sid", ["CAsomeoneelse", ""])
def test_another_call_cannot_use_a_captured_url(world, call_sid):
    doc = Platform().start()
    response = Client().post(_action_path(doc), {"Digits": "9", "CallSid": call_sid})
    assert response.status_code == 403
    assert response.content == b"<Response><Hangup/></Response>"


def test_an_expired_url_is_refused(world, monkeypatch, settings):
    settings.CALL_STATE_MAX_AGE = 60
    doc = Platform().start()
    later = timezone.now() + dt.timedelta(seconds=61)
    monkeypatch.setattr("autoattendant.api.views.webhooks.timezone.now", lambda: later)
    response = Client().post(
        _action_path(doc), {"Digits": "9", "CallSid": Platform().call_params["CallSid"]}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("drop", ["Expires", "CallToken"])
def test_a_url_without_its_binding_is_refused(world, drop):
    doc = Platform().start()
    parts = urlsplit(doc.gather.get("action"))
    query = "&".join(pair for pair in parts.query.split("&") if not pair.startswith(drop + "="))
    response = Client().post(
        f"{parts.path}?{query}", {"Digits": "9", "CallSid": Platform().call_params["CallSid"]}
    )
    assert response.status_code == 403


def test_a_forged_expiry_is_refused(world):
    doc = Platform().start()
    path = _action_path(doc)
    expires = dict(parse_qsl(urlsplit(path).query))["Expires"]
    forged = path.replace(f"Expires={expires}", f"Expires={int(expires) + 86400}")
    response = Client().post(forged, {"Digits": "9", "CallSid": Platform().call_params["CallSid"]})
    assert response.status_code == 403


@pytest.mark.parametrize("expires", ["soon", "", "1e9", "-1"])
def test_an_expiry_that_is_not_a_number_is_refused(world, expires):
    doc = Platform().start()
    path = _action_path(doc)
    current = dict(parse_qsl(urlsplit(path).query))["Expires"]
    forged = path.replace(f"Expires={current}", f"Expires={expires}")
    response = Client().post(forged, {"Digits": "9", "CallSid": Platform().call_params["CallSid"]})
    assert response.status_code == 403
    assert response.content == b"<Response><Hangup/></Response>"
