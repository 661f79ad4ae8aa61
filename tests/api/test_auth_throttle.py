"""Failed HTTP Basic logins are limited per username (429 for every attempt, the right secret
included) and, much higher, per client address (429 for wrong attempts only): many clients behind
one proxy share an address, and the failures of some never lock the others out."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest
from rest_framework.test import APIClient

from tests.conftest import PASSWORD, make_client

pytestmark = pytest.mark.django_db

URL = "/autoattendant/user/search"
PROXY = "10.0.0.1"  # every client of these tests comes through the same proxy


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AUTH_FAILURE_LIMIT = 10
    settings.AUTH_ADDRESS_FAILURE_LIMIT = 100
    settings.AUTH_FAILURE_WINDOW_SECONDS = 60


def status(username: str, secret: str, address: str = PROXY) -> int:
    return make_client(username, secret).get(URL, REMOTE_ADDR=address).status_code


def assert_throttled(response):
    assert response.status_code == 429, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"errorCode": "608", "message": "Too many requests", "data": {}}
    assert int(response["Retry-After"]) >= 60


def test_the_defaults_allow_ten_failures_per_username_and_a_hundred_per_address():
    """The settings module's own defaults (this module's fixture sets the same values, so they
    are read in a fresh interpreter with none of the variables set)."""
    names = ("AUTH_FAILURE_LIMIT", "AUTH_ADDRESS_FAILURE_LIMIT", "AUTH_FAILURE_WINDOW_SECONDS")
    env = {name: value for name, value in os.environ.items() if name not in names}
    script = (
        "from aa_project import settings as s; print(" + ",".join(f"s.{n}" for n in names) + ")"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["10", "100", "60"]


def test_a_username_is_refused_after_ten_failures_even_with_the_right_secret(bg_admin):
    statuses = [status(bg_admin.user.email, "wrong") for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    response = make_client(bg_admin.user.email, bg_admin.token).get(URL, REMOTE_ADDR="10.9.9.9")
    assert_throttled(response)


def test_the_email_and_the_account_sid_of_one_account_share_one_count(bg_admin):
    for i in range(10):
        name = bg_admin.user.email.upper() if i % 2 else bg_admin.user.account_sid
        assert status(name, "wrong") == 401
    assert status(bg_admin.user.account_sid, bg_admin.token) == 429
    assert status(bg_admin.user.email, PASSWORD) == 429


def test_an_unknown_username_is_limited_like_a_real_one():
    assert [status("nobody@x.example", "wrong") for _ in range(11)] == [401] * 10 + [429]


def test_another_user_behind_the_same_proxy_still_logs_in(bg_admin, aa_admin):
    for _ in range(12):
        status(bg_admin.user.email, "wrong")
    assert status(bg_admin.user.email, bg_admin.token) == 429
    assert status(aa_admin.user.account_sid, aa_admin.token) == 200
    assert status(aa_admin.user.email, PASSWORD) == 200
    # ... and a mistyped secret of that other user is an ordinary 401.
    assert status(aa_admin.user.email, "typo") == 401


def test_past_the_address_limit_wrong_attempts_are_throttled_and_right_ones_log_in(
    bg_admin, aa_admin
):
    # A spray: one guess for each of many usernames, from one address.
    statuses = [status(f"user{i}@x.example", "Summer2024") for i in range(101)]
    assert statuses == [401] * 100 + [429]
    assert_throttled(make_client("another@x.example", "Summer2024").get(URL, REMOTE_ADDR=PROXY))
    # A wrong secret of a real user from that address is throttled too (and counted for it).
    assert status(bg_admin.user.email, "wrong") == 429
    # The right credentials are never refused for the failures of others...
    assert status(aa_admin.user.email, aa_admin.token) == 200
    assert status(bg_admin.user.email, bg_admin.token) == 200
    # ... and another address is not concerned at all.
    assert status("another@x.example", "wrong", address="10.7.7.7") == 401


def test_a_refused_attempt_does_not_count_against_the_address(bg_admin, settings):
    settings.AUTH_ADDRESS_FAILURE_LIMIT = 12
    for _ in range(10):
        status(bg_admin.user.email, "wrong")
    # Refused without being checked: neither a failure of the username nor of the address.
    for _ in range(20):
        assert status(bg_admin.user.email, "wrong") == 429
    assert status("other@x.example", "wrong") == 401
    assert status("other@x.example", "wrong") == 401
    assert status("other@x.example", "wrong") == 429


def test_the_window_ends(bg_admin, settings):
    from django.core.cache import cache

    for _ in range(10):
        status(bg_admin.user.email, "wrong")
    assert status(bg_admin.user.email, bg_admin.token) == 429
    cache.clear()  # what the end of the window does
    assert status(bg_admin.user.email, bg_admin.token) == 200


def test_the_right_secret_is_refused_when_parallel_guesses_locked_the_username_meanwhile(
    bg_admin, monkeypatch
):
    from autoattendant.api import authentication

    real_check = authentication.verify_credentials

    def check_while_guesses_fail(user, secret):
        if secret == bg_admin.token:  # ten wrong guesses finish while the right one is checked
            for _ in range(10):
                assert status(bg_admin.user.email, "wrong", address="10.5.5.5") == 401
        return real_check(user, secret)

    monkeypatch.setattr(authentication, "verify_credentials", check_while_guesses_fail)
    assert_throttled(make_client(bg_admin.user.email, bg_admin.token).get(URL, REMOTE_ADDR=PROXY))


@pytest.mark.parametrize(
    "credentials",
    [b"boss@acme.example\x00:wrong", b"\x00:x", b"boss@acme.example:Corr3ct\x00-Horse"],
)
def test_a_nul_byte_in_the_credentials_is_a_failed_login(credentials, bg_admin):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(credentials).decode())
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["errorCode"] == "602"


def test_nul_bytes_count_as_failures(bg_admin):
    statuses = [status(f"boss@acme.example\x00{i}", "x") for i in range(101)]
    assert statuses == [401] * 100 + [429]
    assert status(bg_admin.user.email, bg_admin.token) == 200


def test_the_telephony_webhook_is_never_throttled(bg_admin):
    for i in range(101):
        status(f"user{i}@x.example", "wrong")
    for _ in range(11):
        status(bg_admin.user.email, "wrong")
    for url in ("/autoattendant/internal/fallback", "/autoattendant/internal/rcml"):
        response = make_client(bg_admin.user.email, "wrong").post(
            url, {"To": "+15550000000", "From": "+15551111111"}, REMOTE_ADDR=PROXY
        )
        assert response.status_code == 200, url
