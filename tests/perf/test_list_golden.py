"""Every list answers byte for byte what it answered before lists were read as plain values and
rendered with orjson.

``golden_lists.json`` holds the bodies of a sample of list pages (every list endpoint, filters,
sorts, page sizes, an empty page past the end, as the operator, an enterprise admin and an AA
admin), captured from the serializer-and-stdlib-JSON implementation on a world built with fixed
sids and a fixed clock. The test builds the same world and compares the bytes.

To regenerate (only when a list's documented shape changes on purpose):
``GOLDEN_REGENERATE=1 .venv/bin/python -m pytest tests/perf/test_list_golden.py``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from pathlib import Path

import pytest
from django.db import models

from autoattendant import sids
from autoattendant.choices import ActionType as A
from autoattendant.choices import Role, UserStatus
from autoattendant.models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    Menu,
    PhoneNumber,
    User,
)
from tests.builders import make_announcement, make_menu, make_system, make_weekly_block
from tests.conftest import PASSWORD, make_client

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).with_name("golden_lists.json")
EPOCH = dt.datetime(2024, 3, 1, 8, 30, 5, tzinfo=dt.UTC)


@pytest.fixture
def fixed_ids(monkeypatch):
    """Sids from a counter and a clock that ticks 61 seconds per call."""
    counter = itertools.count(1)
    monkeypatch.setattr(sids, "new_sid", lambda prefix: f"{prefix}{next(counter):032x}")
    ticks = itertools.count(0)
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: EPOCH + dt.timedelta(seconds=61 * next(ticks))
    )


def stamp_everything() -> None:
    """``date_updated`` (``auto_now``) was set at the last save: pin it to ``date_created`` plus a
    minute, whatever the saves were."""
    for model in (Enterprise, User, Announcement, Menu, AutoAttendantSystem, PhoneNumber):
        model.objects.update(date_updated=models.F("date_created") + dt.timedelta(minutes=1))


def build_world() -> dict:
    """Two enterprises with systems, menus (all kinds of actions, optional fields set and not),
    announcements (say, play, with a file), main numbers and extensions, users of each role and
    status; names with non-ASCII letters, quotes, a backslash and U+2028."""
    acme = Enterprise.objects.create(name="Acme Plumbing")
    cafe = Enterprise.objects.create(name="Café Ünïcode “quoted” \\ \u2028 line")
    operator = User.objects.create_superuser(email="ops@operator.example", password=PASSWORD)
    boss = User.objects.create_user(
        email="boss@acme.example",
        password=PASSWORD,
        enterprise=acme,
        role=Role.BG_ADMIN,
        name="Alice Boss",
    )
    menus_admin = User.objects.create_user(
        email="menus@acme.example",
        password=PASSWORD,
        enterprise=acme,
        role=Role.AA_ADMIN,
        name="Max Menus",
        created_by=boss,
    )
    User.objects.create_user(
        email="zoë@café.example",
        password=PASSWORD,
        enterprise=cafe,
        role=Role.BG_ADMIN,
        name="Zoë \u2029 Ünïcode",
    )
    for n in range(4):
        User.objects.create_user(
            email=f"agent{n}@acme.example",
            password=PASSWORD,
            enterprise=acme,
            role=Role.AA_ADMIN if n % 2 else Role.BG_ADMIN,
            status=(UserStatus.ACTIVE, UserStatus.SUSPENDED, UserStatus.DELETED)[n % 3],
            name=f"Agent {'ZYXW'[n]}",
            created_by=boss if n % 2 else None,
        )
    tokens = {}
    for user in (operator, boss, menus_admin):
        tokens[user.email] = user.rotate_auth_token()
        user.save()

    world = {"tokens": tokens, "accounts": {}}
    for enterprise, creator, tag in ((acme, boss, "1"), (cafe, None, "2")):
        welcome = make_announcement(enterprise, f"Welcome {tag}", created_by=creator)
        ringback = make_announcement(
            enterprise,
            f"Ringback “{tag}”",
            type="play",
            description="Hold music ♪",
            file=f"announcements/AN{tag}_ringback.wav",
        )
        make_announcement(enterprise, f"info {tag}", type="play", created_by=creator)
        make_announcement(
            enterprise, f"Ärger {tag}", body="Bitte warten … \u2028 danke", language="de"
        )
        for s in range(2):
            system = make_system(
                enterprise,
                f"System {tag}{s}",
                created_by=creator,
                description="" if s else "Front desk",
                timeout_action_type=A.TRANSFER_TO_PHONE if s else "",
                timeout_action_data="15551230000" if s else "",
                timeout_seconds=7 if s else None,
            )
            previous = None
            for m in range(3):
                keys = {key: A.HANGUP for key in ("1", "2", "3", "0", "*", "9")[: 2 + 2 * m]}
                keys["2"] = (A.ANNOUNCEMENT_RETURN, welcome.sid)
                if previous is not None:
                    keys["1"] = (A.GO_TO_MENU, previous.sid)
                extra = {}
                if m == 1:
                    extra = {
                        "color_code": "#a1b2c3",
                        "timeout_seconds": 5,
                        "timeout_max": 3,
                        "timeout_action_type": A.ANNOUNCEMENT_HANGUP,
                        "timeout_action_data": welcome.sid,
                        "ringback_tone": ringback,
                    }
                previous = make_menu(
                    system,
                    f"{'Main' if m == 0 else 'sub'} menü {tag}{s}{m}",
                    keys=keys if m < 2 else {},
                    created_by=creator,
                    announcement=welcome if m != 2 else None,
                    **extra,
                )
            make_weekly_block(previous, [(day, "09:00", "17:00") for day in range(1, 8)])
            if s == 0:
                system.default_menu = previous
                system.save()
            for n in range(3):
                PhoneNumber.objects.create(
                    enterprise=enterprise,
                    number=f"1555{tag}{s}{n:04d}",
                    auto_attendant=system if n < 2 else None,
                    created_by=creator,
                )
                extension = PhoneNumber.objects.create(
                    enterprise=enterprise,
                    number=f"1666{tag}{s}{n:04d}",
                    is_extension=True,
                    extension=f"{tag}{s}{n}" if n else "",
                    extension_spoken_name=f"Persön {n}" if n != 1 else "",
                    created_by=creator,
                )
                system.extensions.add(extension)
            gone = PhoneNumber.objects.create(enterprise=enterprise, number=f"1777{tag}{s}0000")
            gone.date_deleted = EPOCH + dt.timedelta(days=40)
            gone.save()
        world["accounts"][tag] = enterprise.sid
    for status_enterprise in range(3):
        Enterprise.objects.create(name=f"Spare {status_enterprise}")
    stamp_everything()
    world["actors"] = {
        "operator": (operator.account_sid, tokens[operator.email]),
        "bg_admin": (boss.account_sid, tokens[boss.email]),
        "aa_admin": (menus_admin.account_sid, tokens[menus_admin.email]),
    }
    return world


def requests_for(world: dict) -> list[tuple[str, str]]:
    acme = world["accounts"]["1"]
    cafe = world["accounts"]["2"]
    system = AutoAttendantSystem.objects.get(name="System 10").sid
    paths = []
    for resource in ("enterprise", "user", "announcement", "menu", "system", "phonenumber"):
        paths += [
            f"/autoattendant/{resource}/search",
            f"/autoattendant/{resource}/search/?pageSize=1000",
            f"/autoattendant/{resource}/search?pageSize=3&page=1",
            f"/autoattendant/{resource}/search?pageSize=4&page=99",
            f"/autoattendant/{resource}/search?SortBy=dateCreated:desc&pageSize=5",
        ]
    for resource in ("user", "announcement", "menu", "system"):
        paths += [
            f"/autoattendant/{resource}/search?name=e&SortBy=name:desc&pageSize=1000",
            f"/autoattendant/{resource}/search?enterpriseSid={cafe}&pageSize=1000",
            f"/autoattendant/{resource}/search?enterpriseSid={acme}&SortBy=name&pageSize=2",
        ]
    paths += [
        "/autoattendant/enterprise/search?name=a&SortBy=name:desc",
        "/autoattendant/enterprise/search?status=ACTIVE&pageSize=1000",
        "/autoattendant/user/search?emailId=ACME&role=AA_ADMIN&pageSize=1000",
        "/autoattendant/user/search?status=SUSPENDED&SortBy=email:desc",
        f"/autoattendant/menu/search?autoAttendantSid={system}&pageSize=1000",
        "/autoattendant/system/search?status=ACTIVE&SortBy=name:asc&pageSize=1000",
        f"/autoattendant/phonenumber/search?autoAttendantSid={system}&pageSize=1000",
        "/autoattendant/phonenumber/search?isExtension=true&SortBy=phoneNumber:desc&pageSize=1000",
        "/autoattendant/phonenumber/search?number=555-1&SortBy=phoneNumber&pageSize=4&page=1",
        f"/autoattendant/phonenumber/search?enterpriseSid={cafe}&pageSize=1000",
        "/autoattendant/announcement/search?startTime=2024-03-01T09:00:00Z&endTime=2024-03-02",
        "/autoattendant/phonenumber/usage/records?startDate=2024-03-01&endDate=2024-05-31",
        "/autoattendant/phonenumber/usage/records/monthly?startDate=2024-01-01&endDate=2024-06-30"
        "&pageSize=4&page=1",
        "/autoattendant/phonenumber/usage/records/daily?startDate=2024-03-01&endDate=2024-03-20"
        "&pageSize=1000",
        f"/autoattendant/phonenumber/usage/records/yearly?startDate=2023-01-01"
        f"&endDate=2024-12-31&enterpriseSid={cafe}",
    ]
    return [(who, path) for who in ("operator", "bg_admin", "aa_admin") for path in paths]


def capture(world: dict) -> dict[str, str]:
    clients = {who: make_client(*creds) for who, creds in world["actors"].items()}
    bodies = {}
    for who, path in requests_for(world):
        response = clients[who].get(path)
        assert response.status_code in (200, 400, 403), (who, path, response.content)
        bodies[f"{who} {path}"] = (
            f"{response.status_code} {response['Content-Type']}\n"
            + response.content.decode("utf-8")
        )
    return bodies


def test_list_bodies_are_byte_for_byte_the_golden_ones(fixed_ids):
    world = build_world()
    bodies = capture(world)
    if os.environ.get("GOLDEN_REGENERATE"):
        GOLDEN.write_text(json.dumps(bodies, indent=1, ensure_ascii=False) + "\n")
    golden = json.loads(GOLDEN.read_text())
    assert sorted(bodies) == sorted(golden)
    different = [key for key in golden if bodies[key] != golden[key]]
    assert not different, (different[:3], [bodies[k] for k in different[:1]])
    # The sample is not trivial: full pages, non-ASCII and U+2028 in the bodies, every role.
    assert sum('"total":' in body for body in golden.values()) > 150
    assert any("Café Ünïcode" in body for body in golden.values())  # not ASCII-escaped
    assert any("\\u2028" in body for body in golden.values())
