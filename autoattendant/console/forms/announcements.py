"""An announcement's form: text to speech or a WAV file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from ...choices import AnnouncementType, Voice
from ...services.announcements import ANNOUNCEMENT_FIELDS
from .base import ServiceForm

__all__ = ["AnnouncementForm"]


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
