"""The console's forms: presentation and parsing only.

A form collects what a person picks and turns it into the API's body (its field names), which the
view validates with the API's own serializer and hands to the same service the API calls. So the
rules live in one place, and a refusal names API fields that ``place_error`` maps back here
(each form's ``API_FIELDS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from ..choices import (
    ACTIONS_NEEDING_ANNOUNCEMENT,
    ACTIONS_NEEDING_MENU,
    ACTIONS_NEEDING_NUMBER,
    ACTIONS_WITH_OPTIONAL_ANNOUNCEMENT,
    MENU_KEYS,
    ActionType,
    AnnouncementType,
    Role,
    SystemLanguage,
    SystemStatus,
    UserStatus,
    Voice,
)

Choices = Sequence[tuple[str, str]]

DAYS = [
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
    (7, "Sunday"),
]
HHMM_ATTRS = {
    "placeholder": "HH:MM",
    "pattern": r"([01][0-9]|2[0-4]):[0-5][0-9]",
    "inputmode": "numeric",
    "size": 5,
    "autocomplete": "off",
}


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form; the ``username`` field is the email address."""

    username = forms.CharField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


def key_slug(key: str) -> str:
    """A key as it can appear in a field name: ``*`` → ``star``."""
    return "star" if key == "*" else key


# --- action pickers ---------------------------------------------------------------------------


def data_kind(action_type: str) -> str | None:
    """Which picker holds an action's data: ``announcement``, ``menu``, ``number`` or none."""
    if action_type in ACTIONS_NEEDING_ANNOUNCEMENT or action_type in (
        ACTIONS_WITH_OPTIONAL_ANNOUNCEMENT
    ):
        return "announcement"
    if action_type in ACTIONS_NEEDING_MENU:
        return "menu"
    if action_type in ACTIONS_NEEDING_NUMBER:
        return "number"
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
        form.fields[f"{prefix}_number"] = forms.CharField(
            label="Phone number",
            required=False,
            max_length=40,
            widget=forms.TextInput(
                attrs={"list": "extension-numbers", "inputmode": "tel", "autocomplete": "off"}
            ),
        )
        self.form = form

    def bound(self) -> dict[str, forms.BoundField]:
        """The four bound fields, for templates (``type``, ``announcement``, ``menu``,
        ``number``)."""
        return {
            part: self.form[f"{self.prefix}_{part}"]
            for part in ("type", "announcement", "menu", "number")
        }

    def field_for(self, action_type: str) -> str:
        """The form field an ``actionData`` error belongs next to."""
        kind = data_kind(action_type)
        return f"{self.prefix}_{kind}" if kind else f"{self.prefix}_type"

    def value(self) -> dict[str, str]:
        """The API's ``{actionType, actionData}``; ``{}`` for "no action"."""
        cleaned = self.form.cleaned_data
        action_type = cleaned.get(f"{self.prefix}_type") or ""
        if not action_type:
            return {}
        kind = data_kind(action_type)
        data = (cleaned.get(f"{self.prefix}_{kind}") or "").strip() if kind else ""
        return (
            {"actionType": action_type, "actionData": data} if data else {"actionType": action_type}
        )

    @staticmethod
    def initial(prefix: str, action_type: str, action_data: str) -> dict[str, str]:
        if not action_type:
            return {}
        out = {f"{prefix}_type": action_type}
        kind = data_kind(action_type)
        if kind and action_data:
            out[f"{prefix}_{kind}"] = action_data
        return out

    def error_fields(self, api_name: str, action_type: str) -> dict[str, str]:
        """API error names for this action (``keys[0].menuAction``…) → form fields."""
        return {
            api_name: f"{self.prefix}_type",
            f"{api_name}.actionType": f"{self.prefix}_type",
            f"{api_name}.actionData": self.field_for(action_type),
        }


# --- menus ------------------------------------------------------------------------------------


class MenuForm(forms.Form):
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
    timeout_seconds = forms.IntegerField(
        label="Seconds to wait for a key",
        required=False,
        help_text="Empty: the AA system's setting, else 5.",
    )
    timeout_max = forms.IntegerField(
        label="Timeouts before the timeout action",
        required=False,
        help_text="Empty: the AA system's setting, else 3.",
    )

    API_FIELDS = {
        "name": "name",
        "colorCode": "color_code",
        "announcementSid": "announcement",
        "ringbackToneSid": "ringback_tone",
        "timeoutSeconds": "timeout_seconds",
        "timeoutMaxOccurance": "timeout_max",
    }

    def __init__(self, *args: Any, announcements: Choices, menus: Choices, **kwargs: Any):
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
            empty_label="Not set (the AA system's, else hang up)",
        )
        self.keys = {
            key: ActionPickers(
                self,
                f"key_{key_slug(key)}",
                f"Key {key}",
                announcements=announcements,
                menus=menus,
            )
            for key in MENU_KEYS
        }

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

    def api_body(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The API's menu body and the error-name → form-field map that goes with it."""
        c = self.cleaned_data
        body: dict[str, Any] = {
            "name": c["name"],
            "colorCode": c.get("color_code") or "",
            "announcementSid": c.get("announcement") or None,
            "ringbackToneSid": c.get("ringback_tone") or None,
            "timeoutSeconds": c.get("timeout_seconds"),
            "timeoutMaxOccurance": c.get("timeout_max"),
            "timeoutAction": self.timeout_action.value(),
            "keys": [],
        }
        fields = dict(self.API_FIELDS)
        fields.update(
            self.timeout_action.error_fields(
                "timeoutAction", body["timeoutAction"].get("actionType", "")
            )
        )
        for key, pickers in self.keys.items():
            action = pickers.value()
            if not action:
                continue
            i = len(body["keys"])
            body["keys"].append({"menuKey": key, "menuAction": action})
            fields[f"keys[{i}]"] = f"{pickers.prefix}_type"
            fields[f"keys[{i}].menuKey"] = f"{pickers.prefix}_type"
            fields.update(pickers.error_fields(f"keys[{i}].menuAction", action["actionType"]))
        return body, fields


# --- schedules --------------------------------------------------------------------------------


class WeeklyRowForm(forms.Form):
    """One weekly time range: a menu answers on a day from start to end."""

    menu = forms.ChoiceField(label="Menu")
    day = forms.TypedChoiceField(label="Day", choices=DAYS, coerce=int, initial=1)
    start_time = forms.CharField(label="From", max_length=5, widget=forms.TextInput(HHMM_ATTRS))
    end_time = forms.CharField(label="To", max_length=5, widget=forms.TextInput(HHMM_ATTRS))

    def __init__(self, *args: Any, menus: Choices = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["menu"].choices = [("", "— choose —"), *menus]


class SpecialDayRowForm(forms.Form):
    """Special days: a menu answers on these dates (all day, or from start to end)."""

    menu = forms.ChoiceField(label="Menu")
    start_date = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.CharField(
        label="From", required=False, max_length=5, widget=forms.TextInput(HHMM_ATTRS)
    )
    end_time = forms.CharField(
        label="To", required=False, max_length=5, widget=forms.TextInput(HHMM_ATTRS)
    )

    def __init__(self, *args: Any, menus: Choices = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["menu"].choices = [("", "— choose —"), *menus]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if bool(start) != bool(end):
            self.add_error(
                "end_time" if start else "start_time",
                "Give both times, or neither for the whole day.",
            )
        return cleaned


class RowFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove"


WeeklyFormSet = forms.formset_factory(WeeklyRowForm, formset=RowFormSet, extra=2, can_delete=True)
SpecialDayFormSet = forms.formset_factory(
    SpecialDayRowForm, formset=RowFormSet, extra=1, can_delete=True
)


# --- AA systems -------------------------------------------------------------------------------


class SystemForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
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
    timeout_seconds = forms.IntegerField(
        label="Seconds to wait for a key", required=False, help_text="Empty: 5."
    )
    timeout_max = forms.IntegerField(
        label="Timeouts before the timeout action", required=False, help_text="Empty: 3."
    )
    invalid_input_max = forms.IntegerField(
        label="Invalid keys before the invalid-input action", required=False, help_text="Empty: 3."
    )
    invalid_extension_max = forms.IntegerField(
        label="Unknown extensions before the invalid-extension action",
        required=False,
        help_text="Empty: 3.",
    )

    API_FIELDS = {
        "name": "name",
        "description": "description",
        "status": "status",
        "timezoneId": "timezone_id",
        "language": "language",
        "aaNumbers": "aa_numbers",
        "extensions": "extensions",
        "defaultMenuSid": "default_menu",
        "timeoutSeconds": "timeout_seconds",
        "timeoutMaxOccurance": "timeout_max",
        "invalidInputMaxOccurance": "invalid_input_max",
        "invalidExtensionMaxOccurance": "invalid_extension_max",
        "number": "aa_numbers",
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
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["timezone_id"].choices = [(z, z) for z in zones]
        self.fields["aa_numbers"].choices = main_numbers
        self.fields["default_menu"].choices = [("", "— none —"), *menus]
        if edit_extensions:
            self.fields["extensions"].choices = extension_numbers
        else:
            del self.fields["extensions"]
        self.actions = {
            prefix: ActionPickers(
                self,
                prefix,
                label,
                announcements=announcements,
                menus=menus,
                empty_label="Not set (hang up)",
            )
            for prefix, label in (
                ("timeout", "Timeout action"),
                ("invalid_input", "Invalid-input action"),
                ("invalid_extension", "Invalid-extension action"),
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
        }
        for prefix in ("timeout", "invalid_input", "invalid_extension"):
            initial.update(
                ActionPickers.initial(
                    prefix,
                    getattr(system, f"{prefix}_action_type"),
                    getattr(system, f"{prefix}_action_data"),
                )
            )
        return initial

    def api_body(self) -> tuple[dict[str, Any], dict[str, str]]:
        c = self.cleaned_data
        body: dict[str, Any] = {
            "name": c["name"],
            "description": c.get("description") or "",
            "status": c["status"],
            "timezoneId": c["timezone_id"],
            "language": c["language"],
            "aaNumbers": list(c.get("aa_numbers") or []),
            "defaultMenuSid": c.get("default_menu") or None,
            "timeoutSeconds": c.get("timeout_seconds"),
            "timeoutMaxOccurance": c.get("timeout_max"),
            "invalidInputMaxOccurance": c.get("invalid_input_max"),
            "invalidExtensionMaxOccurance": c.get("invalid_extension_max"),
        }
        if "extensions" in self.fields:
            body["extensions"] = list(c.get("extensions") or [])
        fields = dict(self.API_FIELDS)
        for prefix, api in (
            ("timeout", "timeoutAction"),
            ("invalid_input", "invalidInputAction"),
            ("invalid_extension", "invalidExtensionAction"),
        ):
            action = self.actions[prefix].value()
            body[api] = action
            fields.update(self.actions[prefix].error_fields(api, action.get("actionType", "")))
        return body, fields


# --- announcements ----------------------------------------------------------------------------


class AnnouncementForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    type = forms.ChoiceField(
        label="Type", choices=AnnouncementType.choices, widget=forms.RadioSelect
    )
    body = forms.CharField(
        label="Text to speak",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For text to speech.",
    )
    language = forms.ChoiceField(label="Language", required=False)
    voice = forms.ChoiceField(label="Voice", required=False, choices=[("", "—"), *Voice.choices])
    file = forms.FileField(
        label="WAV file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".wav,audio/wav,audio/x-wav"}),
        help_text="For an audio file: a PCM WAV (8 kHz mono 16-bit plays best).",
    )

    API_FIELDS = {
        "name": "name",
        "description": "description",
        "type": "type",
        "body": "body",
        "language": "language",
        "voice": "voice",
        "file": "file",
        "reason": "file",
        "maxBytes": "file",
    }

    def __init__(self, *args: Any, languages: Iterable[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "—"), *((lang, lang) for lang in languages)]

    def api_body(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {
            "name": c["name"],
            "description": c.get("description") or "",
            "type": c["type"],
            "body": c.get("body") or "",
            "language": c.get("language") or "",
            "voice": c.get("voice") or "",
        }


# --- numbers and users ------------------------------------------------------------------------


class NumberForm(forms.Form):
    """A number's AA system; its extension fields only for an enterprise admin."""

    auto_attendant = forms.ChoiceField(label="AA system (for a main number)", required=False)
    is_extension = forms.BooleanField(label="This number is an extension", required=False)
    extension = forms.CharField(label="Extension code", required=False, max_length=15)
    extension_spoken_name = forms.CharField(
        label="Spoken name (for dial by name)", required=False, max_length=200
    )

    API_FIELDS = {
        "autoAttendantSid": "auto_attendant",
        "isExtension": "is_extension",
        "extension": "extension",
        "extensionSpokenName": "extension_spoken_name",
        "number": "auto_attendant",
    }
    EXTENSION_FIELDS = ("is_extension", "extension", "extension_spoken_name")

    def __init__(self, *args: Any, systems: Choices, edit_extensions: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["auto_attendant"].choices = [("", "— none —"), *systems]
        if not edit_extensions:
            for name in self.EXTENSION_FIELDS:
                del self.fields[name]

    def api_body(self) -> dict[str, Any]:
        c = self.cleaned_data
        body: dict[str, Any] = {"autoAttendantSid": c.get("auto_attendant") or None}
        if "is_extension" in self.fields:
            body["isExtension"] = bool(c.get("is_extension"))
            if body["isExtension"]:
                body["extension"] = c.get("extension") or ""
                body["extensionSpokenName"] = c.get("extension_spoken_name") or ""
        return body


class UserForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=200)
    email = forms.EmailField(label="Email", max_length=254)
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    status = forms.ChoiceField(label="Status", choices=UserStatus.choices[:2])
    password = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Leave empty to keep the current one (a new user without one cannot log in "
        "to the console).",
    )

    API_FIELDS = {
        "name": "name",
        "emailId": "email",
        "role": "role",
        "status": "status",
        "password": "password",
        "passwordErrors": "password",
    }
    # Refusals whose data names no field.
    ERROR_FIELDS = {484: "email", 505: "email"}

    def api_body(self) -> dict[str, Any]:
        c = self.cleaned_data
        body = {"name": c.get("name") or "", "emailId": c["email"], "role": c["role"]}
        body["status"] = c["status"]
        if c.get("password"):
            body["password"] = c["password"]
        return body


# --- the call simulator -----------------------------------------------------------------------


class SimulatorForm(forms.Form):
    number = forms.ChoiceField(label="Number dialled")
    at = forms.DateTimeField(
        label="Moment of the call (the AA system's local time)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text="Empty: now.",
    )

    def __init__(self, *args: Any, numbers: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["number"].choices = numbers
