"""Schemathesis over the OpenAPI schema: every operation of ``/autoattendant/schema/``, with data
generated from the schema itself, answers as the schema says — never a 5xx, only documented
statuses, the documented content type, bodies and headers that validate against the schema.

The application runs in-process (``schemathesis.openapi.from_wsgi`` on Django's WSGI handler) in
the test's transaction, on a small world: one enterprise with an AA system, three menus (keys, a
timeout action, a schedule, a default menu), a main number and an extension, a ``say``
announcement and a ``play`` one with its WAV file, an operator, a BG_ADMIN and an AA_ADMIN. It
is driven three ways: as the operator and as the BG_ADMIN (auth tokens), each operation with
positive data (valid by the schema; half of it on the world's real sids and references, so that
reads, updates, uploads and deletes find something) and, where the operation has a query or a
body to get wrong, negative data; and anonymously, where every operation must answer its
documented 401 with ``WWW-Authenticate``. Operations run reads first and deletes last, so most
of them meet the world whole.

Bounded and deterministic (derandomised, no example database, no shrinking): the same requests
on every run, about a minute on two cores. ``-s`` prints the figures (``docs/reliability.md``
quotes them).
"""

from __future__ import annotations

import base64
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core import signals
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from autoattendant.choices import ActionType, Role
from autoattendant.models import (
    AutoAttendantSystem,
    Call,
    HolidayCalendar,
    HolidayEntry,
    Mailbox,
    PhoneNumber,
    Voicemail,
)
from autoattendant.runtime.recording import store_steps
from tests.builders import make_announcement, make_extension, make_menu, make_weekly_block, real_wav

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

SCHEMA_PATH = "/autoattendant/schema/?format=json"
METHODS = ("get", "post", "put", "patch", "delete")

#: Examples per operation and generation mode (and, anonymous, per operation).
POSITIVE_EXAMPLES = 20
NEGATIVE_EXAMPLES = 10
ANONYMOUS_EXAMPLES = 2

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

HYPOTHESIS = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "phases": [Phase.explicit, Phase.generate],
    "suppress_health_check": list(HealthCheck),
}


@dataclass
class World:
    """What real data names: the rows path parameters name (``resource`` → sid: rows nothing
    else uses, so that a delete can succeed), the rows body fields name (``REFERENCES``), the
    main number."""

    sids: dict[str, str]
    references: dict[str, str]
    main_number: str


@dataclass
class Figures:
    operations: set[str] = field(default_factory=set)
    examples: Counter = field(default_factory=Counter)  # by generation mode
    statuses: Counter = field(default_factory=Counter)
    succeeded: set[str] = field(default_factory=set)  # operations that answered a 200
    failures: dict[str, str] = field(default_factory=dict)
    no_negative_data: list[str] = field(default_factory=list)


@pytest.fixture
def wsgi_app() -> WSGIHandler:
    return WSGIHandler()


@contextmanager
def keeping_the_connection():
    """Requests to Django's WSGI handler in the test's transaction: like Django's test client
    (which connects the handlers again after each of its requests), it must not close the
    connection as each request starts and ends — that would end the transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(enterprise_a, operator, bg_admin, aa_admin) -> World:
    system = AutoAttendantSystem.objects.create(
        enterprise=enterprise_a, name="Acme main line", created_by=bg_admin.user
    )
    greeting = make_announcement(enterprise_a, "Greeting", created_by=bg_admin.user)
    music = make_announcement(enterprise_a, "Hold music", type="play", created_by=bg_admin.user)
    upload = bg_admin.client.post(
        f"/autoattendant/file/announcement/{music.sid}",
        {"file": _wav_file()},
        format="multipart",
    )
    assert upload.status_code == 200, upload.content
    after_hours = make_menu(system, "After hours", keys={"0": ActionType.HANGUP})
    office = make_menu(
        system,
        "Office hours",
        keys={
            "1": (ActionType.ANNOUNCEMENT_RETURN, greeting.sid),
            "2": (ActionType.GO_TO_MENU, after_hours.sid),
            "9": ActionType.DIAL_BY_EXTENSION,
        },
        color_code="#3366ff",
        timeout_seconds=5,
        timeout_max=3,
        timeout_action_type=ActionType.HANGUP,
        announcement=greeting,
        created_by=bg_admin.user,
    )
    make_weekly_block(office, [(day, "09:00", "17:00") for day in range(1, 6)])
    holidays = make_menu(
        system,
        "Holidays",
        keys={"0": (ActionType.TRANSFER_TO_PHONE, "15550009999")},
        color_code="#cc0000",
        ringback_tone=greeting,
        created_by=bg_admin.user,
    )
    system.default_menu = after_hours
    system.save()
    main = PhoneNumber.objects.create(
        enterprise=enterprise_a, number="15550001000", auto_attendant=system
    )
    extension = make_extension(enterprise_a, "15550001101", "101", "Alice Boss")
    system.extensions.add(extension)
    calendar = HolidayCalendar.objects.create(
        enterprise=enterprise_a, name="Holidays", country="US", created_by=bg_admin.user
    )
    HolidayEntry.objects.create(calendar=calendar, name="Memorial Day", month=5, weekday=1, nth=-1)
    mailbox = Mailbox.objects.create(enterprise=enterprise_a, name="Desk", greeting=greeting)
    voicemail = Voicemail.objects.create(
        enterprise=enterprise_a, mailbox=mailbox, caller="15550002222", time=timezone.now()
    )
    voicemail.audio.save(f"{voicemail.sid}.wav", ContentFile(real_wav()))
    store_steps(
        [("CAworld", enterprise_a.sid, system.sid, "rcml", main.number, "15550002222", 1,
          1767225600.0, office.sid, "", "", "PROMPT", "", "IN_PROGRESS", "", office.sid)]
    )  # fmt: skip
    return World(
        sids={
            "call": Call.objects.get(call_sid="CAworld").sid,
            "announcement": music.sid,
            "menu": holidays.sid,
            "system": system.sid,
            "phonenumber": main.sid,
            "user": aa_admin.user.sid,  # never the caller: a run must not lock itself out
            "enterprise": enterprise_a.sid,
            "calendar": calendar.sid,
            "mailbox": mailbox.sid,
            "voicemail": voicemail.sid,
        },
        references={
            "system": system.sid,
            "enterprise": enterprise_a.sid,
            "announcement": greeting.sid,
            "menu": office.sid,
            "calendar": calendar.sid,
        },
        main_number=main.number,
    )


def _wav_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("music.wav", real_wav(), content_type="audio/wav")


def _basic(username: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{secret}".encode()).decode()


def _documented_operations(raw: dict) -> set[str]:
    return {
        f"{method.upper()} {path}"
        for path, operations in raw["paths"].items()
        for method in operations
        if method in METHODS
    }


def _in_order(operations: list) -> list:
    """Reads first, deletes last: most operations meet the world whole."""
    return sorted(operations, key=lambda op: (METHODS.index(op.method.lower()), op.path))


def _real_path_parameters(operation, world: World) -> dict[str, str] | None:
    names = {p.name for p in operation.path_parameters}
    if "phoneNumber" in names:
        return {"phoneNumber": world.main_number}
    if "sid" in names:
        resource = operation.path.split("/")[2]  # /autoattendant/<resource>/…
        if resource == "file":
            resource = "announcement"
        return {"sid": world.sids[resource]}
    return None


#: Body fields naming a row of the world: half the positive examples name a real one.
REFERENCES = {
    "autoAttendantSid": "system",
    "enterpriseSid": "enterprise",
    "announcementSid": "announcement",
    "ringbackToneSid": "announcement",
    "menuSid": "menu",
    "defaultMenuSid": "menu",
    "calendarSid": "calendar",
    "greetingAnnouncementSid": "announcement",
    "invalidInputAnnouncementSid": "announcement",
    "timeoutAnnouncementSid": "announcement",
}


def _with_real_references(value, world: World):
    """``value`` (a body) with every field of ``REFERENCES``, at any depth, naming the world's
    row; anything else as generated."""
    if isinstance(value, dict):
        return {
            key: world.references[REFERENCES[key]]
            if key in REFERENCES
            else _with_real_references(item, world)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_with_real_references(item, world) for item in value]
    return value


def _on_the_world(case, world: World):
    if isinstance(case.body, dict | list):
        case.body = _with_real_references(case.body, world)
    return case


def _strategy(operation, mode, world: World):
    """Positive data: as generated, or on the world's rows (real path sids, body references and
    the schedule's system); negative data as generated."""
    generated = operation.as_strategy(generation_mode=mode)
    if mode is not schemathesis.GenerationMode.POSITIVE:
        return generated
    fixed = {}
    if (real := _real_path_parameters(operation, world)) is not None:
        fixed["path_parameters"] = real
    if operation.path == "/autoattendant/schedule/search":
        fixed["query"] = {"autoAttendantSid": world.references["system"]}
    if operation.path == "/autoattendant/file/announcement/{sid}":
        fixed.update(body={"file": real_wav()}, media_type="multipart/form-data")
    on_the_world = operation.as_strategy(generation_mode=mode, **fixed).map(
        lambda case: _on_the_world(case, world)
    )
    return st.one_of(generated, on_the_world)


def _has_negative_data(operation) -> bool:
    """Negative data needs something to get wrong: a query parameter or a body (any string is a
    valid path parameter)."""
    return bool(operation.query) or bool(operation.body)


def _summary(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 4000 else text[:4000] + " …"


def run_operation(operation, mode, examples: int, strategy, headers: dict, figures: Figures):
    label = operation.label

    @given(case=strategy)
    @settings(max_examples=examples, **HYPOTHESIS)
    def conforms(case):
        figures.examples[mode] += 1
        response = case.call(headers=headers)
        figures.statuses[response.status_code] += 1
        if response.status_code == 200:
            figures.succeeded.add(label)
        case.validate_response(response, checks=CHECKS)

    before = sum(figures.examples.values())
    try:
        conforms()
    except Unsatisfiable as exc:
        if mode != "negative":
            figures.failures[f"{label} [{mode}]"] = _summary(exc)
        figures.no_negative_data.append(label)
    except BaseException as exc:  # hypothesis re-raises the check's FailureGroup
        if isinstance(exc, KeyboardInterrupt):
            raise
        figures.failures[f"{label} [{mode}]"] = _summary(exc)
    if sum(figures.examples.values()) > before:
        figures.operations.add(label)  # run: at least one request sent


@keeping_the_connection()
def run_schema(wsgi_app, world: World, authorization: str | None) -> tuple[Figures, set[str]]:
    config = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, wsgi_app, config=config)
    documented = _documented_operations(schema.raw_schema)
    operations = _in_order([result.ok() for result in schema.get_all_operations()])
    figures = Figures()
    started = time.monotonic()
    for operation in operations:
        if authorization is None:
            mode = schemathesis.GenerationMode.POSITIVE
            strategy = operation.as_strategy(generation_mode=mode)
            run_operation(operation, "anonymous", ANONYMOUS_EXAMPLES, strategy, {}, figures)
            continue
        headers = {"Authorization": authorization}
        for mode, examples in (
            (schemathesis.GenerationMode.POSITIVE, POSITIVE_EXAMPLES),
            (schemathesis.GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
        ):
            if mode is schemathesis.GenerationMode.NEGATIVE and not _has_negative_data(operation):
                continue
            strategy = _strategy(operation, mode, world)
            run_operation(operation, mode.value, examples, strategy, headers, figures)
    elapsed = time.monotonic() - started
    print(
        f"\nSchemathesis ({'anonymous' if authorization is None else 'authenticated'}): "
        f"{len(figures.operations)} operations, {sum(figures.examples.values())} examples "
        f"({dict(figures.examples)}), statuses {dict(sorted(figures.statuses.items()))}, "
        f"{len(figures.succeeded)} operations answered a 200, "
        f"{len(figures.failures)} failures, {elapsed:.1f} s"
    )
    if authorization is not None:
        print(f"No 200 from {sorted(documented - figures.succeeded)}")
    return figures, documented


def assert_conforms(figures: Figures, documented: set[str]) -> None:
    assert not figures.failures, "\n\n".join(f"{k}:\n{v}" for k, v in figures.failures.items())
    assert not [status for status in figures.statuses if status >= 500]
    assert figures.operations == documented


@pytest.mark.parametrize("role", ["operator", "bg_admin"])
def test_every_operation_answers_as_the_schema_says(role, request, wsgi_app, world):
    actor = request.getfixturevalue(role)
    figures, documented = run_schema(wsgi_app, world, _basic(actor.user.account_sid, actor.token))
    assert_conforms(figures, documented)


def test_every_operation_answers_an_anonymous_caller_its_documented_401(wsgi_app, world):
    figures, documented = run_schema(wsgi_app, world, None)
    assert_conforms(figures, documented)
    # A NUL byte in the path or the query is refused (400) before anyone is authenticated.
    assert set(figures.statuses) <= {400, 401}
    assert figures.statuses[401] > figures.statuses[400]


def test_the_world_has_what_the_schema_may_omit(bg_admin, world):
    """The seeded rows carry both forms of each optional field (set and unset), so the run
    checks the schema against each."""
    menus = bg_admin.client.get("/autoattendant/menu/search").json()["data"]["result"]
    assert {"timeoutAction" in m and "announcementSid" in m for m in menus} == {True, False}
    numbers = bg_admin.client.get("/autoattendant/phonenumber/search").json()["data"]["result"]
    assert {"extension" in n for n in numbers} == {True, False}
    announcements = bg_admin.client.get("/autoattendant/announcement/search").json()["data"]
    assert {"fileUri" in a for a in announcements["result"]} == {True, False}
    assert Role.AA_ADMIN in {
        u["role"]
        for u in bg_admin.client.get("/autoattendant/user/search").json()["data"]["result"]
    }
