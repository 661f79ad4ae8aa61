"""A phone number's form: the AA system it answers for, and its extension."""

from __future__ import annotations

from typing import Any

from django import forms

from .base import Choices, ServiceForm

__all__ = ["NumberForm"]


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
