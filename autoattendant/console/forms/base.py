"""What the console's service forms share: ``ServiceForm`` (``changes()`` are a service's
arguments; ``error_field`` places its refusals), the choices a view hands a form, and count
fields bounded by the service's limits."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms

if TYPE_CHECKING:
    from .actions import ActionPickers

__all__ = ["Choices", "ServiceForm", "count_field"]


Choices = Sequence[tuple[str, str]]


def count_field(label: str, limits: tuple[int, int], help_text: str) -> forms.IntegerField:
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

    def action_at(self, name: str) -> tuple[ActionPickers | None, str] | None:
        """The action pickers that an error path names (``timeout_action.action_data``,
        ``keys[2].action…``) and the rest of the path (``.action_data``); ``(None, rest)`` for an
        action this form does not show; None when the path names no action. Forms with action
        pickers say which paths are theirs."""
        return None

    def error_field(self, name: str | int) -> str | None:
        """The form field that shows an error about ``name`` — a field path in the service's
        terms (``timeout_seconds``, ``keys[2].action``) or an error code — or None (above the
        form)."""
        at = self.action_at(name) if isinstance(name, str) else None
        if at is not None:
            pickers, rest = at
            return pickers.error_field(rest) if pickers is not None else None
        head = re.split(r"[.\[]", name, maxsplit=1)[0] if isinstance(name, str) else name
        field = self.ERROR_FIELDS.get(head, head)
        return field if isinstance(field, str) and field in self.fields else None

    def error_message(self, name: str, message: str) -> str:
        """The words shown for a service's field error about ``name``: the service speaks to API
        clients ("TRANSFER_TO_PHONE needs a phone number"), the page to the person filling it
        in ("Enter the phone number to transfer to"). The rule stays in the service."""
        at = self.action_at(name)
        if at is not None and at[0] is not None:
            return at[0].error_message(at[1], message)
        return message
