"""A user's form (create and edit)."""

from __future__ import annotations

from typing import Any

from django import forms

from ...choices import Role, UserStatus
from .base import ServiceForm

__all__ = ["UserForm"]


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
