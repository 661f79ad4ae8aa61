"""Announcements: what callers hear, as text to speech (``say``) or an uploaded WAV (``play``).

Every change bumps the ``flow_version`` of the AA systems that play the announcement; deleting
is refused while anything still refers to it (507 menus, 523 actions).
"""

from __future__ import annotations

import time
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import ProtectedError, Q

from ..audio import InvalidWav, inspect_wav
from ..choices import AnnouncementType, Voice
from ..errors import Errors
from ..models import Announcement, AutoAttendantSystem, Enterprise, Menu, MenuKey, User
from ..models.announcement import announcement_upload_to
from ..runtime.versions import touch_systems

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


def systems_playing(announcement: Announcement) -> set[int]:
    """Ids of the AA systems whose call flow refers to this announcement (three queries)."""
    sid = announcement.sid
    via_menus = Menu.objects.filter(
        Q(announcement=announcement) | Q(ringback_tone=announcement) | Q(timeout_action_data=sid)
    ).values_list("auto_attendant_id", flat=True)
    via_keys = MenuKey.objects.filter(action_data=sid).values_list(
        "menu__auto_attendant_id", flat=True
    )
    via_systems = AutoAttendantSystem.objects.filter(_system_action_refers_to(sid)).values_list(
        "pk", flat=True
    )
    return {*via_menus, *via_keys, *via_systems}


def _system_action_refers_to(sid: str) -> Q:
    return (
        Q(timeout_action_data=sid)
        | Q(invalid_input_action_data=sid)
        | Q(invalid_extension_action_data=sid)
    )


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
    ``play`` turned ``say`` needs body, language and voice, sent now or stored before)."""
    _check_system_reference(announcement.enterprise, system_sid)
    merged = {k: getattr(announcement, k) for k in ANNOUNCEMENT_FIELDS}
    merged.update({k: v for k, v in changes.items() if k in ANNOUNCEMENT_FIELDS and v is not None})
    if changes.get("description", "") is None:
        merged["description"] = ""
    values = _normalise(merged)
    with transaction.atomic():
        touch_systems(systems_playing(announcement))
        for field, value in values.items():
            setattr(announcement, field, value)
        announcement.save()
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
    ):
        raise Errors.ANNOUNCEMENT_IN_ACTION({"sid": sid})


def _delete_file_on_commit(name: str) -> None:
    if not name:
        return

    def delete(storage=Announcement.file.field.storage) -> None:
        storage.delete(name)

    transaction.on_commit(delete)


def do_delete_announcement(announcement: Announcement) -> Announcement:
    """Delete it (and, once committed, its stored file). The row is locked first so that the
    reference checks and the delete see the same world."""
    with transaction.atomic():
        Announcement.objects.select_for_update().filter(pk=announcement.pk).first()
        check_deletable(announcement)
        file_name = announcement.file.name
        try:
            announcement.delete()
        except ProtectedError:  # a menu took it between the check and the delete
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


def do_upload_announcement_file(
    announcement: Announcement, content: BinaryIO, size: int
) -> Announcement:
    """Store ``content`` as the announcement's WAV and make it a ``play`` announcement.

    Refused with 413 past ``ANNOUNCEMENT_MAX_BYTES`` and with 504 unless it parses as a PCM WAV;
    either way nothing is stored. The previous file is deleted once the new one is committed;
    should the database write fail, the new file is removed again.
    """
    if size > settings.ANNOUNCEMENT_MAX_BYTES:
        raise Errors.TOO_LARGE(
            {"sid": announcement.sid, "max_bytes": settings.ANNOUNCEMENT_MAX_BYTES}
        )
    try:
        inspect_wav(content)
    except InvalidWav as exc:
        raise Errors.UPLOAD_FAILED({"sid": announcement.sid, "reason": str(exc)}) from None
    content.seek(0)
    old_name = announcement.file.name
    try:
        announcement.file.save(file_name_for(announcement), File(content), save=False)
    except OSError:
        raise Errors.UPLOAD_FAILED(
            {"sid": announcement.sid, "reason": "the file could not be stored"}
        ) from None
    new_name = announcement.file.name
    try:
        with transaction.atomic():
            touch_systems(systems_playing(announcement))
            announcement.type = AnnouncementType.PLAY
            announcement.save()
            if old_name and old_name != new_name:
                _delete_file_on_commit(old_name)
    except BaseException:
        announcement.file.storage.delete(new_name)
        raise
    return announcement
