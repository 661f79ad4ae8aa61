"""Phone numbers: which AA system each main number reaches, and (enterprise admins only) the
extension directory fields."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ...errors import AppError, Errors
from ...models import AutoAttendantSystem, PhoneNumber
from ...services.numbers import do_update_number, may_edit_directory
from ..forms.numbers import NumberForm
from .base import console_view, place_error, visible
from .pickers import system_choices

PAGE_SIZE = 100

DIRECTORY_REFUSED = (
    "Extensions are edited by an enterprise administrator: the extension fields sent were "
    "refused, and nothing was saved."
)


@console_view()
def number_list(request: HttpRequest) -> HttpResponse:
    """A page of the enterprise's live numbers with their systems: three queries per page
    (count, numbers with their main system, the systems listing each as an extension)."""
    numbers = (
        PhoneNumber.objects.live()
        .filter(enterprise=request.enterprise)
        .select_related("auto_attendant")
        .prefetch_related(
            Prefetch("extension_of_systems", AutoAttendantSystem.objects.only("sid", "name"))
        )
        .order_by("number", "sid")
    )
    kind = request.GET.get("kind")
    if kind == "main":
        numbers = numbers.filter(is_extension=False)
    elif kind == "extension":
        numbers = numbers.filter(is_extension=True)
    page = Paginator(numbers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "console/number_list.html", {"page": page, "kind": kind or ""})


@console_view()
def number_edit(request: HttpRequest, sid: str) -> HttpResponse:
    phone = visible(
        request,
        PhoneNumber.objects.live().select_related("enterprise", "auto_attendant"),
        sid,
        Errors.NUMBER_NOT_FOUND,
    )
    edit_extensions = may_edit_directory(request.user)
    initial = {
        "auto_attendant": phone.auto_attendant.sid if phone.auto_attendant_id else "",
        "is_extension": phone.is_extension,
        "extension": phone.extension,
        "extension_spoken_name": phone.extension_spoken_name,
    }
    form = NumberForm(
        request.POST or None,
        initial=initial,
        systems=system_choices(request.enterprise),
        edit_extensions=edit_extensions,
    )
    if (
        request.method == "POST"
        and not edit_extensions
        and any(name in request.POST for name in NumberForm.EXTENSION_FIELDS)
    ):
        # Not offered to this user, sent anyway (a page opened before a change of role, a
        # hand-made post): refused in words, never dropped behind a "saved".
        form.add_error(None, DIRECTORY_REFUSED)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_number(request.user, phone, **form.changes())
        except AppError as exc:
            place_error(form, exc)
        else:
            messages.success(request, f"Number {phone.number} saved.")
            return redirect("console:number_list")
    return render(request, "console/number_form.html", {"form": form, "phone": phone})
