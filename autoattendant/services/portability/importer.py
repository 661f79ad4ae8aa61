"""The document → a new enterprise, through the same services as the API.

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
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError
from django.db.models.functions import Lower

from ...audio import InvalidWav, inspect_wav
from ...choices import EnterpriseStatus, Role, SystemLanguage, SystemStatus, UserStatus
from ...errors import AppError
from ...models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    HolidayCalendar,
    Mailbox,
    Menu,
    User,
)
from ..announcements import do_create_announcement, file_name_for
from ..calendars import do_create_calendar, entry_in
from ..enterprises import do_create_enterprise
from ..flowversions import flow_change
from ..mailboxes import do_create_mailbox
from ..menus import do_create_menu, do_update_menu
from ..number_import import NumberRow, Problem, Progress, check_numbers, parse_bool, write_numbers
from ..schedules import BlockInput, EntryInput, do_replace_schedule
from ..systems import do_create_system, do_update_system, is_timezone
from .bookkeeping import Bookkeeping
from .fields import BadField, describe_error, read_choice, read_count, read_date, read_text
from .loader import SECTIONS

__all__ = ["EnterpriseImportResult", "do_import_enterprise"]

ACTIONS = ("timeout", "invalidInput", "invalidExtension", "dialFailure")
PROMPTS = ("invalidInputAnnouncementSid", "timeoutAnnouncementSid")


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


class _Importer(Bookkeeping):
    """The document's sections in the order their references need: users first (they are
    the other records' creators), menus before the keys that go to them, AA systems' links and
    schedules once their menus and numbers exist."""

    def run(self) -> None:
        item = self.doc["enterprise"]
        self.enterprise = self._guard(item, "enterprise", lambda: do_create_enterprise(
            name=read_text(item, "name", required=True),
            status=read_choice(item, "status", EnterpriseStatus.values, EnterpriseStatus.ACTIVE),
        ))  # fmt: skip
        if self.enterprise is None:
            return
        self._users()
        self._calendars()
        self._announcements()
        self._mailboxes()
        self._systems()
        self._numbers()
        self._menus()
        self._system_links()
        self._schedules()
        self._flow_tests()

    def _flow_tests(self) -> None:
        """Flow tests last: they run against the flow just imported."""
        from ..flowtests import do_create_flow_test

        for i, item in enumerate(self.doc["flowTests"]):
            if self._blocked(item.get("autoAttendantSid")):
                continue
            expect = item.get("expect")
            if isinstance(expect, dict) and isinstance(expect.get("menuSid"), str):
                expect = {**expect, "menuSid": self._mapped(expect["menuSid"])}

            def create(item=item, expect=expect):
                return do_create_flow_test(
                    self._creator(item),
                    self._system(item),
                    {
                        "name": item.get("name"),
                        "at": item.get("at"),
                        "inputs": item.get("inputs") or [],
                        "expect": expect,
                    },
                )

            self._create("flowTests", i, item, create)
        self._tick(len(self.doc["flowTests"]))

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
            email = read_text(item, "emailId", required=True, max_length=254)
            try:
                validate_email(email)
            except ValidationError:
                raise BadField(f"emailId: {email!r} is not an email address") from None
            if email.lower() in taken:
                raise BadField(f"emailId: {email} is already a user of this installation")
            if email.lower() in seen:
                raise BadField(f"emailId: {email} appears twice in the file")
            seen.add(email.lower())
            user = User(
                email=User.objects.normalize_email(email),
                name=read_text(item, "name"),
                role=read_choice(item, "role", Role.values, "(missing)"),
                status=read_choice(item, "status", UserStatus.values, UserStatus.ACTIVE),
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

    def _calendars(self) -> None:
        def create(item: dict) -> HolidayCalendar:
            entries = item.get("entries") or []
            if not isinstance(entries, list):
                raise BadField("entries: expected a list of objects")
            return do_create_calendar(
                self._creator(item),
                enterprise=self.enterprise,
                changes={
                    "name": read_text(item, "name", required=True),
                    "country": read_text(item, "country", max_length=2),
                    "subdivision": read_text(item, "subdivision", max_length=16),
                    "entries": [entry_in(e) for e in entries],
                },
            )

        for i, item in enumerate(self.doc["calendars"]):
            self._create("calendars", i, item, lambda item=item: create(item))
            self._tick()

    def _announcements(self) -> None:
        def create(item: dict) -> Announcement:
            announcement = do_create_announcement(
                self._creator(item),
                enterprise=self.enterprise,
                name=read_text(item, "name", required=True),
                description=read_text(item, "description", max_length=10_000),
                type=item.get("type"),
                body=read_text(item, "body", max_length=10_000),
                language=read_text(item, "language", max_length=64),
                voice=read_text(item, "voice", max_length=16),
            )
            audio = item.get("audio")
            if audio not in (None, ""):
                self._store_audio(announcement, audio)
            return announcement

        for i, item in enumerate(self.doc["announcements"]):
            self._create("announcements", i, item, lambda item=item: create(item))
            self._tick()

    def _mailboxes(self) -> None:
        """Before menus and systems: their VOICEMAIL actions name mailboxes."""

        def create(item: dict) -> Mailbox:
            return do_create_mailbox(
                self.actor,
                enterprise=self.enterprise,
                changes={
                    "name": read_text(item, "name", required=True),
                    "greeting": self._mapped(item.get("greetingAnnouncementSid")),
                    "notify_emails": item.get("notifyEmails") or [],
                    "max_length_seconds": item.get("maxLengthSeconds"),
                },
            )

        for i, item in enumerate(self.doc["mailboxes"]):
            if self._blocked(item.get("greetingAnnouncementSid")):
                self.failed.add(str(item.get("sid")))
                continue
            mailbox = self._create("mailboxes", i, item, lambda item=item: create(item))
            if mailbox is not None and self._creator(item) is not None:
                mailbox.created_by = self._creator(item)
                mailbox.save(update_fields=["created_by"])
            self._tick()

    def _store_audio(self, announcement: Announcement, audio: Any) -> None:
        if not isinstance(audio, str):
            raise BadField("audio: expected base64 text or null")
        try:
            data = base64.b64decode(audio, validate=True)
        except (binascii.Error, ValueError):
            raise BadField("audio: not valid base64") from None
        if len(data) > settings.ANNOUNCEMENT_MAX_BYTES:
            raise BadField(f"audio: larger than {settings.ANNOUNCEMENT_MAX_BYTES} bytes")
        try:
            inspect_wav(data)
        except InvalidWav as exc:
            raise BadField(f"audio: not a usable WAV file ({exc})") from None
        if self.dry_run:
            return
        announcement.file.save(file_name_for(announcement), ContentFile(data), save=False)
        self.stored_files.append(announcement.file.name)
        announcement.save(update_fields=["file"])

    def _systems(self) -> None:
        def create(item: dict) -> AutoAttendantSystem:
            timezone_id = item.get("timezoneId") or "UTC"
            if not is_timezone(timezone_id):
                raise BadField(f"timezoneId: {timezone_id!r} is not an IANA time zone")
            return do_create_system(
                self._creator(item),
                enterprise=self.enterprise,
                changes={
                    "name": read_text(item, "name", required=True),
                    "description": read_text(item, "description", max_length=2_000),
                    "status": read_choice(item, "status", SystemStatus.values, SystemStatus.ACTIVE),
                    "timezone_id": timezone_id,
                    "language": read_choice(
                        item, "language", SystemLanguage.values, SystemLanguage.EN
                    ),
                    "timeout_seconds": read_count(item, "timeoutSeconds"),
                    "timeout_max": read_count(item, "timeoutMaxOccurance"),
                    "invalid_input_max": read_count(item, "invalidInputMaxOccurance"),
                    "invalid_extension_max": read_count(item, "invalidExtensionMaxOccurance"),
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
                    raise BadField("number: expected a string of digits")
                try:
                    is_extension = parse_bool(item.get("isExtension") or False)
                except ValueError as exc:
                    raise BadField(f"isExtension: {exc}") from None
                rows.append(
                    NumberRow(
                        line=getattr(item, "line", 0),
                        number=str(number),
                        is_extension=is_extension,
                        extension=item.get("extension") or "",
                        spoken_name=read_text(item, "extensionSpokenName"),
                        system=self._system(item) if item.get("autoAttendantSid") else None,
                        created_by=self._creator(item),
                    )
                )
            except BadField as exc:
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
                name=read_text(item, "name", required=True),
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
            links = item.get("holidayCalendars") or []
            if not isinstance(links, list) or not all(isinstance(x, dict) for x in links):
                self._problem(item, f"systems[{i}].holidayCalendars", "expected a list of objects")
                continue
            references = ("defaultMenuSid", *(f"{a}Action" for a in ACTIONS), *PROMPTS)
            linked = [x.get(k) for x in links for k in ("calendarSid", "menuSid")]
            if self._blocked(*(item.get(k) for k in references), *extensions, *linked):
                continue
            changes = {
                "default_menu": self._mapped(item.get("defaultMenuSid")),
                "timeout_action": self._action(item.get("timeoutAction")),
                "invalid_input_action": self._action(item.get("invalidInputAction")),
                "invalid_extension_action": self._action(item.get("invalidExtensionAction")),
                "dial_failure_action": self._action(item.get("dialFailureAction")),
                "invalid_input_announcement": self._mapped(item.get("invalidInputAnnouncementSid")),
                "timeout_announcement": self._mapped(item.get("timeoutAnnouncementSid")),
                "extensions": extensions,
                "holiday_calendars": [
                    {
                        "calendar": self._mapped(x.get("calendarSid")),
                        "menu": self._mapped(x.get("menuSid")),
                    }
                    for x in links
                ],
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
                    except BadField as exc:
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
                    self._problem(item, f"schedules[{i}]", describe_error(exc))

            self._guard(first, f"schedules[{first_i}]", replace)
            self.counts["schedules"] += len(items)
        self._tick(len(self.doc["schedules"]))

    def _block(self, item: dict) -> BlockInput:
        entries = item.get("entries") or []
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise BadField("entries: expected a list of objects")
        return BlockInput(
            menu=self._mapped(item.get("menuSid")),
            schedule_type=item.get("scheduleType"),
            start_date=read_date(item, "startDate"),
            end_date=read_date(item, "endDate"),
            entries=[
                EntryInput(
                    day=e.get("day"), start_time=e.get("startTime"), end_time=e.get("endTime")
                )
                for e in entries
            ],
        )


def do_import_enterprise(
    document: dict, *, dry_run: bool = False, progress: Progress | None = None
) -> EnterpriseImportResult:
    """Create a new enterprise from ``document`` (as :func:`load_document` returns it) with
    every record under a new sid, in one transaction: any problem, or ``dry_run``, and nothing
    stays (audio files stored on the way are deleted again)."""
    importer = _Importer(document, dry_run=dry_run, progress=progress)
    result = EnterpriseImportResult(dry_run=dry_run)
    try:
        with flow_change():  # one flow version per imported system, the flow tests guarding it
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
