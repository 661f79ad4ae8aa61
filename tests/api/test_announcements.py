"""Announcements: every example of the spec's "Announcement" section, its error codes, the
delete protections, tenancy and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import Announcement, Menu, MenuKey

pytestmark = pytest.mark.django_db

URL = "/autoattendant/announcement"

SPEC_CREATE = {
    "name": "Welcome announcement",
    "description": "Announcement made during working hours",
}

SAY = {
    "name": "Working Hours",
    "type": "say",
    "body": "Welcome to Bob's Car Services. To reach to desired extension, please press 1.",
    "language": "google.en-GB-Wavenet-A",
    "voice": "woman",
}


def create(actor, payload, **extra):
    r = actor.client.post(URL, {**payload, **extra}, format="json")
    assert r.status_code == 200, r.json()
    return r.json()["data"]


def test_it_creates_an_announcement_as_the_spec_shows(bg_admin, enterprise_a):
    r = bg_admin.client.post(URL, {**SPEC_CREATE, "enterpriseSid": enterprise_a.sid}, format="json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["code"] == 200 and doc["message"] == "OK"
    data = doc["data"]
    sid = data["sid"]
    assert sid.startswith("AN") and len(sid) == 34
    assert data == {
        "sid": sid,
        "dateUpdated": data["dateUpdated"],
        "dateCreated": data["dateCreated"],
        "accountEmail": bg_admin.user.email,
        "uri": f"/autoattendant/announcement/search/{sid}",
        "name": "Welcome announcement",
        "description": "Announcement made during working hours",
        "type": "play",
        "enterpriseSid": enterprise_a.sid,
    }
    assert data["dateCreated"].endswith("+0000") and len(data["dateCreated"]) == 24


def test_a_say_announcement_shows_its_speech_fields(aa_admin, enterprise_a):
    data = create(aa_admin, SAY)
    assert data["type"] == "say"
    assert data["body"] == SAY["body"]
    assert data["language"] == "google.en-GB-Wavenet-A"
    assert data["voice"] == "woman"
    assert data["enterpriseSid"] == enterprise_a.sid
    assert "fileUri" not in data


def test_language_and_voice_are_case_insensitive_and_stored_canonical(bg_admin):
    data = create(bg_admin, {**SAY, "type": "SAY", "language": "EN-gb", "voice": "Man"})
    assert (data["type"], data["language"], data["voice"]) == ("say", "en-gb", "man")


@pytest.mark.parametrize("kind", ["sing", "PLAYBACK", "5"])
def test_an_unknown_type_is_520(bg_admin, kind):
    r = bg_admin.client.post(URL, {**SPEC_CREATE, "type": kind}, format="json")
    assert r.status_code == 409
    doc = r.json()
    assert doc["errorCode"] == "520" and doc["message"] == "Announcement Type Not Found"
    assert doc["data"]["name"] == SPEC_CREATE["name"]  # what was sent is echoed
    assert not Announcement.objects.exists()


@pytest.mark.parametrize("missing", ["body", "language", "voice"])
def test_a_say_without_body_language_or_voice_is_519(bg_admin, missing):
    payload = {k: v for k, v in SAY.items() if k != missing}
    r = bg_admin.client.post(URL, payload, format="json")
    assert r.status_code == 409
    assert r.json()["errorCode"] == "519"
    assert r.json()["message"] == "Say Required Parameters Missing"
    assert r.json()["data"]["missing"] == [missing]
    r = bg_admin.client.post(URL, {**SAY, missing: "  "}, format="json")
    assert r.json()["errorCode"] == "519"


def test_an_unsupported_language_is_521(bg_admin, settings):
    r = bg_admin.client.post(URL, {**SAY, "language": "klingon"}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "521"
    assert r.json()["message"] == "Announcement Language Not Found"
    # The list is configurable.
    settings.TTS_LANGUAGES = ["klingon"]
    assert create(bg_admin, {**SAY, "language": "Klingon"})["language"] == "klingon"


def test_tts_languages_narrows_the_accepted_set_to_the_synthesizers(bg_admin, settings):
    settings.TTS_LANGUAGES = ["en", "fr"]
    r = bg_admin.client.post(URL, {**SAY, "language": "de"}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "521"
    assert r.json()["data"]["language"] == "de"
    # The spec's own voices are refused too once the deployment leaves them out.
    r = bg_admin.client.post(URL, SAY, format="json")
    assert r.json()["errorCode"] == "521"
    assert create(bg_admin, {**SAY, "language": "fr"})["language"] == "fr"
    assert create(bg_admin, {**SAY, "language": "FR"})["language"] == "fr"  # case-insensitive


def test_a_voice_other_than_man_or_woman_is_522(bg_admin):
    r = bg_admin.client.post(URL, {**SAY, "voice": "robot"}, format="json")
    assert r.status_code == 409
    assert r.json()["errorCode"] == "522"
    assert r.json()["message"] == "Announcement Voice Not Found"


def test_another_enterprise_is_467(bg_admin, enterprise_b):
    r = bg_admin.client.post(URL, {**SPEC_CREATE, "enterpriseSid": enterprise_b.sid}, format="json")
    assert r.status_code == 409
    assert r.json()["errorCode"] == "467"
    assert r.json()["data"]["sid"] == enterprise_b.sid
    assert not Announcement.objects.exists()


def test_an_unknown_or_foreign_aa_system_is_490(bg_admin, system_a, system_b):
    for sid in ("AA" + "0" * 32, system_b.sid, "nonsense"):
        r = bg_admin.client.post(URL, {**SPEC_CREATE, "autoAttendantSid": sid}, format="json")
        assert r.status_code == 409
        assert r.json()["errorCode"] == "490"
        assert r.json()["message"] == "AutoAttendant System not found"
    assert not Announcement.objects.exists()
    # Naming one of its own systems is fine (announcements belong to the enterprise).
    data = create(bg_admin, SPEC_CREATE, autoAttendantSid=system_a.sid)
    assert "autoAttendantSid" not in data


def test_operator_creates_in_a_named_enterprise(operator, enterprise_b):
    data = create(operator, SPEC_CREATE, enterpriseSid=enterprise_b.sid)
    assert data["enterpriseSid"] == enterprise_b.sid
    r = operator.client.post(URL, SPEC_CREATE, format="json")
    assert r.status_code == 400 and "enterpriseSid" in r.json()["data"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"description": "no name"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": ["a list"]}, "name"),
        ({"name": "ok", "body": {"an": "object"}}, "body"),
    ],
)
def test_garbage_is_a_400_naming_the_field(bg_admin, payload, field):
    r = bg_admin.client.post(URL, payload, format="json")
    assert r.status_code == 400
    assert r.json()["errorCode"] == "600"
    assert field in r.json()["data"]


def test_malformed_json_and_non_objects_are_400(bg_admin):
    r = bg_admin.client.post(URL, "{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["errorCode"] == "601"
    r = bg_admin.client.post(URL, ["a", "list"], format="json")
    assert r.status_code == 400 and r.json()["errorCode"] == "600"


def test_get_single_announcement(bg_admin, aa_admin):
    sid = create(aa_admin, SPEC_CREATE)["sid"]
    r = bg_admin.client.get(f"{URL}/search/{sid}")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["sid"] == sid and data["accountEmail"] == aa_admin.user.email
    assert data["name"] == "Welcome announcement"


def test_unknown_and_foreign_announcements_answer_the_same_500(bg_admin, bg_admin_b):
    foreign = create(bg_admin_b, SPEC_CREATE)["sid"]
    for sid in ("AN" + "0" * 32, foreign):
        r = bg_admin.client.get(f"{URL}/search/{sid}")
        assert r.status_code == 409
        assert r.json() == {
            "errorCode": "500",
            "message": "Announcement not found",
            "data": {"sid": sid},
        }
        r = bg_admin.client.put(f"{URL}/{sid}", {"name": "mine now"}, format="json")
        assert r.status_code == 409 and r.json()["errorCode"] == "500"
        r = bg_admin.client.delete(f"{URL}/{sid}")
        assert r.status_code == 409 and r.json()["errorCode"] == "500"
    assert Announcement.objects.get(sid=foreign).name == SPEC_CREATE["name"]


def test_update_is_partial_as_in_the_spec(bg_admin, enterprise_a):
    sid = create(bg_admin, SPEC_CREATE)["sid"]
    body = {
        "name": "Working Hours",
        "description": "Working Hours Announcement",
        "enterpriseSid": enterprise_a.sid,
    }
    r = bg_admin.client.put(f"{URL}/{sid}", body, format="json")
    assert r.status_code == 200
    data = r.json()["data"]
    assert (data["name"], data["description"], data["type"]) == (
        "Working Hours",
        "Working Hours Announcement",
        "play",
    )
    # Turning it into speech needs the speech fields (sent now or stored before).
    r = bg_admin.client.put(f"{URL}/{sid}", {"type": "say"}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "519"
    r = bg_admin.client.patch(f"{URL}/{sid}", {k: SAY[k] for k in SAY if k != "name"}, "json")
    assert r.status_code == 200
    assert r.json()["data"]["voice"] == "woman" and r.json()["data"]["name"] == "Working Hours"
    r = bg_admin.client.put(f"{URL}/{sid}", {"voice": "MAN"}, format="json")
    assert r.json()["data"]["voice"] == "man" and r.json()["data"]["body"] == SAY["body"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"type": "video"}, "520"),
        ({"language": "xx-yy"}, "521"),
        ({"voice": "child"}, "522"),
        ({"body": ""}, "519"),
        ({"autoAttendantSid": "AA" + "1" * 32}, "490"),
    ],
)
def test_update_errors(bg_admin, change, code):
    sid = create(bg_admin, SAY)["sid"]
    r = bg_admin.client.put(f"{URL}/{sid}", change, format="json")
    assert r.status_code == 409
    assert r.json()["errorCode"] == code
    assert Announcement.objects.get(sid=sid).voice == "woman"


def test_update_cannot_move_it_to_another_enterprise(operator, bg_admin, enterprise_b):
    sid = create(bg_admin, SPEC_CREATE)["sid"]
    for actor in (bg_admin, operator):
        r = actor.client.put(f"{URL}/{sid}", {"enterpriseSid": enterprise_b.sid}, format="json")
        assert r.status_code == 409 and r.json()["errorCode"] == "467"


def test_update_bumps_the_flow_version_of_systems_that_play_it(bg_admin, system_a, enterprise_a):
    sid = create(bg_admin, SPEC_CREATE)["sid"]
    Menu.objects.create(
        enterprise=enterprise_a,
        auto_attendant=system_a,
        name="Day",
        announcement=Announcement.objects.get(sid=sid),
    )
    system_a.refresh_from_db()
    before = system_a.flow_version
    bg_admin.client.put(f"{URL}/{sid}", {"name": "New"}, format="json")
    system_a.refresh_from_db()
    assert system_a.flow_version > before


def test_delete_as_in_the_spec(bg_admin):
    created = create(bg_admin, {"name": "test", "description": "testannouncement"})
    r = bg_admin.client.delete(f"{URL}/{created['sid']}")
    assert r.status_code == 200
    assert r.json()["data"] == created
    assert not Announcement.objects.filter(sid=created["sid"]).exists()
    r = bg_admin.client.get(f"{URL}/search/{created['sid']}")
    assert r.json()["errorCode"] == "500"


@pytest.fixture
def announcement(bg_admin):
    return Announcement.objects.get(sid=create(bg_admin, SPEC_CREATE)["sid"])


def _menu(system, **extra):
    return Menu.objects.create(
        enterprise=system.enterprise, auto_attendant=system, name="Day", **extra
    )


@pytest.mark.parametrize("field", ["announcement", "ringback_tone"])
def test_an_announcement_a_menu_plays_cannot_be_deleted_507(
    bg_admin, system_a, announcement, field
):
    _menu(system_a, **{field: announcement})
    r = bg_admin.client.delete(f"{URL}/{announcement.sid}")
    assert r.status_code == 409
    assert r.json() == {
        "errorCode": "507",
        "message": "This Announcement cannot be deleted as it is being used in a menu.",
        "data": {"sid": announcement.sid},
    }
    assert Announcement.objects.filter(pk=announcement.pk).exists()


def _key_action(system, announcement):
    MenuKey.objects.create(
        menu=_menu(system), key="1", action_type="ANNOUNCEMENT_HANGUP", action_data=announcement.sid
    )


def _menu_timeout(system, announcement):
    _menu(system, timeout_action_type="ANNOUNCEMENT_RETURN", timeout_action_data=announcement.sid)


def _system_action(prefix):
    def apply(system, announcement):
        setattr(system, f"{prefix}_action_type", "ANNOUNCEMENT_HANGUP")
        setattr(system, f"{prefix}_action_data", announcement.sid)
        system.save()

    return apply


@pytest.mark.parametrize(
    "use",
    [
        _key_action,
        _menu_timeout,
        _system_action("timeout"),
        _system_action("invalid_input"),
        _system_action("invalid_extension"),
    ],
)
def test_an_announcement_an_action_uses_cannot_be_deleted_523(
    bg_admin, system_a, announcement, use
):
    use(system_a, announcement)
    r = bg_admin.client.delete(f"{URL}/{announcement.sid}")
    assert r.status_code == 409
    assert r.json()["errorCode"] == "523"
    assert r.json()["message"] == (
        "Announcement cannot be deleted as it is assigned to an action in a menu."
    )
    assert Announcement.objects.filter(pk=announcement.pk).exists()


def test_507_is_checked_before_523(bg_admin, system_a, announcement):
    _key_action(system_a, announcement)
    _menu(system_a, ringback_tone=announcement)
    r = bg_admin.client.delete(f"{URL}/{announcement.sid}")
    assert r.json()["errorCode"] == "507"


@pytest.fixture
def crowd(bg_admin, bg_admin_b):
    names = ["Welcome", "after hours", "Holiday greeting", "welcome back", "Zeta"]
    sids = [create(bg_admin, {"name": n})["sid"] for n in names]
    create(bg_admin_b, {"name": "Welcome to Bolt"})
    stamps = [dt.datetime(2020, 1, d, 12, 0, tzinfo=dt.UTC) for d in range(1, 6)]
    for sid, stamp in zip(sids, stamps, strict=True):
        Announcement.objects.filter(sid=sid).update(date_created=stamp)
    return names


def _names(r):
    assert r.status_code == 200, r.json()
    return [a["name"] for a in r.json()["data"]["result"]]


def test_list_as_in_the_spec(bg_admin, enterprise_a, crowd):
    r = bg_admin.client.get(
        f"{URL}/search?enterpriseSid={enterprise_a.sid}&name=Welcome%20announcement"
    )
    data = r.json()["data"]
    assert data["result"] == [] and data["total"] == 0
    r = bg_admin.client.get(f"{URL}/search?enterpriseSid={enterprise_a.sid}&name=welcome")
    data = r.json()["data"]
    assert [a["name"] for a in data["result"]] == ["Welcome", "welcome back"]
    assert data["pageSize"] == 10 and data["total"] == 2 and data["numPages"] == 1
    assert (data["start"], data["end"], data["page"]) == (0, 1, 0)
    assert data["uri"] == (
        f"/autoattendant/announcement/search?enterpriseSid={enterprise_a.sid}&name=welcome"
        "&pageSize=10&page=0"
    )


def test_list_filters_by_time_and_never_shows_other_enterprises(bg_admin, bg_admin_b, crowd):
    c = bg_admin.client
    assert _names(c.get(f"{URL}/search?startTime=2020-01-02&endTime=2020-01-04")) == [
        "after hours",
        "Holiday greeting",
    ]
    assert _names(c.get(f"{URL}/search?startTime=2020-01-05T12:00:00")) == ["Zeta"]
    assert _names(c.get(f"{URL}/search?enterpriseSid={bg_admin_b.user.enterprise.sid}")) == []
    assert "Welcome to Bolt" not in _names(c.get(f"{URL}/search?pageSize=100"))
    r = c.get(f"{URL}/search?startTime=yesterday")
    assert r.status_code == 400 and r.json()["errorCode"] == "612"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["after hours", "Holiday greeting", "Welcome", "welcome back", "Zeta"]),
        ("name:desc", ["Zeta", "welcome back", "Welcome", "Holiday greeting", "after hours"]),
        (
            "dateCreated:desc",
            ["Zeta", "welcome back", "Holiday greeting", "after hours", "Welcome"],
        ),
    ],
)
def test_list_sorts(bg_admin, crowd, sort, expected):
    assert _names(bg_admin.client.get(f"{URL}/search?SortBy={sort}")) == expected


def test_an_unknown_sort_is_400(bg_admin):
    r = bg_admin.client.get(f"{URL}/search?SortBy=voice")
    assert r.status_code == 400 and r.json()["errorCode"] == "611"


def test_operator_sees_every_enterprise(operator, crowd):
    assert "Welcome to Bolt" in _names(operator.client.get(f"{URL}/search?pageSize=100"))


def test_unauthenticated_is_401(anon):
    r = anon.get(f"{URL}/search")
    assert r.status_code == 401 and r.json()["errorCode"] == "602"


def test_list_query_count_does_not_grow_with_rows(bg_admin, enterprise_a):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            r = bg_admin.client.get(f"{URL}/search?pageSize=100")
        assert r.status_code == 200
        return len(ctx.captured_queries), r.json()["data"]["total"]

    create(bg_admin, SAY)
    one, total = count()
    for i in range(30):
        Announcement.objects.create(enterprise=enterprise_a, name=f"a{i}", created_by=bg_admin.user)
    many, total_after = count()
    # auth (user + enterprise) · count · page rows (+ creator and enterprise joined)
    assert one == many == 3
    assert (total, total_after) == (1, 31)
