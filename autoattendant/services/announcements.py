"""Announcements: what callers hear, as text to speech (``say``) or an uploaded WAV (``play``).

Every change bumps the ``flow_version`` of the enterprise's AA systems (any of them may voice
the announcement); deleting is refused while anything still refers to it (507 menus, 523
actions). Writes lock the announcement's row first (``services.locking``), so a delete and a
change of the same announcement, or a delete and a new reference to it, run one after the
other.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import time
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from ..audio import InvalidWav, inspect_wav
from ..choices import AnnouncementType, Voice
from ..errors import Errors
from ..models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    Mailbox,
    Menu,
    MenuKey,
    User,
)
from ..models.announcement import announcement_upload_to
from ..runtime.versions import touch_systems
from .locking import lock_row, lock_systems_of

#: Fields a create or update may set (model names); anything else is ignored.
ANNOUNCEMENT_FIELDS = ("name", "description", "type", "body", "language", "voice")


def _canonical_language(value: str) -> str | None:
    wanted = value.strip().lower()
    for language in settings.TTS_LANGUAGES:
        if language.lower() == wanted:
            return language
    return None


def _check_system_reference(enterprise: Enterprise, system_sid: Any) -> None:
    """The spec lets a body name the AA system the announcement is "for"; announcements belong
    to the enterprise, so the field only has to name one of its systems (490 otherwise)."""
    if system_sid in (None, ""):
        return
    if not AutoAttendantSystem.objects.filter(sid=system_sid, enterprise=enterprise).exists():
        raise Errors.SYSTEM_NOT_FOUND({"sid": system_sid})


def _normalise(values: dict) -> dict:
    """Check the merged (stored + sent) fields and return them canonical.

    Order of the spec's codes: unknown type 520, a ``say`` without body/language/voice 519, an
    unsupported language 521, a voice other than man/woman 522 (case-insensitive).
    """
    kind = values.get("type")
    kind = AnnouncementType.PLAY if kind in (None, "") else str(kind).strip().lower()
    if kind not in AnnouncementType.values:
        raise Errors.ANNOUNCEMENT_TYPE_NOT_FOUND({"type": values.get("type")})
    body = (values.get("body") or "").strip()
    language = (values.get("language") or "").strip()
    voice = (values.get("voice") or "").strip()
    if kind == AnnouncementType.SAY and not (body and language and voice):
        missing = [
            k for k, v in (("body", body), ("language", language), ("voice", voice)) if not v
        ]
        raise Errors.SAY_PARAMETERS_MISSING({"missing": missing})
    if language:
        canonical = _canonical_language(language)
        if canonical is None:
            raise Errors.LANGUAGE_NOT_FOUND({"language": language})
        language = canonical
    if voice:
        voice = voice.lower()
        if voice not in Voice.values:
            raise Errors.VOICE_NOT_FOUND({"voice": values.get("voice")})
    return {
        "name": values["name"],
        "description": values.get("description") or "",
        "type": kind,
        "body": body,
        "language": language,
        "voice": voice,
    }


def _system_action_refers_to(sid: str) -> Q:
    return (
        Q(timeout_action_data=sid)
        | Q(invalid_input_action_data=sid)
        | Q(invalid_extension_action_data=sid)
        | Q(dial_failure_action_data=sid)
        | Q(invalid_input_announcement_sid=sid)
        | Q(timeout_announcement_sid=sid)
    )


def _lock(announcement: Announcement) -> None:
    """Lock the row and take its committed values; ANNOUNCEMENT_NOT_FOUND (500) when it was
    deleted meanwhile."""
    if not lock_row(announcement):
        raise Errors.ANNOUNCEMENT_NOT_FOUND({"sid": announcement.sid})


def _touch_enterprise_systems(enterprise_id: int) -> None:
    """Bump every AA system of the enterprise: any of them may voice the announcement (the
    invalidation signal bumps them all as well). They are locked in primary-key order first,
    the order every writer takes, so two announcement writes never each hold one system while
    waiting for the other's (two queries)."""
    touch_systems(lock_systems_of(enterprise_id))


def do_create_announcement(
    actor: User, *, enterprise: Enterprise, system_sid: Any = None, **fields: Any
) -> Announcement:
    """Create an announcement of ``enterprise``; ``fields`` uses model names (``type`` optional,
    default ``play``)."""
    _check_system_reference(enterprise, system_sid)
    values = _normalise({k: fields.get(k) for k in ANNOUNCEMENT_FIELDS})
    return Announcement.objects.create(enterprise=enterprise, created_by=actor, **values)


def do_update_announcement(
    announcement: Announcement, changes: dict, *, system_sid: Any = None
) -> Announcement:
    """Apply a partial update; the result must still be a valid announcement as a whole (a
    ``play`` turned ``say`` needs body, language and voice, sent now or stored before).

    The row is locked and re-read first (``services.locking``): the changes apply to what is
    stored now, a concurrent delete waits for this update, and an announcement deleted meanwhile
    answers 500 rather than being written back.
    """
    _check_system_reference(announcement.enterprise, system_sid)
    with transaction.atomic():
        _lock(announcement)
        merged = {k: getattr(announcement, k) for k in ANNOUNCEMENT_FIELDS}
        merged.update(
            {k: v for k, v in changes.items() if k in ANNOUNCEMENT_FIELDS and v is not None}
        )
        if changes.get("description", "") is None:
            merged["description"] = ""
        values = _normalise(merged)
        _touch_enterprise_systems(announcement.enterprise_id)
        for field, value in values.items():
            setattr(announcement, field, value)
        announcement.save(update_fields=[*values, "date_updated"])
    return announcement


def check_deletable(announcement: Announcement) -> None:
    """507 while a menu plays it (announcement or ringback tone), then 523 while an action
    (menu key, menu timeout, system timeout / invalid input / invalid extension) names it."""
    if Menu.objects.filter(Q(announcement=announcement) | Q(ringback_tone=announcement)).exists():
        raise Errors.ANNOUNCEMENT_IN_MENU({"sid": announcement.sid})
    sid = announcement.sid
    if (
        MenuKey.objects.filter(action_data=sid).exists()
        or Menu.objects.filter(timeout_action_data=sid).exists()
        or AutoAttendantSystem.objects.filter(_system_action_refers_to(sid)).exists()
        or Mailbox.objects.filter(greeting=announcement).exists()
    ):
        raise Errors.ANNOUNCEMENT_IN_ACTION({"sid": sid})


def _delete_file_on_commit(name: str) -> None:
    """Delete a stored file once the transaction commits. A storage that fails then is logged,
    not raised (the change is committed); ``cleanup_media`` removes what it left."""
    if not name:
        return

    def delete(storage=Announcement.file.field.storage) -> None:
        storage.delete(name)

    transaction.on_commit(delete, robust=True)


def do_delete_announcement(announcement: Announcement) -> Announcement:
    """Delete it (and, once committed, its stored file), unless something refers to it.

    The row is locked before the reference checks: every writer that refers to an announcement
    locks it first (``services.locking``), so a reference is either committed before the
    checks run (507 / 523) or its writer waits and then finds the announcement gone (500).
    """
    with transaction.atomic():
        _lock(announcement)
        check_deletable(announcement)
        _touch_enterprise_systems(announcement.enterprise_id)
        file_name = announcement.file.name
        try:
            announcement.delete()
        except ProtectedError:  # a menu took it without locking it first (a plain ORM save)
            raise Errors.ANNOUNCEMENT_IN_MENU({"sid": announcement.sid}) from None
        _delete_file_on_commit(file_name)
    return announcement


# --- WAV files ----------------------------------------------------------------------------------


def file_name_for(announcement: Announcement) -> str:
    """``{sid}_{epoch_ms}.wav``: unguessable (the sid is random) and new on every upload, so
    a cached copy of an old recording is never served for a new one."""
    storage = announcement.file.storage
    stamp = int(time.time() * 1000)
    # Two uploads within a millisecond: the storage would otherwise rename the second one.
    while storage.exists(announcement_upload_to(announcement, f"{announcement.sid}_{stamp}.wav")):
        stamp += 1
    return f"{announcement.sid}_{stamp}.wav"


def _store(announcement: Announcement, content: BinaryIO) -> str:
    """Store ``content`` under a new :func:`file_name_for` name; the stored name.

    Should a concurrent upload take the same name first, the storage saves this one under an
    altered name that ``fileUri`` could not serve: it is removed and the next stamp tried.
    """
    storage = Announcement.file.field.storage
    for _attempt in range(20):
        wanted = announcement_upload_to(announcement, file_name_for(announcement))
        content.seek(0)
        try:
            stored = storage.save(
                wanted, File(content), max_length=Announcement.file.field.max_length
            )
        except OSError:
            break
        if stored == wanted:
            return stored
        storage.delete(stored)
    raise Errors.UPLOAD_FAILED({"sid": announcement.sid, "reason": "the file could not be stored"})


def do_upload_announcement_file(
    announcement: Announcement, content: BinaryIO, size: int
) -> Announcement:
    """Store ``content`` as the announcement's WAV and make it a ``play`` announcement.

    Refused with 413 past ``ANNOUNCEMENT_MAX_BYTES`` and with 504 unless it parses as a PCM WAV;
    either way nothing is stored. The file is written before the transaction (no lock is held
    while it travels to the storage); then the row is locked and re-read, so the file it names
    *now* is the one replaced — deleted once the new one is committed — however many uploads
    race. Should the announcement be gone (500) or the database write fail, the new file is
    removed again. (Only a rollback of a transaction enclosing this one can leave a stored file
    that no row names; ``cleanup_media`` removes such files.)
    """
    if size > settings.ANNOUNCEMENT_MAX_BYTES:
        raise Errors.TOO_LARGE(
            {"sid": announcement.sid, "max_bytes": settings.ANNOUNCEMENT_MAX_BYTES}
        )
    try:
        inspect_wav(content)
    except InvalidWav as exc:
        raise Errors.UPLOAD_FAILED({"sid": announcement.sid, "reason": str(exc)}) from None
    new_name = _store(announcement, content)
    old_name = None
    try:
        with transaction.atomic():
            _lock(announcement)
            old_name = announcement.file.name
            _touch_enterprise_systems(announcement.enterprise_id)
            announcement.file = new_name
            announcement.type = AnnouncementType.PLAY
            announcement.save(update_fields=["file", "type", "date_updated"])
            if old_name and old_name != new_name:
                _delete_file_on_commit(old_name)
    except BaseException:
        if old_name is not None:
            announcement.file = old_name
        Announcement.file.field.storage.delete(new_name)
        raise
    return announcement


# --- stored files no announcement names ---------------------------------------------------------

#: The storage folder of announcement files (``announcement_upload_to``'s).
FILE_FOLDER = posixpath.dirname(announcement_upload_to(None, "x.wav"))
#: Names asked about in one query.
_BATCH = 500


def unreferenced_files(older_than: dt.timedelta) -> list[str]:
    """Stored announcement files that no announcement names, last modified more than
    ``older_than`` ago (the grace period: an upload stores its file before its row names it).

    Uses only the storage API (``listdir``, ``get_modified_time``), so any backend works — local
    files or S3. One query per 500 files listed; the storage is asked a file's time only for
    files no row names. A file that vanishes meanwhile is skipped.
    """
    storage = Announcement.file.field.storage
    try:
        _folders, files = storage.listdir(FILE_FOLDER)
    except FileNotFoundError:  # nothing was ever uploaded
        return []
    cutoff = timezone.now() - older_than
    names = sorted(posixpath.join(FILE_FOLDER, name) for name in files)
    found = []
    for start in range(0, len(names), _BATCH):
        batch = names[start : start + _BATCH]
        named = set(Announcement.objects.filter(file__in=batch).values_list("file", flat=True))
        for name in batch:
            if name in named:
                continue
            try:
                modified = storage.get_modified_time(name)
            except OSError:
                continue
            if modified < cutoff:
                found.append(name)
    return found


def do_cleanup_media(*, older_than: dt.timedelta, dry_run: bool = False) -> list[str]:
    """Delete the :func:`unreferenced_files` (none when ``dry_run``); their names.

    What leaves such files: a storage that failed to delete a replaced or deleted
    announcement's file after the commit, or a transaction enclosing an upload that rolled back.
    """
    storage = Announcement.file.field.storage
    names = unreferenced_files(older_than)
    if not dry_run:
        for name in names:
            storage.delete(name)
    return names
