"""Absolute URLs in the call flow's answers follow the request's scheme and host (worked out once
per set of headers) unless PUBLIC_BASE_URL says otherwise."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import ENTRY, MAIN_NUMBER, Doc


@pytest.mark.parametrize(
    ("host", "secure", "expected"),
    [
        ("aa.example.com", False, "http://aa.example.com/"),
        ("aa.example.com", True, "https://aa.example.com/"),
        ("other.example.org:8443", True, "https://other.example.org:8443/"),
        ("aa.example.com", False, "http://aa.example.com/"),  # again, from memory
    ],
)
def test_each_host_and_scheme_gets_its_own_urls(world, settings, host, secure, expected):
    settings.ALLOWED_HOSTS = ["aa.example.com", "other.example.org"]
    doc = Doc(Client().post(ENTRY, {"To": MAIN_NUMBER}, HTTP_HOST=host, secure=secure))
    assert doc.gather.get("action").startswith(expected + "autoattendant/internal/rcml?")


def test_a_host_that_is_not_allowed_is_never_remembered(world, settings):
    settings.ALLOWED_HOSTS = ["aa.example.com"]
    response = Client().post(ENTRY, {"To": MAIN_NUMBER}, HTTP_HOST="evil.example.net")
    # The never-a-dead-line apology, and no URL built from the forged host.
    assert b"evil.example.net" not in response.content


def test_the_public_base_url_wins(world, settings):
    settings.PUBLIC_BASE_URL = "https://public.example.com"
    doc = Doc(Client().post(ENTRY, {"To": MAIN_NUMBER}))
    assert doc.gather.get("action").startswith("https://public.example.com/autoattendant/")


def test_the_proxys_scheme_header_is_part_of_what_is_remembered(world, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_SCHEME", "https")
    plain = Doc(Client().post(ENTRY, {"To": MAIN_NUMBER}))
    behind_tls = Doc(Client().post(ENTRY, {"To": MAIN_NUMBER}, HTTP_X_SCHEME="https"))
    assert plain.gather.get("action").startswith("http://testserver/")
    assert behind_tls.gather.get("action").startswith("https://testserver")


def test_a_settings_change_forgets_the_remembered_base_urls(world, settings):
    settings.ALLOWED_HOSTS = ["aa.example.com"]
    doc = Doc(Client().post(ENTRY, {"To": MAIN_NUMBER}, HTTP_HOST="aa.example.com"))
    assert doc.gather.get("action").startswith("http://aa.example.com/")
    settings.ALLOWED_HOSTS = ["other.example.org"]
    response = Client().post(ENTRY, {"To": MAIN_NUMBER}, HTTP_HOST="aa.example.com")
    # The host is no longer allowed: nothing built from the remembered URL.
    assert b"aa.example.com" not in response.content
