"""The Calls and Insights pages' filters (GET forms: nothing is written)."""

from __future__ import annotations

from typing import Any

from django import forms

from ...choices import CallOutcome
from .base import Choices

PERIODS = (("30", "Last 30 days"), ("7", "Last 7 days"), ("90", "Last 90 days"))


class CallFilterForm(forms.Form):
    system = forms.ChoiceField(label="AA system", required=False)
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any outcome"), *CallOutcome.choices]
    )
    number = forms.CharField(
        label="Caller or dialled number", required=False, max_length=32, help_text="Part of it."
    )
    start = forms.DateField(
        label="From day", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To day", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, systems: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["system"].choices = [("", "All systems"), *systems]


class InsightsForm(forms.Form):
    system = forms.ChoiceField(label="AA system", required=False)
    days = forms.ChoiceField(label="Period", required=False, choices=PERIODS)

    def __init__(self, *args: Any, systems: Choices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["system"].choices = [("", "All systems"), *systems]
