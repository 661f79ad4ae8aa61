"""API Basic auth with a password: a success is remembered briefly under a keyed digest; a new
password, a suspension or a deletion takes effect on the very next request."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from autoattendant.api.authentication import _remembered_key
from autoattendant.choices import UserStatus
from autoattendant.models import User
from tests.conftest import PASSWORD, make_client

pytestmark = pytest.mark.django_db

LIST = "/autoattendant/menu/search"


@pytest.fixture
def hash_checks(monkeypatch) -> list[str]:
    """Every password hash check made, by email."""
    checked: list[str] = []
    original = User.check_password

    def counting(self, raw):
        checked.append(self.email)
        return original(self, raw)

    monkeypatch.setattr(User, "check_password", counting)
    return checked


def test_a_successful_password_check_is_remembered(bg_admin, hash_checks):
    client = make_client(bg_admin.user.email, PASSWORD)
    for _ in range(3):
        assert client.get(LIST).status_code == 200
    assert hash_checks == [bg_admin.user.email]


def test_the_cache_holds_a_keyed_digest_never_the_secret(bg_admin, settings):
    client = make_client(bg_admin.user.email, PASSWORD)
    assert client.get(LIST).status_code == 200
    key = _remembered_key(bg_admin.user, PASSWORD)
    assert cache.get(key) is True
    assert PASSWORD not in key and bg_admin.user.password not in key
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert _remembered_key(bg_admin.user, PASSWORD) != key


def test_a_wrong_password_is_never_remembered(bg_admin, hash_checks):
    client = make_client(bg_admin.user.email, "not-the-password")
    assert client.get(LIST).status_code == 401
    assert client.get(LIST).status_code == 401
    assert hash_checks == [bg_admin.user.email] * 2


def test_a_new_password_makes_the_old_one_fail_at_once(bg_admin, hash_checks):
    old = make_client(bg_admin.user.email, PASSWORD)
    assert old.get(LIST).status_code == 200
    user = User.objects.get(pk=bg_admin.user.pk)
    user.set_password("An0ther-Long-Passphrase")
    user.save()
    assert old.get(LIST).status_code == 401
    new = make_client(bg_admin.user.email, "An0ther-Long-Passphrase")
    assert new.get(LIST).status_code == 200


@pytest.mark.parametrize("status", [UserStatus.SUSPENDED, UserStatus.DELETED])
def test_suspension_or_deletion_is_heard_on_the_next_request(bg_admin, status):
    client = make_client(bg_admin.user.email, PASSWORD)
    assert client.get(LIST).status_code == 200
    User.objects.filter(pk=bg_admin.user.pk).update(status=status)
    assert client.get(LIST).status_code == 401


def test_zero_seconds_checks_the_hash_every_time(bg_admin, hash_checks, settings):
    settings.API_PASSWORD_CACHE_SECONDS = 0
    client = make_client(bg_admin.user.email, PASSWORD)
    assert client.get(LIST).status_code == 200
    assert client.get(LIST).status_code == 200
    assert hash_checks == [bg_admin.user.email] * 2


def test_the_auth_token_needs_no_hash_check_and_no_cache(bg_admin, hash_checks):
    cache.clear()
    assert bg_admin.client.get(LIST).status_code == 200
    assert hash_checks == []
    # Nothing was remembered for the token: only password successes are.
    assert cache.get(_remembered_key(bg_admin.user, bg_admin.token)) is None


def test_the_openapi_security_scheme_says_passwords_are_for_people(anon):
    response = anon.get("/autoattendant/schema/?format=json")
    assert response.status_code == 200
    scheme = response.json()["components"]["securitySchemes"]["basicAuth"]
    assert scheme["scheme"] == "basic"
    assert "meant for people" in scheme["description"]
    assert "Integrations should use tokens" in scheme["description"]
