"""An AA system's form: its settings, main numbers, extension directory and three actions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from ...choices import SystemLanguage, SystemStatus
from ...services import systems as system_rules
from .actions import ActionPickers
from .base import Choices, ServiceForm, count_field

__all__ = ["SystemForm"]


class SystemForm(ServiceForm):
    """``changes()``: ``services.systems.SYSTEM_FIELDS`` (the main numbers are ``aa_numbers``
    here, as the page has always posted them)."""

    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.ChoiceField(label="Status", choices=SystemStatus.choices)
    timezone_id = forms.ChoiceField(label="Time zone")
    language = forms.ChoiceField(
        label="Language",
        choices=SystemLanguage.choices,
        initial=SystemLanguage.EN,
        help_text="Built-in prompts are spoken, and callers' speech recognised, in it.",
    )
    aa_numbers = forms.MultipleChoiceField(
        label="Main numbers (callers dial these)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    extensions = forms.MultipleChoiceField(
        label="Extensions (the dial-by-extension and dial-by-name directory)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    default_menu = forms.ChoiceField(
        label="Default menu (when no schedule entry matches)", required=False
    )
    timeout_seconds = count_field(
        "Seconds to wait for a key", system_rules.LIMITS["timeout_seconds"], "Empty: 5."
    )
    timeout_max = count_field(
        "Timeouts before the timeout action", system_rules.LIMITS["timeout_max"], "Empty: 3."
    )
    invalid_input_max = count_field(
        "Invalid keys before the invalid-input action",
        system_rules.LIMITS["invalid_input_max"],
        "Empty: 3.",
    )
    invalid_extension_max = count_field(
        "Unknown extensions before the invalid-extension action",
        system_rules.LIMITS["invalid_extension_max"],
        "Empty: 3.",
    )

    # The retry prompts (the service's ``invalid_input_announcement`` / ``timeout_announcement``;
    # named apart from the action pickers' ``{prefix}_announcement`` fields).
    wrong_key_prompt = forms.ChoiceField(
        label="After a wrong key, play",
        required=False,
        help_text="Then the menu again.",
    )
    silence_prompt = forms.ChoiceField(
        label="After silence, play",
        required=False,
        help_text="Then the menu again.",
    )
    PROMPTS = {"invalid_input_announcement": "wrong_key_prompt",
               "timeout_announcement": "silence_prompt"}  # fmt: skip

    # 491 / 619 / 623 name the main number refused; 493 an entry of the directory.
    ERROR_FIELDS = {
        "main_numbers": "aa_numbers",
        "number": "aa_numbers",
        493: "extensions",
        **PROMPTS,
    }

    def __init__(
        self,
        *args: Any,
        zones: Iterable[str],
        main_numbers: Choices,
        extension_numbers: Choices,
        announcements: Choices,
        menus: Choices,
        edit_extensions: bool,
        mailboxes: Choices = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["wrong_key_prompt"].choices = [
            ("", "— built-in “not a valid choice” —"),
            *announcements,
        ]
        self.fields["silence_prompt"].choices = [("", "— none —"), *announcements]
        self.fields["timezone_id"].choices = [(z, z) for z in zones]
        self.fields["aa_numbers"].choices = main_numbers
        self.fields["default_menu"].choices = [("", "— none —"), *menus]
        if edit_extensions:
            self.fields["extensions"].choices = extension_numbers
        else:
            del self.fields["extensions"]
        self.actions = {  # keyed by the model's prefix (``timeout`` → ``timeout_action``)
            prefix: ActionPickers(
                self,
                prefix,
                label,
                announcements=announcements,
                menus=menus,
                mailboxes=mailboxes,
                empty_label=empty,
            )
            for prefix, label, empty in (
                ("timeout", "Timeout action", "Not set (hang up)"),
                ("invalid_input", "Invalid-input action", "Not set (hang up)"),
                ("invalid_extension", "Invalid-extension action", "Not set (hang up)"),
                (
                    "dial_failure",
                    "Unanswered-transfer action",
                    "Not set (apologise, back to the menu)",
                ),
            )
        }

    @staticmethod
    def initial_for(system) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": system.name,
            "description": system.description,
            "status": system.status,
            "timezone_id": system.timezone_id,
            "language": system.language,
            "aa_numbers": [n.number for n in system.main_numbers.all() if n.date_deleted is None],
            "extensions": [n.number for n in system.extensions.all() if n.date_deleted is None],
            "default_menu": system.default_menu.sid if system.default_menu_id else "",
            "timeout_seconds": system.timeout_seconds,
            "timeout_max": system.timeout_max,
            "invalid_input_max": system.invalid_input_max,
            "invalid_extension_max": system.invalid_extension_max,
            "wrong_key_prompt": system.invalid_input_announcement_sid,
            "silence_prompt": system.timeout_announcement_sid,
        }
        for prefix in system_rules.ACTION_PREFIXES:
            initial.update(
                ActionPickers.initial(
                    prefix,
                    getattr(system, f"{prefix}_action_type"),
                    getattr(system, f"{prefix}_action_data"),
                )
            )
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for prefix, pickers in self.actions.items():
            cleaned[f"{prefix}_action"] = pickers.value()
        return cleaned

    def changes(self) -> dict[str, Any]:
        c = self.cleaned_data
        changes = {field: c[field] for field in system_rules.SETTING_FIELDS}
        changes.update({f"{prefix}_action": c[f"{prefix}_action"] for prefix in self.actions})
        changes["main_numbers"] = list(c["aa_numbers"])
        changes["default_menu"] = c["default_menu"] or None
        for field, form_field in self.PROMPTS.items():
            changes[field] = c[form_field] or None
        if "extensions" in self.fields:
            changes["extensions"] = list(c["extensions"])
        return changes

    def action_at(self, name: str) -> tuple[ActionPickers | None, str] | None:
        for prefix, pickers in self.actions.items():
            if name.startswith(f"{prefix}_action"):
                return pickers, name.removeprefix(f"{prefix}_action")
        return None
