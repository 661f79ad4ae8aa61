"""The console's login form."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

__all__ = ["EmailAuthenticationForm"]


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form; the ``username`` field is the email address."""

    username = forms.CharField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
