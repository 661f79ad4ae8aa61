"""A two-enterprise world: enterprise A with a BG_ADMIN and an AA_ADMIN, enterprise B with its
own BG_ADMIN, and an operator superuser. API clients authenticate with auth tokens. ``media``
gives a test a MEDIA_ROOT of its own (modules that store files use it for every test)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from autoattendant.choices import Role
from autoattendant.models import Enterprise, User
from autoattendant.runtime import recording
from autoattendant.runtime.routes import local_routes
from autoattendant.runtime.store import local_answers, local_flows

PASSWORD = "Corr3ct-Horse-Battery"


@pytest.fixture(autouse=True)
def _fast_hashing_and_clean_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VOICEMAIL_COPY_INLINE = True  # a recording's copy inside the test's transaction
    # Recorded call steps wait for a test to write them (recording.settle()), never for a
    # background thread that would write into another test's database.
    settings.CALL_RECORDING_FLUSH_SECONDS = 0
    recording.discard()
    cache.clear()
    local_flows.clear()  # the per-process copy in front of a shared (Redis) cache
    local_answers.clear()
    local_routes.clear()
    yield
    # Nothing left for the process's exit, and no writer thread (or its connection) outliving
    # the test: with nothing held, stop() writes nothing.
    recording.discard(stream=False)
    recording.stop()
    cache.clear()
    local_flows.clear()
    local_answers.clear()
    local_routes.clear()


@dataclass
class Actor:
    user: User
    token: str
    client: APIClient


def make_client(username: str, secret: str) -> APIClient:
    client = APIClient()
    raw = base64.b64encode(f"{username}:{secret}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {raw}")
    return client


def make_actor(email: str, enterprise: Enterprise | None, role: str, **extra) -> Actor:
    if enterprise is None:
        user = User.objects.create_superuser(email=email, password=PASSWORD)
    else:
        user = User.objects.create_user(
            email=email, password=PASSWORD, enterprise=enterprise, role=role, **extra
        )
    token = user.rotate_auth_token()
    user.save()
    return Actor(user=user, token=token, client=make_client(user.account_sid, token))


@pytest.fixture
def enterprise_a(db) -> Enterprise:
    return Enterprise.objects.create(name="Acme Plumbing")


@pytest.fixture
def enterprise_b(db) -> Enterprise:
    return Enterprise.objects.create(name="Bolt Couriers")


@pytest.fixture
def operator(db) -> Actor:
    return make_actor("ops@operator.example", None, "")


@pytest.fixture
def bg_admin(enterprise_a) -> Actor:
    return make_actor("boss@acme.example", enterprise_a, Role.BG_ADMIN, name="Alice Boss")


@pytest.fixture
def aa_admin(enterprise_a, bg_admin) -> Actor:
    return make_actor(
        "menus@acme.example",
        enterprise_a,
        Role.AA_ADMIN,
        name="Max Menus",
        created_by=bg_admin.user,
    )


@pytest.fixture
def bg_admin_b(enterprise_b) -> Actor:
    return make_actor("boss@bolt.example", enterprise_b, Role.BG_ADMIN, name="Bob Bolt")


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """An empty ``MEDIA_ROOT`` of the test's own: stored announcement files never land in the
    project's media directory, and a test sees only the files it stored."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def pytest_sessionstart(session) -> None:
    """The phrase catalogs compiled when a .po is newer than its .mo (``make`` compiles them;
    this keeps a bare ``pytest`` after editing a catalog honest)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)
