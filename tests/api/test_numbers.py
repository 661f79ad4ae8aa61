"""Phone numbers: the spec's "Phone Number" examples, operator provisioning, the extension rules,
soft delete, role rules, tenancy, races and query counts."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import PhoneNumber
from tests.conftest import make_actor, make_client

pytestmark = pytest.mark.django_db

URL = "/autoattendant/phonenumber"


def version(system) -> int:
    system.refresh_from_db(fields=["flow_version"])
    return system.flow_version


def provision(operator, enterprise, number, **extra):
    r = operator.client.post(
        URL, {"number": number, "enterpriseSid": enterprise.sid, **extra}, format="json"
    )
    assert r.status_code == 200, r.json()
    return r.json()["data"]


@pytest.fixture
def extension(operator, enterprise_a):
    return provision(operator, enterprise_a, "1671331777", isExtension=True, extension="777")


@pytest.fixture
def main_number(operator, enterprise_a):
    return provision(operator, enterprise_a, "1671331666")


def test_operator_provisions_numbers_as_the_spec_shows_them(operator, enterprise_a, system_a):
    ext = provision(
        operator,
        enterprise_a,
        "+1 (671) 331-777",
        isExtension=True,
        extension="777",
        extensionSpokenName="Jane Doe",
    )
    sid = ext["sid"]
    assert sid.startswith("PH") and len(sid) == 34
    assert ext == {
        "sid": sid,
        "dateUpdated": ext["dateUpdated"],
        "dateCreated": ext["dateCreated"],
        "accountEmail": operator.user.email,
        "uri": f"/autoattendant/phonenumber/search/{sid}",
        "number": "1671331777",
        "isExtension": True,
        "extension": "777",
        "extensionSpokenName": "Jane Doe",
        "enterpriseSid": enterprise_a.sid,
    }
    main = provision(operator, enterprise_a, "1671331666", autoAttendantSid=system_a.sid)
    assert main["isExtension"] is False
    assert main["autoAttendantSid"] == system_a.sid
    assert "extension" not in main and "extensionSpokenName" not in main
    system_a.refresh_from_db()
    assert system_a.flow_version == 1


def test_list_as_in_the_spec(bg_admin, enterprise_a, extension, main_number):
    r = bg_admin.client.get(f"{URL}/search?enterpriseSid={enterprise_a.sid}")
    assert r.status_code == 200
    data = r.json()["data"]
    assert [n["number"] for n in data["result"]] == ["1671331777", "1671331666"]
    assert data["result"][0]["extension"] == "777"
    assert (data["pageSize"], data["total"], data["page"], data["numPages"]) == (10, 2, 0, 1)
    assert (data["start"], data["end"]) == (0, 1)
    assert data["uri"] == (
        f"/autoattendant/phonenumber/search?enterpriseSid={enterprise_a.sid}&pageSize=10&page=0"
    )


def test_get_single_as_in_the_spec(aa_admin, extension):
    r = aa_admin.client.get(f"{URL}/search/{extension['sid']}")
    assert r.status_code == 200
    assert r.json()["data"] == extension


def test_update_assigns_an_aa_system_as_in_the_spec(bg_admin, main_number, system_a):
    r = bg_admin.client.put(
        f"{URL}/{main_number['sid']}", {"autoAttendantSid": system_a.sid}, format="json"
    )
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["autoAttendantSid"] == system_a.sid
    assert data["isExtension"] is False and data["number"] == "1671331666"
    system_a.refresh_from_db()
    assert system_a.flow_version == 1
    assert list(system_a.main_numbers.values_list("number", flat=True)) == ["1671331666"]
    # null unassigns
    r = bg_admin.client.put(f"{URL}/{main_number['sid']}", {"autoAttendantSid": None}, "json")
    assert r.status_code == 200 and "autoAttendantSid" not in r.json()["data"]
    assert not system_a.main_numbers.exists()


def test_aa_admin_may_assign_the_system(aa_admin, main_number, system_a):
    r = aa_admin.client.put(
        f"{URL}/{main_number['sid']}",
        {"autoAttendantSid": system_a.sid, "isExtension": False},  # unchanged flag: fine
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["data"]["autoAttendantSid"] == system_a.sid


@pytest.mark.parametrize(
    "change",
    [{"isExtension": False}, {"extension": "778"}, {"extensionSpokenName": "Someone Else"}],
)
def test_aa_admin_may_not_change_extensions_403(aa_admin, extension, change):
    r = aa_admin.client.put(f"{URL}/{extension['sid']}", change, format="json")
    assert r.status_code == 403 and r.json()["errorCode"] == "603"
    number = PhoneNumber.objects.get(sid=extension["sid"])
    assert (number.is_extension, number.extension) == (True, "777")


def test_bg_admin_edits_extensions(bg_admin, extension):
    r = bg_admin.client.put(
        f"{URL}/{extension['sid']}",
        {"extension": "7-78", "extensionSpokenName": " Jane Roe "},
        format="json",
    )
    assert r.status_code == 200
    data = r.json()["data"]
    assert (data["extension"], data["extensionSpokenName"]) == ("778", "Jane Roe")


def test_update_to_an_unknown_or_foreign_system_is_490(bg_admin, main_number, system_b):
    for sid in ("AA" + "0" * 32, system_b.sid):
        r = bg_admin.client.put(f"{URL}/{main_number['sid']}", {"autoAttendantSid": sid}, "json")
        assert r.status_code == 409
        assert r.json()["errorCode"] == "490"
        assert r.json()["message"] == "AutoAttendant System not found"
    assert PhoneNumber.objects.get(sid=main_number["sid"]).auto_attendant is None


def test_an_extension_cannot_be_a_main_number_623(
    operator, bg_admin, enterprise_a, extension, system_a
):
    r = bg_admin.client.put(f"{URL}/{extension['sid']}", {"autoAttendantSid": system_a.sid}, "json")
    assert r.status_code == 409
    assert r.json()["errorCode"] == "623"
    r = operator.client.post(
        URL,
        {
            "number": "5550100",
            "enterpriseSid": enterprise_a.sid,
            "isExtension": True,
            "autoAttendantSid": system_a.sid,
        },
        format="json",
    )
    assert r.status_code == 409 and r.json()["errorCode"] == "623"


def test_an_assigned_main_number_becomes_an_extension_only_once_unassigned(
    bg_admin, main_number, system_a
):
    url = f"{URL}/{main_number['sid']}"
    bg_admin.client.put(url, {"autoAttendantSid": system_a.sid}, format="json")
    r = bg_admin.client.put(url, {"isExtension": True, "extension": "666"}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "623"
    r = bg_admin.client.put(
        url, {"isExtension": True, "extension": "666", "autoAttendantSid": None}, format="json"
    )
    assert r.status_code == 200
    assert r.json()["data"]["isExtension"] is True and "autoAttendantSid" not in r.json()["data"]


def test_an_extension_turned_main_number_leaves_every_directory(bg_admin, extension, system_a):
    number = PhoneNumber.objects.get(sid=extension["sid"])
    system_a.extensions.add(number)
    before = version(system_a)
    r = bg_admin.client.put(f"{URL}/{extension['sid']}", {"isExtension": False}, format="json")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["isExtension"] is False
    assert "extension" not in data and "extensionSpokenName" not in data
    assert not system_a.extensions.exists()
    assert version(system_a) > before
    # An extension code on a main number is refused rather than ignored.
    r = bg_admin.client.put(f"{URL}/{extension['sid']}", {"extension": "9"}, format="json")
    assert r.status_code == 400 and "isExtension" in r.json()["data"]


def test_enterprise_users_cannot_provision_or_release_403(
    bg_admin, aa_admin, enterprise_a, extension
):
    for actor in (bg_admin, aa_admin):
        r = actor.client.post(
            URL, {"number": "15550100", "enterpriseSid": enterprise_a.sid}, format="json"
        )
        assert r.status_code == 403 and r.json()["errorCode"] == "603"
        r = actor.client.delete(f"{URL}/{extension['sid']}")
        assert r.status_code == 403
    assert PhoneNumber.objects.count() == 1
    assert PhoneNumber.objects.live().count() == 1


@pytest.mark.parametrize(
    ("number", "field"),
    [
        ("12", "number"),
        ("1234567890123456", "number"),
        ("555-CALL-NOW", "number"),
        ("١٢٣٤٥", "number"),  # non-ASCII digits
        ("", "number"),
        (None, "number"),
    ],
)
def test_a_malformed_number_is_400(operator, enterprise_a, number, field):
    r = operator.client.post(
        URL, {"number": number, "enterpriseSid": enterprise_a.sid}, format="json"
    )
    assert r.status_code == 400
    assert r.json()["errorCode"] == "600"
    assert field in r.json()["data"]
    assert not PhoneNumber.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"isExtension": "perhaps"},
        {"isExtension": True, "extension": "1a"},
        {"extension": "101"},  # an extension code on a main number
        {"extensionSpokenName": "x" * 201, "isExtension": True},
    ],
)
def test_malformed_extension_fields_are_400(operator, enterprise_a, payload):
    r = operator.client.post(
        URL, {"number": "15550100", "enterpriseSid": enterprise_a.sid, **payload}, format="json"
    )
    assert r.status_code == 400


def test_operator_must_name_a_live_enterprise(operator):
    r = operator.client.post(URL, {"number": "15550100"}, format="json")
    assert r.status_code == 400 and "enterpriseSid" in r.json()["data"]
    r = operator.client.post(
        URL, {"number": "15550100", "enterpriseSid": "EN" + "0" * 32}, format="json"
    )
    assert r.status_code == 409 and r.json()["errorCode"] == "467"


def test_an_existing_number_is_617_whatever_its_enterprise(operator, enterprise_b, main_number):
    r = operator.client.post(
        URL, {"number": "+1-671-331-666", "enterpriseSid": enterprise_b.sid}, format="json"
    )
    assert r.status_code == 409
    assert r.json()["errorCode"] == "617"
    assert r.json()["message"] == "PhoneNumber already exists"


def test_an_existing_extension_code_is_618_within_the_enterprise(
    operator, bg_admin, enterprise_a, enterprise_b, extension
):
    body = {"number": "15550100", "isExtension": True, "extension": "777"}
    r = operator.client.post(URL, {**body, "enterpriseSid": enterprise_a.sid}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "618"
    # Another enterprise may use the same code.
    provision(operator, enterprise_b, **body)
    other = provision(operator, enterprise_a, "15550101", isExtension=True, extension="778")
    r = bg_admin.client.put(f"{URL}/{other['sid']}", {"extension": "777"}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "618"


def test_delete_is_a_soft_delete_that_releases_the_number(
    operator, bg_admin, enterprise_a, main_number, extension, system_a
):
    bg_admin.client.put(f"{URL}/{main_number['sid']}", {"autoAttendantSid": system_a.sid}, "json")
    system_a.extensions.add(PhoneNumber.objects.get(sid=extension["sid"]))
    for data in (main_number, extension):
        before = version(system_a)
        r = operator.client.delete(f"{URL}/{data['sid']}")
        assert version(system_a) > before
        assert r.status_code == 200
        assert r.json()["data"]["sid"] == data["sid"]
        assert "autoAttendantSid" not in r.json()["data"]
    # Kept for usage billing, gone from everything else.
    kept = PhoneNumber.objects.get(sid=main_number["sid"])
    assert kept.date_deleted is not None and kept.auto_attendant is None
    assert not system_a.main_numbers.exists() and not system_a.extensions.exists()
    assert bg_admin.client.get(f"{URL}/search").json()["data"]["total"] == 0
    for data in (main_number, extension):
        r = bg_admin.client.get(f"{URL}/search/{data['sid']}")
        assert r.status_code == 409 and r.json()["errorCode"] == "491"
        r = operator.client.delete(f"{URL}/{data['sid']}")
        assert r.json()["errorCode"] == "491"
    # The digits and the extension code are free again.
    provision(operator, enterprise_a, "1671331666")
    provision(operator, enterprise_a, "1671331777", isExtension=True, extension="777")


def test_unknown_and_foreign_numbers_answer_the_same_491(
    operator, bg_admin, bg_admin_b, enterprise_b
):
    foreign = provision(operator, enterprise_b, "15550199")["sid"]
    for sid in ("PH" + "0" * 32, foreign):
        r = bg_admin.client.get(f"{URL}/search/{sid}")
        assert r.status_code == 409
        assert r.json() == {
            "errorCode": "491",
            "message": "PhoneNumber not found",
            "data": {"sid": sid},
        }
        r = bg_admin.client.put(f"{URL}/{sid}", {"autoAttendantSid": None}, format="json")
        assert r.status_code == 409 and r.json()["errorCode"] == "491"
    assert bg_admin_b.client.get(f"{URL}/search/{foreign}").status_code == 200


def test_update_cannot_move_a_number_to_another_enterprise(
    bg_admin, operator, main_number, enterprise_b
):
    for actor in (bg_admin, operator):
        r = actor.client.put(
            f"{URL}/{main_number['sid']}", {"enterpriseSid": enterprise_b.sid}, format="json"
        )
        assert r.status_code == 409 and r.json()["errorCode"] == "467"


@pytest.fixture
def crowd(operator, enterprise_a, enterprise_b, system_a):
    rows = [
        ("15550003", {"isExtension": True, "extension": "103"}),
        ("15550001", {"autoAttendantSid": system_a.sid}),
        ("4420700002", {"isExtension": True, "extension": "102"}),
        ("15550004", {}),
    ]
    sids = [provision(operator, enterprise_a, n, **extra)["sid"] for n, extra in rows]
    provision(operator, enterprise_b, "15550999")
    for day, sid in enumerate(sids, start=1):
        PhoneNumber.objects.filter(sid=sid).update(
            date_created=dt.datetime(2020, 1, day, 9, tzinfo=dt.UTC)
        )


def _numbers(r):
    assert r.status_code == 200, r.json()
    return [n["number"] for n in r.json()["data"]["result"]]


def test_list_filters(bg_admin, crowd, system_a, enterprise_b):
    c = bg_admin.client
    assert _numbers(c.get(f"{URL}/search?isExtension=true")) == ["15550003", "4420700002"]
    assert _numbers(c.get(f"{URL}/search?isExtension=false")) == ["15550001", "15550004"]
    assert _numbers(c.get(f"{URL}/search?number=%2B1%20555-000")) == [
        "15550003",
        "15550001",
        "15550004",
    ]
    assert _numbers(c.get(f"{URL}/search?autoAttendantSid={system_a.sid}")) == ["15550001"]
    assert _numbers(c.get(f"{URL}/search?startTime=2020-01-02&endTime=2020-01-03T12:00")) == [
        "15550001",
        "4420700002",
    ]
    assert _numbers(c.get(f"{URL}/search?enterpriseSid={enterprise_b.sid}")) == []
    for bad in ("isExtension=maybe", "number=abc", "endTime=31/12/2020"):
        r = c.get(f"{URL}/search?{bad}")
        assert r.status_code == 400 and r.json()["errorCode"] == "612", bad


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("phoneNumber", ["15550001", "15550003", "15550004", "4420700002"]),
        ("phoneNumber:desc", ["4420700002", "15550004", "15550003", "15550001"]),
        ("dateCreated:desc", ["15550004", "4420700002", "15550001", "15550003"]),
    ],
)
def test_list_sorts(bg_admin, crowd, sort, expected):
    assert _numbers(bg_admin.client.get(f"{URL}/search?SortBy={sort}")) == expected


def test_operator_lists_every_enterprise(operator, crowd):
    assert len(_numbers(operator.client.get(f"{URL}/search"))) == 5


def test_list_query_count_does_not_grow_with_rows(operator, bg_admin, enterprise_a, system_a):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            r = bg_admin.client.get(f"{URL}/search?pageSize=100")
        assert r.status_code == 200
        return len(ctx.captured_queries), r.json()["data"]["total"]

    provision(operator, enterprise_a, "15550000", autoAttendantSid=system_a.sid)
    one, _ = count()
    for i in range(30):
        PhoneNumber.objects.create(
            enterprise=enterprise_a,
            number=f"1666000{i:04d}",
            auto_attendant=system_a if i % 2 else None,
            is_extension=not i % 2,
            extension=str(100 + i) if not i % 2 else "",
            created_by=operator.user,
        )
    many, total = count()
    # auth (user + enterprise) · count · page rows (+ creator, enterprise and system joined)
    assert one == many == 3
    assert total == 31


# --- races ---------------------------------------------------------------------------------------


def in_thread(work):
    """Run ``work`` on its own thread (so on its own database connection) and return its
    result; the connection is closed afterwards."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as exc:  # re-raised on the caller's thread
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture
def race_database(transactional_db, tmp_path):
    """A database on which concurrent writers wait for each other as in production.

    SQLite's in-memory test database (shared cache) answers "database table is locked" at once
    instead of waiting, which no deployment ever sees; a file database (the embedded default)
    honours the settings' IMMEDIATE transactions and busy timeout. So on SQLite the race runs
    on a fresh file database that only the test's threads use; PostgreSQL is used as it is.
    """
    if connection.vendor != "sqlite":
        yield
        return
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(tmp_path / "race.sqlite3")
    try:
        in_thread(lambda: call_command("migrate", verbosity=0))
        yield
    finally:
        settings_dict["NAME"] = original


def _setup_operator_and_enterprise():
    from autoattendant.models import Enterprise

    enterprise = Enterprise.objects.create(name="Racers")
    operator = make_actor("race@operator.example", None, "")
    return enterprise.sid, operator.user.account_sid, operator.token


def _race(username: str, token: str, payloads: list[dict]) -> list[tuple[int, str | None]]:
    """POST the payloads at the same moment from separate threads."""
    barrier = threading.Barrier(len(payloads))
    results: list = [None] * len(payloads)

    def run(i, payload):
        client = make_client(username, token)
        barrier.wait()
        r = client.post(URL, payload, format="json")
        results[i] = (r.status_code, r.json().get("errorCode"))

    threads = [
        threading.Thread(target=lambda i=i, p=p: in_thread(lambda: run(i, p)))
        for i, p in enumerate(payloads)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return sorted(results, key=lambda result: result[0])


def test_racing_to_provision_the_same_number_gives_one_200_and_one_617(race_database):
    enterprise_sid, username, token = in_thread(_setup_operator_and_enterprise)
    payload = {"number": "15551234", "enterpriseSid": enterprise_sid}
    assert _race(username, token, [payload, payload]) == [(200, None), (409, "617")]
    assert in_thread(lambda: PhoneNumber.objects.filter(number="15551234").count()) == 1


def test_racing_to_provision_the_same_extension_gives_one_200_and_one_618(race_database):
    enterprise_sid, username, token = in_thread(_setup_operator_and_enterprise)
    payloads = [
        {"number": n, "enterpriseSid": enterprise_sid, "isExtension": True, "extension": "200"}
        for n in ("15551234", "15551235")
    ]
    assert _race(username, token, payloads) == [(200, None), (409, "618")]
    assert in_thread(lambda: PhoneNumber.objects.filter(extension="200").count()) == 1


@pytest.mark.parametrize(
    ("check", "payload", "code"),
    [
        ("_check_number_free", {"number": "1671331666"}, "617"),
        (
            "_check_extension_free",
            {"number": "15550100", "isExtension": True, "extension": "777"},
            "618",
        ),
    ],
)
def test_a_race_lost_at_the_database_constraint_is_answered_like_the_check(
    operator, enterprise_a, main_number, extension, monkeypatch, check, payload, code
):
    """As on PostgreSQL, where both writers pass the check and one insert then fails."""
    from autoattendant.services import numbers

    real = getattr(numbers, check)
    calls = []

    def blind_first_time(*args, **kwargs):
        calls.append(args)
        if len(calls) > 1:
            real(*args, **kwargs)

    monkeypatch.setattr(numbers, check, blind_first_time)
    r = operator.client.post(URL, {**payload, "enterpriseSid": enterprise_a.sid}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == code
    assert PhoneNumber.objects.count() == 2


@pytest.mark.parametrize(
    "payload",
    [{"isExtension": "perhaps"}, {"extension": "12ab"}, {"autoAttendantSid": ["AA"]}],
)
def test_update_garbage_is_a_400(bg_admin, extension, payload):
    r = bg_admin.client.put(f"{URL}/{extension['sid']}", payload, format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "600"
    r = bg_admin.client.put(f"{URL}/{extension['sid']}", "[1, 2", content_type="application/json")
    assert r.status_code == 400 and r.json()["errorCode"] == "601"
