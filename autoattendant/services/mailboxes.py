"""Mailboxes (DESIGN §15): where VOICEMAIL actions record, each with an optional greeting, the
longest message it takes and the addresses told of each new message.

Rules: ``name`` required; ``greeting`` an announcement sid of the enterprise (500 otherwise);
``max_length_seconds`` 5–600 (default 120); ``notify_emails`` a list of valid addresses, set only
by enterprise admins and the operator (403 for anyone else). A mailbox named by a VOICEMAIL
action (any menu key or timeout action, any system action) cannot be deleted (681). Every write
runs in one transaction and bumps the enterprise's systems (a greeting or length is in their
compiled flows).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from ..choices import ActionType, Role
from ..errors import Errors
from ..models import AutoAttendantSystem, Enterprise, Mailbox, Menu, MenuKey, User, Voicemail
from ..models.voicemail import MAX_LENGTH_RANGE
from ..runtime.versions import touch_systems
from .locking import lock_announcements, lock_row, lock_systems_of

__all__ = [
    "MAILBOX_FIELDS",
    "do_create_mailbox",
    "do_delete_mailbox",
    "do_update_mailbox",
    "mailbox_users",
    "may_edit_notify_emails",
]

MAILBOX_FIELDS = ("name", "greeting", "notify_emails", "max_length_seconds")
MAX_NOTIFY_EMAILS = 20


def may_edit_notify_emails(actor: User) -> bool:
    """Who is emailed is the enterprise admin's (and the operator's) business."""
    return actor.is_superuser or actor.role == Role.BG_ADMIN


def _clean(changes: dict, is_new: bool) -> dict:
    unknown = set(changes) - set(MAILBOX_FIELDS)
    if unknown:
        raise TypeError(f"Unknown mailbox fields: {sorted(unknown)}")
    values: dict[str, Any] = {}
    if is_new and "name" not in changes:
        raise Errors.VALIDATION({"name": "This field is required."})
    if "name" in changes:
        name = (changes["name"] or "").strip() if isinstance(changes["name"], str) else ""
        if not name or len(name) > 200:
            raise Errors.VALIDATION({"name": "A name of 1 to 200 characters."})
        values["name"] = name
    if "max_length_seconds" in changes:
        low, high = MAX_LENGTH_RANGE
        value = changes["max_length_seconds"]
        if value is None:
            value = 120
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise Errors.VALIDATION(
                {"max_length_seconds": f"Expected a whole number from {low} to {high}."}
            )
        values["max_length_seconds"] = value
    if "notify_emails" in changes:
        emails = changes["notify_emails"] or []
        if not isinstance(emails, list) or len(emails) > MAX_NOTIFY_EMAILS:
            raise Errors.VALIDATION(
                {"notify_emails": f"Expected a list of at most {MAX_NOTIFY_EMAILS} addresses."}
            )
        cleaned = []
        for index, email in enumerate(emails):
            try:
                if not isinstance(email, str):
                    raise ValidationError("not a string")
                validate_email(email.strip())
            except ValidationError:
                raise Errors.VALIDATION(
                    {f"notify_emails[{index}]": "Enter a valid email address."}
                ) from None
            cleaned.append(email.strip())
        values["notify_emails"] = list(dict.fromkeys(cleaned))
    return values


def _apply(actor: User, mailbox: Mailbox, changes: dict) -> Mailbox:
    is_new = mailbox.pk is None
    values = _clean(changes, is_new)
    emails_change = values.get("notify_emails", mailbox.notify_emails or []) != (
        mailbox.notify_emails or []
    )
    if emails_change and not may_edit_notify_emails(actor):
        raise Errors.FORBIDDEN({"notify_emails": "Only an enterprise admin sets them."})
    greeting_sid = changes.get("greeting")
    with transaction.atomic():
        greetings = lock_announcements(mailbox.enterprise_id, [greeting_sid or ""])
        if "greeting" in changes:
            if greeting_sid in (None, ""):
                values["greeting"] = None
            elif greeting_sid not in greetings:
                raise Errors.ANNOUNCEMENT_NOT_FOUND({"sid": greeting_sid, "field": "greeting"})
            else:
                values["greeting"] = greetings[greeting_sid]
        touch_systems(lock_systems_of(mailbox.enterprise_id))
        if not is_new and not lock_row(mailbox):
            raise Errors.MAILBOX_NOT_FOUND({"sid": mailbox.sid})
        for field, value in values.items():
            setattr(mailbox, field, value)
        mailbox.save()
    return mailbox


def do_create_mailbox(actor: User, *, enterprise: Enterprise, changes: dict) -> Mailbox:
    """Create a mailbox of ``enterprise`` (``changes``: any of ``MAILBOX_FIELDS``, ``name``
    required; ``greeting`` an announcement sid or None)."""
    creator = actor if actor.pk is not None else None  # an import's stand-in operator
    return _apply(actor, Mailbox(enterprise=enterprise, created_by=creator), changes)


def do_update_mailbox(actor: User, mailbox: Mailbox, changes: dict) -> Mailbox:
    """A partial update of ``mailbox``."""
    return _apply(actor, mailbox, changes)


def mailbox_users(mailbox: Mailbox) -> list[str]:
    """Sids of the menus and systems whose actions record into ``mailbox`` (three queries)."""
    sid = mailbox.sid
    kind = ActionType.VOICEMAIL
    menus = set(
        MenuKey.objects.filter(action_type=kind, action_data=sid).values_list(
            "menu__sid", flat=True
        )
    )
    menus.update(
        Menu.objects.filter(timeout_action_type=kind, timeout_action_data=sid).values_list(
            "sid", flat=True
        )
    )
    systems = AutoAttendantSystem.objects.filter(
        Q(timeout_action_type=kind, timeout_action_data=sid)
        | Q(invalid_input_action_type=kind, invalid_input_action_data=sid)
        | Q(invalid_extension_action_type=kind, invalid_extension_action_data=sid)
        | Q(dial_failure_action_type=kind, dial_failure_action_data=sid)
    ).values_list("sid", flat=True)
    return sorted(menus) + sorted(systems)


def do_delete_mailbox(mailbox: Mailbox) -> Mailbox:
    """Delete the mailbox and its messages (their stored audio is removed once committed),
    unless an action records into it (681, naming the menus and systems)."""
    with transaction.atomic():
        touch_systems(lock_systems_of(mailbox.enterprise_id))
        if not lock_row(mailbox):
            raise Errors.MAILBOX_NOT_FOUND({"sid": mailbox.sid})
        users = mailbox_users(mailbox)
        if users:
            raise Errors.MAILBOX_IN_USE({"sid": mailbox.sid, "usedBy": users})
        names = [n for n in mailbox.voicemails.values_list("audio", flat=True) if n]
        mailbox.delete()
        _delete_files_on_commit(names)
    return mailbox


def _delete_files_on_commit(names: list[str]) -> None:
    storage = Voicemail.audio.field.storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete, robust=True)
