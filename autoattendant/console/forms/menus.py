"""A menu's form: its settings, its timeout action and an action picker per key."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from ...choices import MENU_KEYS
from ...services import menus as menu_rules
from .actions import ActionPickers
from .base import Choices, ServiceForm, count_field

__all__ = ["MenuForm", "key_slug"]


def key_slug(key: str) -> str:
    """A key as it can appear in a field name: ``*`` → ``star``."""
    return "star" if key == "*" else key


_KEY_ERROR = re.compile(r"^keys\[(\d+)\](?:\.action)?(.*)$")


class MenuForm(ServiceForm):
    """``changes()``: ``services.menus.MENU_FIELDS`` (the keys as ``{"key", "action"}``)."""

    name = forms.CharField(label="Name", max_length=200)
    color_code = forms.CharField(
        label="Colour",
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Shown in the week grid.",
    )
    announcement = forms.ChoiceField(label="Announcement (what callers hear)", required=False)
    ringback_tone = forms.ChoiceField(label="Ringback tone (before a transfer)", required=False)
    timeout_seconds = count_field(
        "Seconds to wait for a key",
        menu_rules.LIMITS["timeout_seconds"],
        "Empty: the AA system's setting, else 5.",
    )
    timeout_max = count_field(
        "Timeouts before the timeout action",
        menu_rules.LIMITS["timeout_max"],
        "Empty: the AA system's setting, else 3.",
    )

    def __init__(
        self,
        *args: Any,
        announcements: Choices,
        menus: Choices,
        mailboxes: Choices = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        none = [("", "— none —"), *announcements]
        self.fields["announcement"].choices = none
        self.fields["ringback_tone"].choices = none
        self.timeout_action = ActionPickers(
            self,
            "timeout",
            "Timeout action",
            announcements=announcements,
            menus=menus,
            mailboxes=mailboxes,
            empty_label="Not set (the AA system's, else hang up)",
        )
        self.keys = {
            key: ActionPickers(
                self,
                f"key_{key_slug(key)}",
                f"Key {key}",
                announcements=announcements,
                menus=menus,
                mailboxes=mailboxes,
            )
            for key in MENU_KEYS
        }
        self.chosen_keys: list[ActionPickers] = []  # the pickers behind ``keys[i]``, once clean

    @staticmethod
    def initial_for(menu) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": menu.name,
            "color_code": menu.color_code,
            "announcement": menu.announcement.sid if menu.announcement_id else "",
            "ringback_tone": menu.ringback_tone.sid if menu.ringback_tone_id else "",
            "timeout_seconds": menu.timeout_seconds,
            "timeout_max": menu.timeout_max,
            **ActionPickers.initial("timeout", menu.timeout_action_type, menu.timeout_action_data),
        }
        for key in menu.keys.all():
            initial.update(
                ActionPickers.initial(f"key_{key_slug(key.key)}", key.action_type, key.action_data)
            )
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["timeout_action"] = self.timeout_action.value()
        cleaned["keys"], self.chosen_keys = [], []
        for key, pickers in self.keys.items():
            action = pickers.value()
            if action.action_type:
                cleaned["keys"].append({"key": key, "action": action})
                self.chosen_keys.append(pickers)
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in menu_rules.MENU_FIELDS}

    def action_at(self, name: str) -> tuple[ActionPickers | None, str] | None:
        if name.startswith("timeout_action"):
            return self.timeout_action, name.removeprefix("timeout_action")
        key = _KEY_ERROR.match(name)
        if key:  # ``keys[i]``, ``keys[i].key``, ``keys[i].action…``: that key's pickers
            i = int(key[1])
            return (self.chosen_keys[i] if i < len(self.chosen_keys) else None), key[2]
        return None
