"""The admin's login follows the same failure limits as the API and the console: past ten
failures for one email every attempt with it is refused (the right password too) while another
operator behind the same address still logs in."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD, make_actor

pytestmark = pytest.mark.django_db

URL = "/admin/login/?next=/admin/"
PROXY = "10.0.0.1"
REFUSAL = "Too many failed logins"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AUTH_FAILURE_LIMIT = 10
    settings.AUTH_ADDRESS_FAILURE_LIMIT = 100
    settings.AUTH_FAILURE_WINDOW_SECONDS = 60


@pytest.fixture
def colleague(db):
    return make_actor("ops2@operator.example", None, "")


def log_in(username: str, password: str, address: str = PROXY):
    client = Client(REMOTE_ADDR=address)
    response = client.post(URL, {"username": username, "password": password})
    return client, response


def assert_refused(client, response):
    assert response.status_code == 200  # the login form again (AdminSite.login renders it)
    assert REFUSAL in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_thirty_wrong_passwords_then_the_right_one_is_refused(operator):
    pages = [log_in(operator.user.email, f"guess{i}")[1] for i in range(30)]
    assert [REFUSAL in page.content.decode() for page in pages] == [False] * 10 + [True] * 20
    statuses = [page.status_code for page in pages]
    assert statuses == [200] * 30
    assert_refused(*log_in(operator.user.email, PASSWORD))
    assert_refused(*log_in(operator.user.email.upper(), PASSWORD, address="10.9.9.9"))


def test_another_operator_behind_the_same_proxy_still_logs_in(operator, colleague):
    for i in range(30):
        log_in(operator.user.email, f"guess{i}")
    client, response = log_in(colleague.user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_past_the_address_limit_wrong_attempts_are_refused_and_right_ones_log_in(
    operator, colleague
):
    pages = [log_in(f"user{i}@x.example", "Summer2024")[1] for i in range(101)]
    assert [REFUSAL in page.content.decode() for page in pages] == [False] * 100 + [True]
    _, response = log_in(colleague.user.email, PASSWORD)
    assert response.status_code == 302


def test_a_correct_password_without_staff_rights_counts_as_a_failure(bg_admin, operator):
    # The admin refuses an enterprise user whatever the password: each attempt is a failure.
    for _ in range(10):
        _, response = log_in(bg_admin.user.email, PASSWORD)
        assert response.status_code == 200
        assert "staff account" in response.content.decode()
    assert_refused(*log_in(bg_admin.user.email, PASSWORD))
