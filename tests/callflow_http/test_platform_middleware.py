"""The platforms' webhooks are answered right after ``SecurityMiddleware``
(``autoattendant.middleware.PlatformWebhookMiddleware``): no session, CSRF, user, messages or
URL resolution on a waiting caller's request, the same documents as through the URLconf, and the
HTTPS redirect and security headers still apply."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .conftest import ENTRY, MAIN_NUMBER, Doc

WEBHOOK_MIDDLEWARE = "autoattendant.middleware.PlatformWebhookMiddleware"


def test_it_sits_right_after_the_security_middleware():
    middleware = django_settings.MIDDLEWARE
    assert middleware.index(WEBHOOK_MIDDLEWARE) == 1
    assert middleware[0] == "django.middleware.security.SecurityMiddleware"


@pytest.mark.parametrize("path", [ENTRY, ENTRY + "/"])
def test_a_webhook_request_skips_the_browser_middleware(world, path):
    response = Client().post(path, {"To": MAIN_NUMBER, "CallSid": "CA1"})
    assert response.status_code == 200
    assert Doc(response).gather is not None
    # What the middleware below would have added: none of it is there.
    assert "X-Frame-Options" not in response
    assert "Vary" not in response
    assert not response.cookies


@pytest.mark.parametrize("params", [{"To": MAIN_NUMBER, "CallSid": "CA1"}, {"To": "19999999999"}])
def test_a_webhook_answer_says_its_length(world, params):
    """As CommonMiddleware does for every other view: a server (gunicorn) sends a document of
    known length as it is, and one without a length chunked."""
    response = Client().post(ENTRY, params)
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(response.content))


def test_the_security_middleware_still_applies(world, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = True
    settings.SECURE_SSL_REDIRECT = True
    plain = Client().post(ENTRY, {"To": MAIN_NUMBER})
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://testserver/autoattendant/internal/rcml")
    secure = Client().post(ENTRY, {"To": MAIN_NUMBER}, secure=True)
    assert secure.status_code == 200
    assert secure["X-Content-Type-Options"] == "nosniff"


def test_other_paths_go_down_the_whole_chain(world):
    response = Client().post("/autoattendant/internal/nothing", {"To": MAIN_NUMBER})
    assert response.status_code == 404
    assert response.json()["errorCode"] == "604"  # no such route: the API's envelope
    console = Client().get("/console/login/")
    assert console["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("name", ["internal-rcml", "internal-twiml", "internal-fallback"])
def test_the_webhooks_are_still_in_the_urlconf(name):
    assert reverse(name).startswith("/autoattendant/internal/")


def test_without_it_the_urlconf_answers_the_same_documents(world, settings, monkeypatch):
    instant = timezone.now()
    monkeypatch.setattr("autoattendant.api.views.webhooks.timezone.now", lambda: instant)
    params = {"To": MAIN_NUMBER, "CallSid": "CAsame", "From": "+15550001111"}
    entry = Client().post(ENTRY, params)
    key = Client().post(Doc(entry).gather.get("action"), {**params, "Digits": "1"})
    fallback = Client().post("/autoattendant/internal/fallback")

    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != WEBHOOK_MIDDLEWARE]
    entry_again = Client().post(ENTRY, params)
    key_again = Client().post(Doc(entry_again).gather.get("action"), {**params, "Digits": "1"})
    assert entry_again["X-Frame-Options"] == "DENY"  # the whole chain, this time
    assert entry_again.content == entry.content
    assert key_again.content == key.content
    assert Client().post("/autoattendant/internal/fallback").content == fallback.content
