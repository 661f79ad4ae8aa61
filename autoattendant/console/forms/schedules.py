"""An AA system's schedule as two formsets of rows: weekly time ranges and special days. The
schedule service checks the rows (times, overlaps) when the view hands them over."""

from __future__ import annotations

from typing import Any

from django import forms

from .base import Choices

__all__ = ["DAYS", "SpecialDayFormSet", "SpecialDayRowForm", "WeeklyFormSet", "WeeklyRowForm"]


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
