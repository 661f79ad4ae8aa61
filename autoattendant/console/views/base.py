"""What every console page shares: login, the enterprise it acts for, roles, tenancy, and
showing a service's refusal where the user will see it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from rest_framework import serializers

from ...access import get_visible
from ...choices import EnterpriseStatus
from ...errors import AppError, ErrorCode, Errors
from ...models import Enterprise

# Superusers have no enterprise of their own: the one they chose is kept in the session.
SESSION_ENTERPRISE = "console_enterprise_sid"

# Plain-words explanations of the documented refusals, shown instead of the API's terse messages
# where those would puzzle someone in a browser. The rule itself stays in the service.
EXPLANATIONS: dict[int, str] = {
    484: "A user with this email address already exists in your enterprise.",
    490: "That auto attendant system does not exist (or is not yours).",
    491: "That phone number does not exist in your enterprise.",
    493: "Only numbers flagged as extensions can be listed as an AA system's extensions.",
    499: "The password does not meet the password policy.",
    500: "That announcement does not exist in your enterprise.",
    502: "That menu does not exist in this AA system.",
    504: "The file is not a valid PCM WAV recording.",
    505: "This email address already belongs to a user of another enterprise.",
    506: "This menu cannot be deleted: the schedule still uses it. Remove it from the weekly "
    "schedule and the special days first.",
    507: "This announcement cannot be deleted: a menu plays it (as its announcement or ringback "
    "tone). Pick another announcement in those menus first.",
    509: "This menu cannot be deleted while it has an announcement assigned. Set its "
    "announcement to “none” first.",
    519: "Text to speech needs the text, a language and a voice.",
    521: "That language is not supported.",
    522: "The voice must be man or woman.",
    523: "This announcement cannot be deleted: a key, timeout or invalid-input action plays it. "
    "Change those actions first.",
    603: "Your role may not do this.",
    606: "The file is too large.",
    613: "Each key can have only one action.",
    614: "This menu cannot be deleted: another menu's “go to menu” action or the AA system "
    "(its default menu or an error action) refers to it. Change those first.",
    615: "These time ranges overlap: two menus cannot answer at the same time.",
    616: "These special days overlap in dates and times.",
    617: "This phone number already exists.",
    618: "This extension code is already used in your enterprise.",
    619: "This number already belongs to another auto attendant system; remove it there first.",
    623: "An extension cannot be an auto attendant's main number.",
}


def explain(error: AppError) -> str:
    return EXPLANATIONS.get(error.error_code, error.message)


def current_enterprise(request: HttpRequest) -> Enterprise | None:
    """The enterprise the console acts for: the user's own, or a superuser's pick."""
    user = request.user
    if not user.is_superuser:
        return user.enterprise
    sid = request.session.get(SESSION_ENTERPRISE)
    if not sid:
        return None
    return Enterprise.objects.exclude(status=EnterpriseStatus.DELETED).filter(sid=sid).first()


def console_view(*, bg_admin_only: bool = False) -> Callable:
    """Login required (anonymous → the login page); ``request.enterprise`` set; BG_ADMIN-only
    pages answer 403 to an AA_ADMIN; unknown or another enterprise's objects answer 404."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            enterprise = current_enterprise(request)
            if enterprise is None:
                return redirect("console:enterprise_choose")
            request.enterprise = enterprise
            try:
                if bg_admin_only and not request.user.is_bg_admin:
                    raise PermissionDenied
                return view(request, *args, **kwargs)
            except PermissionDenied:
                return render(request, "console/403.html", status=403)
            except Http404:
                return render(request, "console/404.html", status=404)

        return wrapper

    return decorate


def visible(
    request: HttpRequest, queryset: QuerySet, sid: str, not_found: ErrorCode, field="enterprise"
):
    """The object ``sid`` of the console's enterprise, through the API's tenancy lookup;
    absent or someone else's → 404 (never a hint that it exists)."""
    try:
        return get_visible(
            queryset.filter(**{field: request.enterprise}), request.user, sid, not_found, field
        )
    except AppError:
        raise Http404 from None


def confirm_delete(
    request: HttpRequest,
    delete: Callable[[], object],
    *,
    kind: str,
    name: str,
    back: str,
    done: str,
    deleted: str,
    consequence: str = "",
) -> HttpResponse:
    """A delete page: GET asks for confirmation (``consequence`` says what else goes); POST runs
    ``delete()`` and goes to ``done`` saying ``deleted``, or back to ``back`` (the object's page)
    with the service's refusal explained in words."""
    if request.method == "POST":
        try:
            delete()
        except AppError as exc:
            messages.error(request, explain(exc))
            return redirect(back)
        messages.success(request, deleted)
        return redirect(done)
    return render(
        request,
        "console/confirm_delete.html",
        {"object_kind": kind, "object_name": name, "consequence": consequence, "cancel_url": back},
    )


def api_validated(serializer_class: type[serializers.Serializer], payload: dict, **kw) -> dict:
    """Validate ``payload`` with the API's own write serializer, so the console accepts exactly
    what the API accepts; a refusal is the API's 400 ``AppError`` naming each field."""
    serializer = serializer_class(data=payload, **kw)
    if not serializer.is_valid():
        raise Errors.VALIDATION({k: _flat(v) for k, v in serializer.errors.items()})
    return serializer.validated_data


def _flat(detail: Any) -> str:
    if isinstance(detail, list | tuple):
        return " ".join(_flat(d) for d in detail)
    if isinstance(detail, dict):
        return " ".join(_flat(d) for d in detail.values())
    return str(detail)


def place_error(
    form: forms.BaseForm,
    error: AppError,
    fields: Mapping[str, str] | None = None,
    codes: Mapping[int, str] | None = None,
) -> None:
    """Show ``error`` in ``form``: next to each field its data names (API names mapped through
    ``fields``, else a form field of the same name; ``codes`` names the field of errors whose
    data names none), otherwise above the form."""
    fields = fields or {}
    data = error.data if isinstance(error.data, dict) else {}
    is_field_error = error.error is Errors.VALIDATION

    def target(name: str) -> str | None:
        if name in fields:
            return fields[name]
        return name if name in form.fields else None

    named: list[tuple[str, str]] = []
    if codes and error.error_code in codes:
        named.append((codes[error.error_code], explain(error)))
    if isinstance(data.get("field"), str):
        named.append((data["field"], explain(error)))
    for key, value in data.items():
        if key in ("field", "sid"):
            continue
        if isinstance(value, str) and is_field_error:
            named.append((key, value))
        elif key == "missing" and isinstance(value, list):
            named.extend((str(v), "Required for text to speech.") for v in value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            named.append((key, explain(error)))
            named.extend((key, v) for v in value)
        else:
            named.append((key, explain(error)))
    placed = False
    for name, message in named:
        field = target(name)
        if field is None:
            continue
        placed = True
        if message not in form.errors.get(field, []):
            form.add_error(field, message)
    if not placed:
        form.add_error(None, explain(error) if not is_field_error else _join(data, error))


def _join(data: dict, error: AppError) -> str:
    parts = [f"{k}: {v}" for k, v in data.items() if isinstance(v, str) and k not in ("sid",)]
    return "; ".join(parts) or error.message
