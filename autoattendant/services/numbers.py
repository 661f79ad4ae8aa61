"""Phone numbers: provisioned by the operator, assigned by the enterprise.

A number is either a *main* number (callers dial it to reach an AA system; at most one system)
or an *extension* (listed in the dial-by-extension / dial-by-name directory of any of the
enterprise's systems). The rules:

- digits only, 3-15 of them, unique among live numbers (617); an extension code is 1-15 digits
  and unique among the enterprise's live numbers (618); either race is decided by the database's
  partial unique constraints and answered with the same codes;
- an extension needs no code (it can be reached by its full number or its spoken name);
- an extension cannot be a main number (623): naming a system for a number flagged
  ``is_extension``, or flagging a still-assigned main number ``is_extension``, is refused;
- a number stops being an extension (``is_extension`` false) by leaving every directory, and
  its extension code and spoken name are cleared (a main number has neither);
- who may do what is decided here, for the API, the console and commands alike: the operator's
  staff provision and release numbers (``check_may_provision``); the extension fields are the
  enterprise admin's (``may_edit_directory``), an AA_ADMIN may only (un)assign a main number.
- deleting only stamps ``date_deleted`` (usage billing counts every period a number existed)
  and takes the number out of every system.

Arguments and errors use the models' names (``extension_spoken_name``, ``auto_attendant`` as
a system sid). Every change bumps the ``flow_version`` of the systems it affects.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..access import require_superuser
from ..errors import Errors
from ..models import AutoAttendantSystem, Enterprise, PhoneNumber, User
from ..runtime.versions import touch_systems
from .locking import lock_row, lock_systems

_NUMBER_NOISE = re.compile(r"[\s\-+()]")
UNCHANGED = object()


def check_may_provision(actor: User) -> None:
    """Provisioning and releasing numbers is the operator's staff's business (403 otherwise)."""
    require_superuser(actor)


def may_edit_directory(actor: User) -> bool:
    """Whether ``actor`` may change the extension directory: a number's extension fields and an
    AA system's extensions (enterprise admins and the operator's staff)."""
    return actor.is_bg_admin


def normalise_number(raw: Any, field: str = "number") -> str:
    """Digits only (spaces, dashes, ``+`` and parentheses dropped), 3 to 15 of them; else 400."""
    digits = _NUMBER_NOISE.sub("", str(raw)) if isinstance(raw, str | int) else ""
    if not digits.isascii() or not digits.isdigit() or not 3 <= len(digits) <= 15:
        raise Errors.VALIDATION({field: f"{raw!r} is not a phone number (3 to 15 digits)."})
    return digits


def normalise_extension_code(raw: Any, field: str = "extension") -> str:
    """An extension code: 1 to 15 digits (spaces and dashes dropped); empty means none."""
    if raw in (None, ""):
        return ""
    code = _NUMBER_NOISE.sub("", str(raw)) if isinstance(raw, str | int) else "x"
    if not code.isascii() or not code.isdigit() or len(code) > 15:
        raise Errors.VALIDATION({field: f"{raw!r} is not an extension code (1 to 15 digits)."})
    return code


def _check_number_free(digits: str, exclude_pk: int | None = None) -> None:
    clash = PhoneNumber.objects.live().filter(number=digits)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise Errors.NUMBER_EXISTS({"number": digits})


def _check_extension_free(enterprise_id: int, code: str, exclude_pk: int | None = None) -> None:
    if not code:
        return
    clash = PhoneNumber.objects.live().filter(enterprise_id=enterprise_id, extension=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise Errors.EXTENSION_EXISTS({"extension": code})


def _system_of(enterprise: Enterprise | int, system_sid: Any) -> AutoAttendantSystem | None:
    """``None`` for null / ``""`` (unassigned); else a system of the enterprise or 490."""
    if system_sid in (None, ""):
        return None
    enterprise_id = enterprise if isinstance(enterprise, int) else enterprise.pk
    system = AutoAttendantSystem.objects.filter(sid=system_sid, enterprise_id=enterprise_id).first()
    if system is None:
        raise Errors.SYSTEM_NOT_FOUND({"sid": system_sid})
    return system


def _save_deciding_races(number: PhoneNumber) -> None:
    """Save; should a concurrent writer have taken the digits or the extension code since the
    checks ran, answer the documented 617 / 618 rather than a database error."""
    try:
        with transaction.atomic():
            number.save()
    except IntegrityError:
        _check_number_free(number.number, exclude_pk=number.pk)
        _check_extension_free(number.enterprise_id, number.extension, exclude_pk=number.pk)
        raise


def do_create_number(
    actor: User,
    *,
    enterprise: Enterprise,
    number: Any,
    is_extension: bool = False,
    extension: Any = "",
    extension_spoken_name: str | None = "",
    auto_attendant: Any = None,
) -> PhoneNumber:
    """Provision a number to an enterprise (operator staff only); ``auto_attendant`` is the sid
    of one of its systems, or none."""
    check_may_provision(actor)
    digits = normalise_number(number)
    code = normalise_extension_code(extension)
    spoken_name = (extension_spoken_name or "").strip()
    if not is_extension and (code or spoken_name):
        raise Errors.VALIDATION(
            {"is_extension": "Only an extension has an extension code or a spoken name."}
        )
    system = _system_of(enterprise, auto_attendant)
    if is_extension and system is not None:
        raise Errors.EXTENSION_AS_MAIN_NUMBER({"number": digits, "auto_attendant": system.sid})
    phone = PhoneNumber(
        enterprise=enterprise,
        number=digits,
        is_extension=is_extension,
        extension=code,
        extension_spoken_name=spoken_name,
        auto_attendant=system,
        created_by=actor,
    )
    with transaction.atomic():
        _check_number_free(digits)
        _check_extension_free(enterprise.pk, code)
        _lock_systems({phone.auto_attendant_id}, system)
        _save_deciding_races(phone)
    return phone


def _lock(phone: PhoneNumber) -> None:
    """Lock the number's row and take its committed values (491 once it is released)."""
    if not lock_row(phone) or phone.date_deleted is not None:
        raise Errors.NUMBER_NOT_FOUND({"sid": phone.sid})


def _lock_systems(affected: set[int | None], system: AutoAttendantSystem | None) -> None:
    """Lock and bump the systems the change affects, after the number's row (the order of
    ``services.locking``) and in primary-key order; 490 when ``system``, the one the number is
    to join, was deleted meanwhile. Writes that follow count as part of the bump (see
    ``runtime.versions``)."""
    locked = lock_systems(affected)
    if system is not None and system.pk not in locked:
        raise Errors.SYSTEM_NOT_FOUND({"sid": system.sid})
    touch_systems(affected)


def do_update_number(
    actor: User,
    phone: PhoneNumber,
    *,
    is_extension: Any = UNCHANGED,
    extension: Any = UNCHANGED,
    extension_spoken_name: Any = UNCHANGED,
    auto_attendant: Any = UNCHANGED,
) -> PhoneNumber:
    """A partial update; arguments left ``UNCHANGED`` keep their value (``auto_attendant``: a
    system sid, or none to unassign).

    Changing the extension fields (``is_extension``, ``extension``, ``extension_spoken_name``)
    needs :func:`may_edit_directory` (403 otherwise); anyone may (un)assign the number's system.

    The number's row is locked and re-read first: the change applies to what is stored now, and
    a number released meanwhile answers 491 rather than being brought back.
    """
    with transaction.atomic():
        _lock(phone)
        new_is_extension = phone.is_extension if is_extension is UNCHANGED else bool(is_extension)
        new_code = (
            phone.extension if extension is UNCHANGED else normalise_extension_code(extension)
        )
        new_name = (
            phone.extension_spoken_name
            if extension_spoken_name is UNCHANGED
            else (extension_spoken_name or "").strip()
        )
        changes_directory = (new_is_extension, new_code, new_name) != (
            phone.is_extension,
            phone.extension,
            phone.extension_spoken_name,
        )
        if changes_directory and not may_edit_directory(actor):
            raise Errors.FORBIDDEN({"sid": phone.sid})
        if not new_is_extension:
            if (extension is not UNCHANGED and new_code) or (
                extension_spoken_name is not UNCHANGED and new_name
            ):
                raise Errors.VALIDATION(
                    {"is_extension": "Only an extension has an extension code or a spoken name."}
                )
            new_code, new_name = "", ""
        system = (
            phone.auto_attendant
            if auto_attendant is UNCHANGED
            else _system_of(phone.enterprise_id, auto_attendant)
        )
        if new_is_extension and system is not None:
            raise Errors.EXTENSION_AS_MAIN_NUMBER({"sid": phone.sid, "auto_attendant": system.sid})

        if new_code != phone.extension:
            _check_extension_free(phone.enterprise_id, new_code, exclude_pk=phone.pk)
        # The invalidation signal bumps every system listing it: lock them all here, in order,
        # rather than let the signal's UPDATE lock them in whatever order it meets them.
        listed_in = set(phone.extension_of_systems.values_list("pk", flat=True))
        _lock_systems({phone.auto_attendant_id, system.pk if system else None, *listed_in}, system)
        if phone.is_extension and not new_is_extension:
            phone.extension_of_systems.clear()
        phone.is_extension = new_is_extension
        phone.extension = new_code
        phone.extension_spoken_name = new_name
        phone.auto_attendant = system
        _save_deciding_races(phone)
        return phone


def do_delete_number(actor: User, phone: PhoneNumber) -> PhoneNumber:
    """Release a number (operator staff only): stamped deleted, out of every system."""
    check_may_provision(actor)
    with transaction.atomic():
        _lock(phone)
        affected = {
            phone.auto_attendant_id,
            *phone.extension_of_systems.values_list("pk", flat=True),
        }
        _lock_systems(affected, None)
        phone.extension_of_systems.clear()
        phone.auto_attendant = None
        phone.date_deleted = timezone.now()
        phone.save(update_fields=["auto_attendant", "date_deleted", "date_updated"])
    return phone
