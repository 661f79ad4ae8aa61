"""Login with email + password, logout, password change, who may open what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from autoattendant.choices import EnterpriseStatus
from tests.conftest import PASSWORD

from .helpers import text

pytestmark = pytest.mark.django_db


def test_the_login_page_asks_for_email_and_password():
    response = Client().get("/console/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="username"' in page and 'type="email"' in page
    assert 'name="password"' in page
    assert "csrfmiddlewaretoken" in page


def test_an_admin_logs_in_with_email_and_password_and_lands_on_the_dashboard(bg_admin):
    client = Client(enforce_csrf_checks=False)
    response = client.post(
        "/console/login/", {"username": "BOSS@acme.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("console:dashboard")
    assert client.get("/console/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(bg_admin):
    response = Client().post(
        "/console/login/", {"username": "boss@acme.example", "password": "nope"}
    )
    assert response.status_code == 200
    assert "enter a correct email and password" in text(response).lower()


def test_users_of_a_suspended_enterprise_cannot_log_in(bg_admin, enterprise_a):
    enterprise_a.status = EnterpriseStatus.SUSPENDED
    enterprise_a.save()
    client = Client()
    response = client.post(
        "/console/login/", {"username": "boss@acme.example", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_session_ends_when_the_enterprise_is_suspended(bg, enterprise_a):
    assert bg.get("/console/").status_code == 200
    enterprise_a.status = EnterpriseStatus.SUSPENDED
    enterprise_a.save()
    response = bg.get("/console/")
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")


@pytest.mark.parametrize(
    "url",
    [
        "/console/",
        "/console/systems/",
        "/console/announcements/",
        "/console/numbers/",
        "/console/users/",
        "/console/usage/",
        "/console/simulator/",
        "/console/password/",
        "/console/systems/AA0123/",
        "/console/menus/MN0123/",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/console/login/?next={url}"


def test_the_site_root_goes_to_the_console():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/console/"


def test_logout_is_a_post_and_ends_the_session(bg):
    assert bg.get("/console/logout/").status_code == 405
    response = bg.post("/console/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:login")
    assert bg.get("/console/").status_code == 302


def test_forms_need_the_csrf_token(bg_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bg_admin.user)
    response = client.post("/console/announcements/new/", {"name": "x", "type": "play"})
    assert response.status_code == 403


def test_the_password_change_checks_the_old_one_and_the_policy(bg, bg_admin):
    response = bg.post(
        "/console/password/",
        {"old_password": "wrong", "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    page = text(response)
    assert "Your old password was entered incorrectly" in page
    response = bg.post(
        "/console/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another-Str0ng-Pass",
            "new_password2": "Another-Str0ng-Pass",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("console:password_change_done")
    bg_admin.user.refresh_from_db()
    assert bg_admin.user.check_password("Another-Str0ng-Pass")
    assert bg.get("/console/").status_code == 200  # the session survives the change


def test_a_superuser_picks_the_enterprise_to_work_in(operator, enterprise_a, enterprise_b):
    client = Client()
    client.force_login(operator.user)
    response = client.get("/console/")
    assert response["Location"] == reverse("console:enterprise_choose")
    page = text(client.get(reverse("console:enterprise_choose")))
    assert "Acme Plumbing" in page and "Bolt Couriers" in page
    response = client.post(reverse("console:enterprise_choose"), {"enterprise": enterprise_b.sid})
    assert response["Location"] == reverse("console:dashboard")
    page = text(client.get("/console/"))
    assert "Bolt Couriers" in page
    assert client.get("/console/users/").status_code == 200


def test_enterprise_users_never_see_the_enterprise_chooser(bg):
    response = bg.get(reverse("console:enterprise_choose"))
    assert response["Location"] == reverse("console:dashboard")
