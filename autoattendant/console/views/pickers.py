"""The choices the console's pickers offer: only what a service would accept (one query each)."""

from __future__ import annotations

from ...models import Announcement, AutoAttendantSystem, Enterprise, Mailbox, Menu, PhoneNumber


def announcement_choices(enterprise: Enterprise) -> list[tuple[str, str]]:
    rows = Announcement.objects.filter(enterprise=enterprise).order_by("name", "sid")
    return [
        (sid, f"{name} ({'text to speech' if kind == 'say' else 'audio file'})")
        for sid, name, kind in rows.values_list("sid", "name", "type")
    ]


def menu_choices(system: AutoAttendantSystem, exclude: Menu | None = None) -> list[tuple[str, str]]:
    """Menus of the same AA system (a GO_TO_MENU may name no other), without ``exclude``."""
    rows = Menu.objects.filter(auto_attendant=system).order_by("name", "sid")
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return list(rows.values_list("sid", "name"))


def mailbox_choices(enterprise: Enterprise) -> list[tuple[str, str]]:
    """The enterprise's mailboxes, for a VOICEMAIL action."""
    rows = Mailbox.objects.filter(enterprise=enterprise).order_by("name", "sid")
    return list(rows.values_list("sid", "name"))


def extension_numbers(enterprise: Enterprise) -> list[PhoneNumber]:
    """The enterprise's live extensions, as suggestions for a transfer number."""
    return list(
        PhoneNumber.objects.live()
        .filter(enterprise=enterprise, is_extension=True)
        .order_by("extension", "number")
        .only("number", "extension", "extension_spoken_name")
    )


def system_choices(enterprise: Enterprise) -> list[tuple[str, str]]:
    rows = AutoAttendantSystem.objects.filter(enterprise=enterprise).order_by("name", "sid")
    return list(rows.values_list("sid", "name"))
