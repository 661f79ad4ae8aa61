"""The call simulator's form: a number dialled, at a moment."""

from __future__ import annotations

from typing import Any

from django import forms

from .base import Choices

__all__ = ["SimulatorForm"]


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
