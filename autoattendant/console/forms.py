"""The console's forms: presentation and parsing, in the services' own terms.

A form's cleaned data become the arguments of the service its view calls, under the models'
names (``timeout_seconds``, ``keys``, ``timeout_action``): ``changes()`` hands them over, and the
service checks the rules — the same service, and so the same rules, as the API's. A refusal
names fields the same way; ``error_field`` says where each one is shown (``place_error``): on the
form field of that name, on an action's pickers, or above the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

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
from ..services import menus as menu_rules
from ..services import systems as system_rules
from ..services.actions import NO_ACTION, Action
from ..services.announcements import ANNOUNCEMENT_FIELDS

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
# The schedule service checks the times (``HH:MM``, the engine's ``parse_hhmm``).
HHMM_ATTRS = {"placeholder": "HH:MM", "inputmode": "numeric", "size": 5, "autocomplete": "off"}


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


def _count_field(label: str, limits: tuple[int, int], help_text: str) -> forms.IntegerField:
    """An optional count within the service's limits (so the page says so before saving)."""
    low, high = limits
    return forms.IntegerField(
        label=label, required=False, min_value=low, max_value=high, help_text=help_text
    )


class ServiceForm(forms.Form):
    """A form whose ``changes()`` are a service's arguments, and which places that service's
    refusals (see ``views.base.place_error``)."""

    #: Names in a service's errors that are not this form's fields — another spelling of a
    #: field, or an error code whose data names none — → the field that shows them.
    ERROR_FIELDS: ClassVar[Mapping[str | int, str]] = {}

    def changes(self) -> dict[str, Any]:
        raise NotImplementedError

    def error_field(self, name: str | int) -> str | None:
        """The form field that shows an error about ``name`` — a field path in the service's
        terms (``timeout_seconds``, ``keys[2].action``) or an error code — or None (above the
        form)."""
        head = re.split(r"[.\[]", name, maxsplit=1)[0] if isinstance(name, str) else name
        field = self.ERROR_FIELDS.get(head, head)
        return field if isinstance(field, str) and field in self.fields else None


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

    def error_field(self, part: str) -> str:
        """Where an error about this action shows: its data (``….action_data``) next to the
        picker the action type uses, anything else (the action, its type) next to the type."""
        if part == ".action_data":
            kind = data_kind(self.form.cleaned_data.get(f"{self.prefix}_type") or "")
            if kind:
                return f"{self.prefix}_{kind}"
        return f"{self.prefix}_type"


# --- menus ------------------------------------------------------------------------------------

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
    timeout_seconds = _count_field(
        "Seconds to wait for a key",
        menu_rules.LIMITS["timeout_seconds"],
        "Empty: the AA system's setting, else 5.",
    )
    timeout_max = _count_field(
        "Timeouts before the timeout action",
        menu_rules.LIMITS["timeout_max"],
        "Empty: the AA system's setting, else 3.",
    )

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

    def error_field(self, name: str | int) -> str | None:
        if isinstance(name, str) and name.startswith("timeout_action"):
            return self.timeout_action.error_field(name.removeprefix("timeout_action"))
        key = _KEY_ERROR.match(name) if isinstance(name, str) else None
        if key:  # ``keys[i]``, ``keys[i].key``, ``keys[i].action…``: that key's pickers
            i = int(key[1])
            return self.chosen_keys[i].error_field(key[2]) if i < len(self.chosen_keys) else None
        return super().error_field(name)


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
    timeout_seconds = _count_field(
        "Seconds to wait for a key", system_rules.LIMITS["timeout_seconds"], "Empty: 5."
    )
    timeout_max = _count_field(
        "Timeouts before the timeout action", system_rules.LIMITS["timeout_max"], "Empty: 3."
    )
    invalid_input_max = _count_field(
        "Invalid keys before the invalid-input action",
        system_rules.LIMITS["invalid_input_max"],
        "Empty: 3.",
    )
    invalid_extension_max = _count_field(
        "Unknown extensions before the invalid-extension action",
        system_rules.LIMITS["invalid_extension_max"],
        "Empty: 3.",
    )

    # 491 / 619 / 623 name the main number refused; 493 an entry of the directory.
    ERROR_FIELDS = {"main_numbers": "aa_numbers", "number": "aa_numbers", 493: "extensions"}

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
        self.actions = {  # keyed by the model's prefix (``timeout`` → ``timeout_action``)
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
        if "extensions" in self.fields:
            changes["extensions"] = list(c["extensions"])
        return changes

    def error_field(self, name: str | int) -> str | None:
        for prefix, pickers in self.actions.items():
            if isinstance(name, str) and name.startswith(f"{prefix}_action"):
                return pickers.error_field(name.removeprefix(f"{prefix}_action"))
        return super().error_field(name)


# --- announcements ----------------------------------------------------------------------------


class AnnouncementForm(ServiceForm):
    """``changes()``: ``services.announcements.ANNOUNCEMENT_FIELDS``; the file, if any, is
    stored by the view afterwards."""

    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    type = forms.ChoiceField(
        label="Type", choices=AnnouncementType.choices, widget=forms.RadioSelect
    )
    body = forms.CharField(
        label="Text to speak",
        required=False,
        max_length=4000,
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

    # The upload's refusals (not a WAV, too large) name no field.
    ERROR_FIELDS = {504: "file", 606: "file"}

    def __init__(self, *args: Any, languages: Iterable[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "—"), *((lang, lang) for lang in languages)]

    def changes(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in ANNOUNCEMENT_FIELDS}


# --- numbers and users ------------------------------------------------------------------------


class NumberForm(ServiceForm):
    """A number's AA system; its extension fields only for an enterprise admin.
    ``changes()``: the arguments of ``do_update_number``."""

    auto_attendant = forms.ChoiceField(label="AA system (for a main number)", required=False)
    is_extension = forms.BooleanField(label="This number is an extension", required=False)
    extension = forms.CharField(label="Extension code", required=False, max_length=15)
    extension_spoken_name = forms.CharField(
        label="Spoken name (for dial by name)", required=False, max_length=200
    )

    EXTENSION_FIELDS = ("is_extension", "extension", "extension_spoken_name")

    def __init__(self, *args: Any, systems: Choices, edit_extensions: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["auto_attendant"].choices = [("", "— none —"), *systems]
        if not edit_extensions:
            for name in self.EXTENSION_FIELDS:
                del self.fields[name]

    def changes(self) -> dict[str, Any]:
        """The system, and (when shown) the extension fields; a main number's code and name are
        not sent, so unticking "extension" is all it takes."""
        c = self.cleaned_data
        changes: dict[str, Any] = {"auto_attendant": c["auto_attendant"] or None}
        if "is_extension" in self.fields:
            changes["is_extension"] = c["is_extension"]
            if c["is_extension"]:
                changes["extension"] = c["extension"]
                changes["extension_spoken_name"] = c["extension_spoken_name"]
        return changes


class UserForm(ServiceForm):
    """``changes()``: the arguments of ``do_create_user`` / ``do_update_user`` (the password
    only when one is typed)."""

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

    # Refusals whose data names no field: the email is taken (here, or in another enterprise).
    ERROR_FIELDS = {484: "email", 505: "email"}

    def changes(self) -> dict[str, Any]:
        c = self.cleaned_data
        changes = {field: c[field] for field in ("name", "email", "role", "status")}
        if c["password"]:
            changes["password"] = c["password"]
        return changes


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
