"""One enterprise as one JSON document: ``export_enterprise`` writes it, ``do_import_enterprise``
loads it into a new enterprise (``manage.py export_enterprise`` / ``import_enterprise``).

The document holds the enterprise's users (no passwords, no auth tokens), live phone numbers,
announcements (WAV audio inline as base64), AA systems, menus and schedules, in the API's field
names. Every record keeps its sid so that references (``autoAttendantSid``, ``menuSid``, an
action's ``actionData``…) can be followed; an import gives every record a new sid and rewrites
the references, so export → import → export yields the same document but for sids and dates.

An import is all or nothing. Records go through the same services as the API (``do_create_*``,
``do_replace_schedule``…), so a hand-edited file meets every rule the API enforces; each bad record
is reported with the line of the file where it starts and the reason, and nothing is kept. Users
arrive without a password or token (the operator issues them); numbers and emails stay unique in
the installation, so a file can be imported where its numbers and emails are free — another
installation, or this one once the original enterprise has released them. The enterprise's name
may repeat an existing one: an import always creates a new enterprise.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.db.models.functions import Lower

from ..audio import InvalidWav, inspect_wav
from ..choices import (
    EnterpriseStatus,
    Role,
    ScheduleType,
    SystemLanguage,
    SystemStatus,
    UserStatus,
)
from ..errors import AppError, rename_fields
from ..models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    Menu,
    PhoneNumber,
    ScheduleBlock,
    User,
)
from ..timestamps import format_timestamp
from .announcements import do_create_announcement, file_name_for
from .enterprises import do_create_enterprise
from .menus import do_create_menu, do_update_menu, keypad_order
from .number_import import NumberRow, Problem, Progress, check_numbers, parse_bool, write_numbers
from .schedules import BlockInput, EntryInput, do_replace_schedule
from .systems import do_create_system, do_update_system, is_timezone

__all__ = [
    "FORMAT",
    "VERSION",
    "EnterpriseImportResult",
    "do_import_enterprise",
    "dump_document",
    "export_enterprise",
    "load_document",
]

FORMAT = "autoattendant-enterprise"
VERSION = 1
SECTIONS = ("users", "numbers", "announcements", "systems", "menus", "schedules")
ACTIONS = ("timeout", "invalidInput", "invalidExtension")
# The document's names for what the services name in model terms, so that a problem reported
# from a service names the field as the file spells it.
DOCUMENT_NAMES = {
    "color_code": "colorCode",
    "announcement": "announcementSid",
    "ringback_tone": "ringbackToneSid",
    "timeout_seconds": "timeoutSeconds",
    "timeout_max": "timeoutMaxOccurance",
    "timeout_action": "timeoutAction",
    "key": "menuKey",
    "action": "menuAction",
    "action_type": "actionType",
    "action_data": "actionData",
    "timezone_id": "timezoneId",
    "invalid_input_max": "invalidInputMaxOccurance",
    "invalid_extension_max": "invalidExtensionMaxOccurance",
    "invalid_input_action": "invalidInputAction",
    "invalid_extension_action": "invalidExtensionAction",
    "main_numbers": "aaNumbers",
    "default_menu": "defaultMenuSid",
    "auto_attendant": "autoAttendantSid",
    "schedule_type": "scheduleType",
    "menu": "menuSid",
    "start_date": "startDate",
    "end_date": "endDate",
    "start_time": "startTime",
    "end_time": "endTime",
    "referenced_by": "referencedBy",
}


def _email(user: User | None) -> str | None:
    return user.email if user is not None else None


def _sid(obj: Any) -> str | None:
    return obj.sid if obj is not None else None


def _document_action(action_type: str, action_data: str) -> dict:
    """An action as the document (like the API) writes it; ``{}`` when none is set."""
    if not action_type:
        return {}
    return {"actionType": action_type, **({"actionData": action_data} if action_data else {})}


# --- export ------------------------------------------------------------------------------------


def _audio(announcement: Announcement, warn: Callable[[str], None] | None) -> str | None:
    if not announcement.file:
        return None
    try:
        with announcement.file.open("rb") as stream:
            return base64.b64encode(stream.read()).decode("ascii")
    except OSError as exc:
        if warn:
            warn(f"announcement {announcement.sid}: audio file unreadable ({exc}); left out")
        return None


def export_enterprise(enterprise: Enterprise, *, warn: Callable[[str], None] | None = None) -> dict:
    """The whole enterprise as a JSON-ready dict; records in creation order.

    Seven queries whatever the enterprise's size (plus one storage read per audio file);
    ``warn`` hears about audio files that cannot be read (they are left out, not fatal).
    """
    users = (
        User.objects.filter(enterprise=enterprise)
        .select_related("created_by")
        .order_by("date_created", "id")
    )
    numbers = (
        PhoneNumber.objects.live()
        .filter(enterprise=enterprise)
        .select_related("created_by", "auto_attendant")
        .order_by("date_created", "id")
    )
    announcements = (
        Announcement.objects.filter(enterprise=enterprise)
        .select_related("created_by")
        .order_by("date_created", "id")
    )
    systems = list(
        AutoAttendantSystem.objects.filter(enterprise=enterprise)
        .select_related("created_by", "default_menu")
        .prefetch_related(
            Prefetch(
                "extensions",
                queryset=PhoneNumber.objects.live().order_by("number"),
                to_attr="live_extensions",
            )
        )
        .order_by("date_created", "id")
    )
    menus = (
        Menu.objects.filter(enterprise=enterprise)
        .select_related("created_by", "auto_attendant", "announcement", "ringback_tone")
        .prefetch_related("keys")
        .order_by("date_created", "id")
    )
    system_order = {s.pk: i for i, s in enumerate(systems)}
    type_order = {ScheduleType.WEEKLY: 0, ScheduleType.DATE_RANGE: 1}
    blocks = sorted(
        ScheduleBlock.objects.filter(auto_attendant__enterprise=enterprise)
        .select_related("auto_attendant", "menu")
        .prefetch_related("entries"),
        key=lambda b: (
            system_order.get(b.auto_attendant_id, 0),
            type_order.get(b.schedule_type, 2),
            b.position,
            b.pk,
        ),
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exportedAt": format_timestamp(dt.datetime.now(dt.UTC)),
        "enterprise": {
            "sid": enterprise.sid,
            "name": enterprise.name,
            "status": enterprise.status,
            "dateCreated": format_timestamp(enterprise.date_created),
            "dateUpdated": format_timestamp(enterprise.date_updated),
        },
        "users": [
            {
                "sid": u.sid,
                "accountSid": u.account_sid,
                "name": u.name,
                "emailId": u.email,
                "role": u.role,
                "status": u.status,
                "accountEmail": _email(u.created_by),
                "dateCreated": format_timestamp(u.date_created),
                "dateUpdated": format_timestamp(u.date_updated),
            }
            for u in users
        ],
        "numbers": [
            {
                "sid": n.sid,
                "number": n.number,
                "isExtension": n.is_extension,
                "extension": n.extension,
                "extensionSpokenName": n.extension_spoken_name,
                "autoAttendantSid": _sid(n.auto_attendant),
                "accountEmail": _email(n.created_by),
                "dateCreated": format_timestamp(n.date_created),
                "dateUpdated": format_timestamp(n.date_updated),
            }
            for n in numbers
        ],
        "announcements": [
            {
                "sid": a.sid,
                "name": a.name,
                "description": a.description,
                "type": a.type,
                "body": a.body,
                "language": a.language,
                "voice": a.voice,
                "audio": _audio(a, warn),
                "accountEmail": _email(a.created_by),
                "dateCreated": format_timestamp(a.date_created),
                "dateUpdated": format_timestamp(a.date_updated),
            }
            for a in announcements
        ],
        "systems": [
            {
                "sid": s.sid,
                "name": s.name,
                "description": s.description,
                "status": s.status,
                "timezoneId": s.timezone_id,
                "language": s.language,
                "timeoutSeconds": s.timeout_seconds,
                "timeoutMaxOccurance": s.timeout_max,
                "timeoutAction": _document_action(s.timeout_action_type, s.timeout_action_data),
                "invalidInputMaxOccurance": s.invalid_input_max,
                "invalidInputAction": _document_action(
                    s.invalid_input_action_type, s.invalid_input_action_data
                ),
                "invalidExtensionMaxOccurance": s.invalid_extension_max,
                "invalidExtensionAction": _document_action(
                    s.invalid_extension_action_type, s.invalid_extension_action_data
                ),
                "defaultMenuSid": _sid(s.default_menu),
                "extensions": [n.number for n in s.live_extensions],
                "accountEmail": _email(s.created_by),
                "dateCreated": format_timestamp(s.date_created),
                "dateUpdated": format_timestamp(s.date_updated),
            }
            for s in systems
        ],
        "menus": [
            {
                "sid": m.sid,
                "autoAttendantSid": m.auto_attendant.sid,
                "name": m.name,
                "colorCode": m.color_code,
                "announcementSid": _sid(m.announcement),
                "ringbackToneSid": _sid(m.ringback_tone),
                "timeoutSeconds": m.timeout_seconds,
                "timeoutMaxOccurance": m.timeout_max,
                "timeoutAction": _document_action(m.timeout_action_type, m.timeout_action_data),
                "keys": [
                    {
                        "menuKey": k.key,
                        "menuAction": _document_action(k.action_type, k.action_data),
                    }
                    for k in sorted(m.keys.all(), key=lambda k: keypad_order(k.key))
                ],
                "accountEmail": _email(m.created_by),
                "dateCreated": format_timestamp(m.date_created),
                "dateUpdated": format_timestamp(m.date_updated),
            }
            for m in menus
        ],
        "schedules": [
            {
                "autoAttendantSid": b.auto_attendant.sid,
                "scheduleType": b.schedule_type,
                "menuSid": b.menu.sid,
                "startDate": b.start_date.isoformat() if b.start_date else None,
                "endDate": b.end_date.isoformat() if b.end_date else None,
                "entries": [
                    {"day": e.day, "startTime": e.start_time, "endTime": e.end_time}
                    if b.schedule_type == ScheduleType.WEEKLY
                    else {"startTime": e.start_time, "endTime": e.end_time}
                    for e in b.entries.all()
                ],
            }
            for b in blocks
        ],
    }


def dump_document(document: dict) -> str:
    """Pretty-printed (one field a line), so an import's line numbers point somewhere useful."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- reading a document with line numbers -------------------------------------------------------


class _Located(dict):
    """A JSON object that remembers the line of the file where it starts."""

    line = 0


class _LineDecoder(json.JSONDecoder):
    """The pure-Python scanner with a hook on objects: each one learns its starting line."""

    def __init__(self, text: str):
        super().__init__()
        newlines = [m.start() for m in re.finditer("\n", text)]
        plain_object = self.parse_object

        def parse_object(s_and_end, *args):
            obj, end = plain_object(s_and_end, *args)
            located = _Located(obj)
            located.line = bisect.bisect_left(newlines, s_and_end[1] - 1) + 1
            return located, end

        self.parse_object = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)


def load_document(text: str) -> tuple[dict | None, list[Problem]]:
    """The document in ``text`` (objects carry ``.line``) or the problems that make it unusable
    (not JSON, another format or version, a section of the wrong type)."""
    try:
        document = _LineDecoder(text).decode(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})")]
    if not isinstance(document, dict):
        return None, [Problem(1, "expected a JSON object")]
    line = getattr(document, "line", 1)
    if document.get("format") != FORMAT:
        return None, [Problem(line, f"format: expected {FORMAT!r}")]
    if document.get("version") != VERSION:
        return None, [Problem(line, f"version: expected {VERSION} (this file says "
                                    f"{document.get('version')!r})")]  # fmt: skip
    problems = []
    if not isinstance(document.get("enterprise"), dict):
        problems.append(Problem(line, "enterprise: expected an object"))
    for section in SECTIONS:
        value = document.setdefault(section, [])
        if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
            problems.append(Problem(line, f"{section}: expected a list of objects"))
    return (None if problems else document), problems


# --- import ------------------------------------------------------------------------------------


class _Bad(Exception):
    """A record's field has the wrong form; the message names it."""


class _Rollback(Exception):
    pass


@dataclass
class EnterpriseImportResult:
    enterprise: Enterprise | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Records not checked because they refer to a record with a problem.
    skipped: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _describe(error: AppError) -> str:
    data = rename_fields(error.data, DOCUMENT_NAMES)
    detail = json.dumps(data, default=str) if data else ""
    return f"{error.message} ({error.error_code}){': ' + detail if detail else ''}"


def _text(item: dict, key: str, *, required: bool = False, max_length: int = 200) -> str:
    value = item.get(key)
    if value is None or value == "":
        if required:
            raise _Bad(f"{key}: required")
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{key}: expected a string")
    if len(value) > max_length:
        raise _Bad(f"{key}: longer than {max_length} characters")
    return value


def _count(item: dict, key: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 120:
        raise _Bad(f"{key}: expected a whole number from 1 to 120, or null")
    return value


def _choice(item: dict, key: str, choices: list[str], default: str) -> str:
    value = item.get(key) or default
    if value not in choices:
        raise _Bad(f"{key}: expected one of {', '.join(choices)}")
    return value


def _date(item: dict, key: str) -> dt.date | None:
    value = item.get(key)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Bad(f"{key}: expected a date YYYY-MM-DD") from None


class _Importer:
    """One import's state: the new enterprise, old sid → new record, the problems so far."""

    def __init__(self, document: dict, *, dry_run: bool, progress: Progress | None):
        self.doc = document
        self.dry_run = dry_run
        self.progress = progress
        self.problems: list[Problem] = []
        self.new: dict[str, Any] = {}  # old sid → the record created for it
        # Sids (and numbers) of the file's records that could not be created: records referring
        # to them are skipped, not reported — their problem is the one already reported.
        self.failed: set[str] = set()
        self.skipped = 0
        self.creators: dict[str, User] = {}  # lower-case email → user
        self.stored_files: list[str] = []
        self.counts = dict.fromkeys(SECTIONS, 0)
        # Services that check the caller's role get an operator; nothing records it.
        self.actor = User(is_superuser=True, is_staff=True)
        self.enterprise: Enterprise | None = None
        self.done = 0
        self.total = sum(len(document[s]) for s in SECTIONS)

    # -- bookkeeping

    def _problem(self, item: dict, where: str, reason: str) -> None:
        line = getattr(item, "line", 0) or getattr(self.doc, "line", 0)
        self.problems.append(Problem(line, f"{where}: {reason}"))

    def _guard(self, item: dict, where: str, work: Callable[[], Any]) -> Any:
        """Run one record's work in a savepoint; a failure is recorded, not raised."""
        try:
            with transaction.atomic():
                return work()
        except _Bad as exc:
            self._problem(item, where, str(exc))
        except AppError as exc:
            self._problem(item, where, _describe(exc))
        return None

    def _create(self, section: str, i: int, item: dict, work: Callable[[], Any]) -> Any:
        record = self._guard(item, f"{section}[{i}]", work)
        if record is None:
            self.failed.add(str(item.get("sid")))
        else:
            self.new[item.get("sid")] = record
            self.counts[section] += 1
        return record

    def _blocked(self, *references: Any) -> bool:
        """Does the record refer to one of the file's records that failed? Then skip it."""
        for ref in references:
            if isinstance(ref, dict):
                ref = ref.get("actionData")
            if isinstance(ref, str) and ref in self.failed:
                self.skipped += 1
                return True
        return False

    def _tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress:
            self.progress("imported", self.done, self.total)

    def _mapped(self, sid: Any) -> Any:
        """The new sid of a record of the document; anything else as it is (the services then
        answer it as a reference to nothing: 500, 502, 490…)."""
        record = self.new.get(sid) if isinstance(sid, str) else None
        return record.sid if record is not None else sid

    def _action(self, raw: Any) -> Any:
        """A document's ``{actionType, actionData}`` as the services take it (references to the
        file's records rewritten); anything else as it is, for the services to refuse."""
        if not isinstance(raw, dict):
            return raw
        fields = {"actionType": "action_type", "actionData": "action_data"}
        action = {fields.get(k, k): v for k, v in raw.items() if k not in fields.values()}
        if isinstance(action.get("action_data"), str):
            action["action_data"] = self._mapped(action["action_data"])
        return action

    def _creator(self, item: dict) -> User | None:
        email = item.get("accountEmail")
        return self.creators.get(email.lower()) if isinstance(email, str) else None

    def _system(self, item: dict, key: str = "autoAttendantSid") -> AutoAttendantSystem:
        system = self.new.get(item.get(key))
        if not isinstance(system, AutoAttendantSystem):
            raise _Bad(f"{key}: names no AA system of this file")
        return system

    # -- sections

    def run(self) -> None:
        item = self.doc["enterprise"]
        self.enterprise = self._guard(item, "enterprise", lambda: do_create_enterprise(
            name=_text(item, "name", required=True),
            status=_choice(item, "status", EnterpriseStatus.values, EnterpriseStatus.ACTIVE),
        ))  # fmt: skip
        if self.enterprise is None:
            return
        self._users()
        self._announcements()
        self._systems()
        self._numbers()
        self._menus()
        self._system_links()
        self._schedules()

    def _users(self) -> None:
        users = self.doc["users"]
        emails = [u.get("emailId").lower() for u in users if isinstance(u.get("emailId"), str)]
        taken = set(
            User.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=emails)
            .values_list("lower_email", flat=True)
        )
        seen: set[str] = set()

        def create(item: dict) -> User:
            email = _text(item, "emailId", required=True, max_length=254)
            try:
                validate_email(email)
            except ValidationError:
                raise _Bad(f"emailId: {email!r} is not an email address") from None
            if email.lower() in taken:
                raise _Bad(f"emailId: {email} is already a user of this installation")
            if email.lower() in seen:
                raise _Bad(f"emailId: {email} appears twice in the file")
            seen.add(email.lower())
            user = User(
                email=User.objects.normalize_email(email),
                name=_text(item, "name"),
                role=_choice(item, "role", Role.values, "(missing)"),
                status=_choice(item, "status", UserStatus.values, UserStatus.ACTIVE),
                enterprise=self.enterprise,
            )
            user.set_unusable_password()
            user.save()
            return user

        for i, item in enumerate(users):
            user = self._create("users", i, item, lambda item=item: create(item))
            if user is not None:
                self.creators[user.email.lower()] = user
        # Records created by the operator's staff keep pointing at them where they exist here.
        wanted = {
            x["accountEmail"].lower()
            for s in SECTIONS
            for x in self.doc[s]
            if isinstance(x.get("accountEmail"), str)
        } - set(self.creators)
        for staff in User.objects.annotate(lower_email=Lower("email")).filter(
            is_superuser=True, lower_email__in=wanted
        ):
            self.creators[staff.email.lower()] = staff
        for item in users:
            user, creator = self.new.get(item.get("sid")), self._creator(item)
            if isinstance(user, User) and creator is not None:
                user.created_by = creator
                user.save(update_fields=["created_by"])
        self._tick(len(users))

    def _announcements(self) -> None:
        def create(item: dict) -> Announcement:
            announcement = do_create_announcement(
                self._creator(item),
                enterprise=self.enterprise,
                name=_text(item, "name", required=True),
                description=_text(item, "description", max_length=10_000),
                type=item.get("type"),
                body=_text(item, "body", max_length=10_000),
                language=_text(item, "language", max_length=64),
                voice=_text(item, "voice", max_length=16),
            )
            audio = item.get("audio")
            if audio not in (None, ""):
                self._store_audio(announcement, audio)
            return announcement

        for i, item in enumerate(self.doc["announcements"]):
            self._create("announcements", i, item, lambda item=item: create(item))
            self._tick()

    def _store_audio(self, announcement: Announcement, audio: Any) -> None:
        if not isinstance(audio, str):
            raise _Bad("audio: expected base64 text or null")
        try:
            data = base64.b64decode(audio, validate=True)
        except (binascii.Error, ValueError):
            raise _Bad("audio: not valid base64") from None
        if len(data) > settings.ANNOUNCEMENT_MAX_BYTES:
            raise _Bad(f"audio: larger than {settings.ANNOUNCEMENT_MAX_BYTES} bytes")
        try:
            inspect_wav(data)
        except InvalidWav as exc:
            raise _Bad(f"audio: not a usable WAV file ({exc})") from None
        if self.dry_run:
            return
        announcement.file.save(file_name_for(announcement), ContentFile(data), save=False)
        self.stored_files.append(announcement.file.name)
        announcement.save(update_fields=["file"])

    def _systems(self) -> None:
        def create(item: dict) -> AutoAttendantSystem:
            timezone_id = item.get("timezoneId") or "UTC"
            if not is_timezone(timezone_id):
                raise _Bad(f"timezoneId: {timezone_id!r} is not an IANA time zone")
            return do_create_system(
                self._creator(item),
                enterprise=self.enterprise,
                changes={
                    "name": _text(item, "name", required=True),
                    "description": _text(item, "description", max_length=2_000),
                    "status": _choice(item, "status", SystemStatus.values, SystemStatus.ACTIVE),
                    "timezone_id": timezone_id,
                    "language": _choice(item, "language", SystemLanguage.values, SystemLanguage.EN),
                    "timeout_seconds": _count(item, "timeoutSeconds"),
                    "timeout_max": _count(item, "timeoutMaxOccurance"),
                    "invalid_input_max": _count(item, "invalidInputMaxOccurance"),
                    "invalid_extension_max": _count(item, "invalidExtensionMaxOccurance"),
                },
            )

        for i, item in enumerate(self.doc["systems"]):
            self._create("systems", i, item, lambda item=item: create(item))
            self._tick()

    def _numbers(self) -> None:
        rows: list[NumberRow] = []
        labels: dict[int, str] = {}  # line → "numbers[i]"
        items: dict[int, dict] = {}  # line → item
        for i, item in enumerate(self.doc["numbers"]):
            labels[getattr(item, "line", 0)] = f"numbers[{i}]"
            items[getattr(item, "line", 0)] = item
            if self._blocked(item.get("autoAttendantSid")):
                self.failed.add(str(item.get("number")))
                continue
            try:
                number = item.get("number")
                if not isinstance(number, str | int) or isinstance(number, bool):
                    raise _Bad("number: expected a string of digits")
                try:
                    is_extension = parse_bool(item.get("isExtension") or False)
                except ValueError as exc:
                    raise _Bad(f"isExtension: {exc}") from None
                rows.append(
                    NumberRow(
                        line=getattr(item, "line", 0),
                        number=str(number),
                        is_extension=is_extension,
                        extension=item.get("extension") or "",
                        spoken_name=_text(item, "extensionSpokenName"),
                        system=self._system(item) if item.get("autoAttendantSid") else None,
                        created_by=self._creator(item),
                    )
                )
            except _Bad as exc:
                self._problem(item, f"numbers[{i}]", str(exc))
                self.failed.add(str(item.get("number")))
        numbers, problems = check_numbers(self.enterprise, rows)
        for problem in problems:
            label = labels.get(problem.line, "numbers")
            self.problems.append(Problem(problem.line, f"{label}: {problem.reason}"))
            self.failed.add(str(items.get(problem.line, {}).get("number")))
        write_numbers(numbers)
        self.counts["numbers"] = len(numbers)
        self._tick(len(self.doc["numbers"]))

    def _menus(self) -> None:
        def create(item: dict) -> Menu:
            return do_create_menu(
                self._creator(item),
                enterprise=self.enterprise,
                system=self._system(item),
                name=_text(item, "name", required=True),
                color_code=item.get("colorCode"),
                announcement=self._mapped(item.get("announcementSid")),
                ringback_tone=self._mapped(item.get("ringbackToneSid")),
                timeout_seconds=item.get("timeoutSeconds"),
                timeout_max=item.get("timeoutMaxOccurance"),
            )

        menus = self.doc["menus"]
        for i, item in enumerate(menus):
            refs = ("autoAttendantSid", "announcementSid", "ringbackToneSid")
            if self._blocked(*(item.get(k) for k in refs)):
                self.failed.add(str(item.get("sid")))
                continue
            self._create("menus", i, item, lambda item=item: create(item))
        # Keys and timeout actions once every menu exists: a key may go to a later menu.
        for i, item in enumerate(menus):
            menu = self.new.get(item.get("sid"))
            if not isinstance(menu, Menu):
                continue
            keys = item.get("keys") or []
            if not isinstance(keys, list):
                self._problem(item, f"menus[{i}].keys", "expected a list")
                continue
            actions = [k.get("menuAction") for k in keys if isinstance(k, dict)]
            if self._blocked(*actions, item.get("timeoutAction")):
                continue
            changes = {
                "keys": [
                    {"key": k.get("menuKey"), "action": self._action(k.get("menuAction"))}
                    if isinstance(k, dict)
                    else k
                    for k in keys
                ],
                "timeout_action": self._action(item.get("timeoutAction")),
            }
            self._guard(
                item,
                f"menus[{i}]",
                lambda menu=menu, changes=changes: do_update_menu(self.actor, menu, changes),
            )
        self._tick(len(menus))

    def _system_links(self) -> None:
        """Default menus, actions and extension directories, once menus and numbers exist."""
        for i, item in enumerate(self.doc["systems"]):
            system = self.new.get(item.get("sid"))
            if not isinstance(system, AutoAttendantSystem):
                continue
            extensions = item.get("extensions") or []
            if not isinstance(extensions, list) or not all(isinstance(x, str) for x in extensions):
                self._problem(item, f"systems[{i}].extensions", "expected a list of numbers")
                continue
            references = ("defaultMenuSid", *(f"{a}Action" for a in ACTIONS))
            if self._blocked(*(item.get(k) for k in references), *extensions):
                continue
            changes = {
                "default_menu": self._mapped(item.get("defaultMenuSid")),
                "timeout_action": self._action(item.get("timeoutAction")),
                "invalid_input_action": self._action(item.get("invalidInputAction")),
                "invalid_extension_action": self._action(item.get("invalidExtensionAction")),
                "extensions": extensions,
            }
            self._guard(
                item,
                f"systems[{i}]",
                lambda system=system, changes=changes: do_update_system(
                    self.actor, system, changes
                ),
            )

    def _schedules(self) -> None:
        groups: dict[tuple[str, str], list[tuple[int, dict]]] = {}
        for i, item in enumerate(self.doc["schedules"]):
            key = (str(item.get("autoAttendantSid")), str(item.get("scheduleType")))
            groups.setdefault(key, []).append((i, item))
        for (system_sid, schedule_type), items in groups.items():
            first_i, first = items[0]
            if self._blocked(system_sid, *(item.get("menuSid") for _i, item in items)):
                continue

            def replace(items=items, schedule_type=schedule_type, first=first) -> None:
                system = self._system(first)
                blocks = []
                for i, item in items:
                    try:
                        blocks.append(self._block(item))
                    except _Bad as exc:
                        self._problem(item, f"schedules[{i}]", str(exc))
                if len(blocks) < len(items):
                    return
                try:
                    do_replace_schedule(self.actor, system, schedule_type, blocks)
                except AppError as exc:
                    # The service names a block as ``schedule[k]`` of this group: point at it.
                    found = re.search(r"schedule\[(\d+)\]", json.dumps(exc.data, default=str))
                    k = int(found.group(1)) if found and int(found.group(1)) < len(items) else 0
                    i, item = items[k]
                    self._problem(item, f"schedules[{i}]", _describe(exc))

            self._guard(first, f"schedules[{first_i}]", replace)
            self.counts["schedules"] += len(items)
        self._tick(len(self.doc["schedules"]))

    def _block(self, item: dict) -> BlockInput:
        entries = item.get("entries") or []
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise _Bad("entries: expected a list of objects")
        return BlockInput(
            menu=self._mapped(item.get("menuSid")),
            schedule_type=item.get("scheduleType"),
            start_date=_date(item, "startDate"),
            end_date=_date(item, "endDate"),
            entries=[
                EntryInput(
                    day=e.get("day"), start_time=e.get("startTime"), end_time=e.get("endTime")
                )
                for e in entries
            ],
        )

    def discard_files(self) -> None:
        for name in self.stored_files:
            Announcement.file.field.storage.delete(name)


def do_import_enterprise(
    document: dict, *, dry_run: bool = False, progress: Progress | None = None
) -> EnterpriseImportResult:
    """Create a new enterprise from ``document`` (as :func:`load_document` returns it) with
    every record under a new sid, in one transaction: any problem, or ``dry_run``, and nothing
    stays (audio files stored on the way are deleted again)."""
    importer = _Importer(document, dry_run=dry_run, progress=progress)
    result = EnterpriseImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            importer.run()
            if importer.problems or dry_run:
                raise _Rollback
    except _Rollback:
        importer.discard_files()
    except IntegrityError:  # a number or email taken by a concurrent writer since the checks
        importer.discard_files()
        importer.problems.append(
            Problem(0, "a number or email was taken by someone else while importing")
        )
    except BaseException:
        importer.discard_files()
        raise
    result.problems = sorted(importer.problems, key=lambda p: p.line)
    result.counts = importer.counts
    result.skipped = importer.skipped
    if not result.problems and not dry_run:
        result.enterprise = importer.enterprise
    return result
