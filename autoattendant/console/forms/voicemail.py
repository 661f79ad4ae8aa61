"""A mailbox's form: name, greeting, longest message, who is emailed."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from ...models.voicemail import DEFAULT_MAX_LENGTH, MAX_LENGTH_RANGE
from .base import Choices, ServiceForm

__all__ = ["MailboxForm"]


class MailboxForm(ServiceForm):
    """``changes()``: ``services.mailboxes.MAILBOX_FIELDS``. Only enterprise admins see the
    email list (``edit_emails``)."""

    name = forms.CharField(label="Name", max_length=200)
    greeting = forms.ChoiceField(
        label="Greeting",
        required=False,
        help_text="Played before the tone. None: “Please leave a message after the tone.” in "
        "the AA system's language.",
    )
    max_length_seconds = forms.IntegerField(
        label="Longest message (seconds)",
        min_value=MAX_LENGTH_RANGE[0],
        max_value=MAX_LENGTH_RANGE[1],
        initial=DEFAULT_MAX_LENGTH,
    )
    notify_emails = forms.CharField(
        label="Email each new message to",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text="One address a line (or separated by commas).",
    )

    ERROR_FIELDS = {500: "greeting"}

    def __init__(self, *args: Any, announcements: Choices, edit_emails: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["greeting"].choices = [("", "— the built-in greeting —"), *announcements]
        if not edit_emails:
            del self.fields["notify_emails"]

    @staticmethod
    def initial_for(mailbox) -> dict[str, Any]:
        return {
            "name": mailbox.name,
            "greeting": mailbox.greeting.sid if mailbox.greeting_id else "",
            "max_length_seconds": mailbox.max_length_seconds,
            "notify_emails": "\n".join(mailbox.notify_emails or []),
        }

    def error_field(self, name: str | int) -> str | None:
        if isinstance(name, str) and name.startswith("notify_emails"):
            return "notify_emails" if "notify_emails" in self.fields else None
        return super().error_field(name)

    def changes(self) -> dict[str, Any]:
        c = self.cleaned_data
        changes = {
            "name": c["name"],
            "greeting": c["greeting"] or None,
            "max_length_seconds": c["max_length_seconds"],
        }
        if "notify_emails" in self.fields:
            changes["notify_emails"] = [
                e for e in re.split(r"[\s,;]+", c["notify_emails"] or "") if e
            ]
        return changes
