"""One import's bookkeeping: old sid → the record created for it, the records that failed and
those skipped for referring to them, the problems with their lines, the progress, the audio files
stored on the way. Each record's work runs in its own savepoint, so a refusal is recorded and the
import goes on to report every problem of the file at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from ...errors import AppError
from ...models import Announcement, AutoAttendantSystem, Enterprise, User
from ..number_import import Problem, Progress
from .fields import BadField, describe_error
from .loader import SECTIONS

__all__ = ["Bookkeeping"]


class Bookkeeping:
    """One import's state: the new enterprise, old sid → new record, the problems so far; the
    sections of ``importer._Importer`` build on it."""

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

    def _problem(self, item: dict, where: str, reason: str) -> None:
        line = getattr(item, "line", 0) or getattr(self.doc, "line", 0)
        self.problems.append(Problem(line, f"{where}: {reason}"))

    def _guard(self, item: dict, where: str, work: Callable[[], Any]) -> Any:
        """Run one record's work in a savepoint; a failure is recorded, not raised."""
        try:
            with transaction.atomic():
                return work()
        except BadField as exc:
            self._problem(item, where, str(exc))
        except AppError as exc:
            self._problem(item, where, describe_error(exc))
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
            raise BadField(f"{key}: names no AA system of this file")
        return system

    def discard_files(self) -> None:
        for name in self.stored_files:
            Announcement.file.field.storage.delete(name)
