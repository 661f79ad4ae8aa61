"""The action pickers: an action type and the one data picker it needs (announcement, menu or
number), as menus and AA systems offer them for keys and timeouts."""

from __future__ import annotations

from django import forms

from ...choices import (
    ACTIONS_NEEDING_ANNOUNCEMENT,
    ACTIONS_NEEDING_MAILBOX,
    ACTIONS_NEEDING_MENU,
    ACTIONS_NEEDING_NUMBER,
    ACTIONS_WITH_OPTIONAL_ANNOUNCEMENT,
    ActionType,
)
from ...services.actions import NO_ACTION, Action
from .base import Choices

__all__ = ["ActionPickers", "action_kinds", "data_kind"]


def data_kind(action_type: str) -> str | None:
    """Which picker holds an action's data: ``announcement``, ``menu``, ``number``,
    ``mailbox`` or none."""
    if action_type in ACTIONS_NEEDING_ANNOUNCEMENT or action_type in (
        ACTIONS_WITH_OPTIONAL_ANNOUNCEMENT
    ):
        return "announcement"
    if action_type in ACTIONS_NEEDING_MENU:
        return "menu"
    if action_type in ACTIONS_NEEDING_NUMBER:
        return "number"
    if action_type in ACTIONS_NEEDING_MAILBOX:
        return "mailbox"
    return None


def action_kinds() -> dict[str, str]:
    """actionType → the picker it needs (for the page's script that hides the others)."""
    return {value: data_kind(value) or "" for value in ActionType.values}


class ActionPickers:
    """Adds ``{prefix}_type`` and its three data pickers to a form, and reads them back.

    The pickers only offer valid choices: the enterprise's announcements, the menus of the same
    AA system, and (as suggestions) the enterprise's extensions for a transfer. Without
    JavaScript all three show; the page's script shows only the one the action type needs.
    """

    def __init__(
        self,
        form: forms.Form,
        prefix: str,
        label: str,
        *,
        announcements: Choices,
        menus: Choices,
        mailboxes: Choices = (),
        empty_label: str = "No action",
        required: bool = False,
    ) -> None:
        self.prefix = prefix
        self.label = label
        form.fields[f"{prefix}_type"] = forms.ChoiceField(
            label=label,
            required=required,
            choices=[("", empty_label), *ActionType.choices],
        )
        form.fields[f"{prefix}_announcement"] = forms.ChoiceField(
            label="Announcement",
            required=False,
            choices=[("", "— default prompt / none —"), *announcements],
        )
        form.fields[f"{prefix}_menu"] = forms.ChoiceField(
            label="Menu", required=False, choices=[("", "— choose a menu —"), *menus]
        )
        form.fields[f"{prefix}_mailbox"] = forms.ChoiceField(
            label="Mailbox", required=False, choices=[("", "— choose a mailbox —"), *mailboxes]
        )
        form.fields[f"{prefix}_number"] = forms.CharField(
            label="Phone number",
            required=False,
            max_length=40,
            widget=forms.TextInput(
                attrs={"list": "extension-numbers", "inputmode": "tel", "autocomplete": "off"}
            ),
        )
        # How the error summary names each part: "Key 0, phone number", not just "Phone number".
        for part, what in (
            ("type", ""),
            ("announcement", "announcement"),
            ("menu", "menu"),
            ("number", "phone number"),
            ("mailbox", "mailbox"),
        ):
            form.fields[f"{prefix}_{part}"].summary_label = f"{label}, {what}" if what else label
        self.form = form

    def bound(self) -> dict[str, forms.BoundField]:
        """The four bound fields, for templates (``type``, ``announcement``, ``menu``,
        ``number``)."""
        return {
            part: self.form[f"{self.prefix}_{part}"]
            for part in ("type", "announcement", "menu", "number", "mailbox")
        }

    def value(self) -> Action:
        """The action picked (``NO_ACTION`` for none), as the services take it."""
        cleaned = self.form.cleaned_data
        action_type = cleaned.get(f"{self.prefix}_type") or ""
        if not action_type:
            return NO_ACTION
        kind = data_kind(action_type)
        data = (cleaned.get(f"{self.prefix}_{kind}") or "").strip() if kind else ""
        return Action(action_type, data)

    @staticmethod
    def initial(prefix: str, action_type: str, action_data: str) -> dict[str, str]:
        if not action_type:
            return {}
        out = {f"{prefix}_type": action_type}
        kind = data_kind(action_type)
        if kind and action_data:
            out[f"{prefix}_{kind}"] = action_data
        return out

    def error_message(self, part: str, message: str) -> str:
        """What to do about a refused action, in the page's words: the service names the
        action constant ("TRANSFER_TO_PHONE needs a phone number (3-15 digits)."); the person
        needs to know what to enter or choose in the picker beside the message."""
        if part != ".action_data":
            return message
        cleaned = self.form.cleaned_data
        kind = data_kind(cleaned.get(f"{self.prefix}_type") or "")
        entered = str(cleaned.get(f"{self.prefix}_{kind}") or "").strip() if kind else ""
        if kind == "number":
            if entered:
                return "Enter a phone number of 3 to 15 digits to transfer to, like 555 010 0100."
            return "Enter the phone number to transfer to."
        if kind == "menu":
            return "Choose the menu to go to."
        if kind == "announcement":
            return "Choose the announcement to play."
        if kind == "mailbox":
            return "Choose the mailbox to record into."
        return message

    def error_field(self, part: str) -> str:
        """Where an error about this action shows: its data (``….action_data``) next to the
        picker the action type uses, anything else (the action, its type) next to the type."""
        if part == ".action_data":
            kind = data_kind(self.form.cleaned_data.get(f"{self.prefix}_type") or "")
            if kind:
                return f"{self.prefix}_{kind}"
        return f"{self.prefix}_type"
