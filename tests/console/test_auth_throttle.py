"""The console's login follows the API's failure limits: past ten failures for one email every
attempt with it is refused (429, the right password too) while others behind the same address
still log in; past a hundred failures from one address its wrong attempts are refused."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD, make_client

from .helpers import text

pytestmark = pytest.mark.django_db

URL = "/console/login/"
PROXY = "10.0.0.1"
REFUSAL = "too many failed logins"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AUTH_FAILURE_LIMIT = 10
    settings.AUTH_ADDRESS_FAILURE_LIMIT = 100
    settings.AUTH_FAILURE_WINDOW_SECONDS = 60


def log_in(username: str, password: str, address: str = PROXY) -> tuple[Client, object]:
    client = Client(REMOTE_ADDR=address)
    response = client.post(URL, {"username": username, "password": password})
    return client, response


def assert_refused(client, response):
    assert response.status_code == 429
    assert REFUSAL in text(response).lower()
    assert "_auth_user_id" not in client.session


def test_thirty_wrong_passwords_then_the_right_one_is_refused(bg_admin):
    statuses = [log_in("boss@acme.example", f"guess{i}")[1].status_code for i in range(30)]
    assert statuses == [200] * 10 + [429] * 20
    assert_refused(*log_in("boss@acme.example", PASSWORD))
    assert_refused(*log_in("BOSS@acme.example", PASSWORD, address="10.9.9.9"))


def test_the_refusal_is_the_login_form_with_its_message(bg_admin):
    for _ in range(10):
        log_in("boss@acme.example", "wrong")
    client, response = log_in("boss@acme.example", PASSWORD)
    assert_refused(client, response)
    page = response.content.decode()
    assert 'name="username"' in page and 'name="password"' in page
    assert "try again in 60 seconds" in text(response).lower()


def test_another_user_behind_the_same_proxy_still_logs_in(bg_admin, aa_admin):
    for i in range(30):
        log_in("boss@acme.example", f"guess{i}")
    client, response = log_in("menus@acme.example", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_past_the_address_limit_wrong_attempts_are_refused_and_right_ones_log_in(
    bg_admin, aa_admin
):
    statuses = [log_in(f"user{i}@x.example", "Summer2024")[1].status_code for i in range(101)]
    assert statuses == [200] * 100 + [429]
    assert_refused(*log_in("boss@acme.example", "wrong"))
    _, response = log_in("menus@acme.example", PASSWORD)
    assert response.status_code == 302
    assert log_in("another@x.example", "wrong", address="10.7.7.7")[1].status_code == 200


def test_failures_through_the_api_count_for_the_console_too(bg_admin):
    for _ in range(10):
        make_client(bg_admin.user.account_sid, "wrong").get("/autoattendant/user/search")
    assert_refused(*log_in("boss@acme.example", PASSWORD))


def test_an_incomplete_form_is_not_a_failed_login(bg_admin):
    for _ in range(20):
        Client().post(URL, {"username": "boss@acme.example", "password": ""})
    _, response = log_in("boss@acme.example", PASSWORD)
    assert response.status_code == 302


def test_a_nul_byte_is_a_refused_login_not_a_crash(bg_admin):
    client, response = log_in("boss@acme.example\x00", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
