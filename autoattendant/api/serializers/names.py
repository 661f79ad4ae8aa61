"""The API's field names and the services' (which are the models'): one mapping per resource.

Services take their arguments and name their errors as the models do (``timeout_seconds``,
``keys[0].action.action_data``). Each resource's serializer module declares one
:class:`FieldNames`, which its view uses both ways: the validated body becomes the service's
arguments (:meth:`FieldNames.changes`), and a service's refusal is renamed back before it reaches
the envelope (:meth:`FieldNames.errors`), so a client reads ``timeoutSeconds`` where the service
said ``timeout_seconds``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ...errors import AppError

__all__ = ["ACTION_NAMES", "FieldNames", "action_in", "action_out"]

#: An action's two fields: the API's ``{actionType, actionData}`` → the service's names.
ACTION_NAMES = {"actionType": "action_type", "actionData": "action_data"}


class FieldNames:
    """``fields``: a body's top-level API names → the service's argument names. ``inner``: names
    that appear only inside values (an action's fields, a key's) or in errors' data."""

    def __init__(self, fields: Mapping[str, str], inner: Mapping[str, str] | None = None):
        self.fields = dict(fields)
        self.to_api = {service: api for api, service in {**self.fields, **(inner or {})}.items()}

    def changes(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The validated body's fields under the service's names (only those sent)."""
        return {service: data[api] for api, service in self.fields.items() if api in data}

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Around a service call: its refusal names the API's fields."""
        try:
            yield
        except AppError as exc:
            exc.rename_fields(self.to_api)
            raise


def action_in(raw: Any) -> Any:
    """A body's action (``{actionType, actionData}``) as the services take it; anything else
    passes unchanged, for the service to refuse with the field's name."""
    if not isinstance(raw, dict):
        return raw
    # A service name sent as such is not the API's: dropped, so it cannot stand in for one.
    return {
        ACTION_NAMES.get(key, key): value
        for key, value in raw.items()
        if key not in ACTION_NAMES.values()
    }


def action_out(action_type: str, action_data: str) -> dict[str, str]:
    """An action as the API shows it; ``{}`` when none is set, as in the spec's examples."""
    if not action_type:
        return {}
    out = {"actionType": action_type}
    if action_data:
        out["actionData"] = action_data
    return out
