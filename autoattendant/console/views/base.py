"""What every console page shares: login, the enterprise it acts for, roles, tenancy, and
showing a service's refusal where the user will see it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ...access import get_visible
from ...choices import EnterpriseStatus
from ...errors import AppError, ErrorCode, Errors
from ...models import Enterprise
from ..forms.base import ServiceForm

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
    "schedule, the special days and the AA system's holiday calendars first.",
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
    660: "That holiday calendar does not exist in your enterprise.",
    661: "This holiday calendar cannot be deleted: AA systems still use it. Remove it from their "
    "Holidays pages first.",
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


def place_error(form: ServiceForm, error: AppError) -> None:
    """Show a service's refusal in ``form``. The service names fields as the models do; the
    form's ``error_field`` says where each shows. A field error (400): each message next to its
    field, in the form's words (``error_message``). A refusal (409, 403): explained in words
    next to the field it concerns — the one its error code, its ``field`` or its data names —
    with any list of details (the password policy's messages) below; otherwise above the
    form."""
    data = error.data if isinstance(error.data, dict) else {}

    def add(field: str | None, message: str) -> None:
        if message not in form.errors.get(field or "__all__", []):
            form.add_error(field, message)

    if error.error is Errors.VALIDATION:
        placed = [
            (field, form.error_message(name, message))
            for name, message in data.items()
            if isinstance(message, str) and (field := form.error_field(name)) is not None
        ]
        for field, message in placed:
            add(field, message)
        if not placed:
            add(None, _join(data, error))
        return
    missing = data.get("missing")
    if isinstance(missing, list):  # what text to speech lacks (519), each next to its field
        fields = [form.error_field(str(name)) for name in missing]
        for field in fields:
            if field is not None:
                add(field, "Required for text to speech.")
        if any(fields):
            return
    named = [form.error_field(error.error_code)]
    if isinstance(data.get("field"), str):
        named.append(form.error_field(data["field"]))
    named += [form.error_field(key) for key in data if key not in ("field", "sid")]
    targets = list(dict.fromkeys(field for field in named if field is not None))
    for field in targets or [None]:
        add(field, explain(error))
    details = [
        item
        for value in data.values()
        if isinstance(value, list)
        for item in value
        if isinstance(item, str)
    ]
    for item in details if targets else ():
        add(targets[0], item)


def _join(data: dict, error: AppError) -> str:
    parts = [f"{k}: {v}" for k, v in data.items() if isinstance(v, str) and k not in ("sid",)]
    return "; ".join(parts) or error.message
