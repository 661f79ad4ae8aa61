"""AA systems: the list, an overview (numbers, menus, links to schedule / flow / simulator),
create / edit (time zone, numbers, extensions, timeout and invalid-input handling), delete."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ...errors import AppError, Errors
from ...models import AutoAttendantSystem, Menu, PhoneNumber, ScheduleBlock
from ...services.numbers import may_edit_directory
from ...services.systems import do_create_system, do_delete_system, do_update_system
from ...timezones import iana_zones
from ..forms.actions import action_kinds
from ..forms.systems import SystemForm
from ..week import menu_colour
from .base import confirm_delete, console_view, place_error, visible
from .pickers import announcement_choices, extension_numbers, mailbox_choices, menu_choices

SYSTEM_QUERYSET = AutoAttendantSystem.objects.select_related("enterprise", "default_menu")


@functools.cache
def time_zones() -> list[str]:
    return sorted(iana_zones())


def _live_numbers():
    return PhoneNumber.objects.live().order_by("number")


@console_view()
def system_list(request: HttpRequest) -> HttpResponse:
    systems = (
        AutoAttendantSystem.objects.filter(enterprise=request.enterprise)
        .annotate(menu_count=Count("menus", distinct=True))
        .prefetch_related(Prefetch("main_numbers", _live_numbers()))
        .order_by("name", "sid")
    )
    return render(request, "console/system_list.html", {"systems": systems})


@console_view()
def system_detail(request: HttpRequest, sid: str) -> HttpResponse:
    system = visible(
        request,
        SYSTEM_QUERYSET.prefetch_related(
            Prefetch("main_numbers", _live_numbers()),
            Prefetch("extensions", _live_numbers()),
        ),
        sid,
        Errors.SYSTEM_NOT_FOUND,
    )
    menus = list(
        Menu.objects.filter(auto_attendant=system)
        .select_related("announcement")
        .annotate(key_count=Count("keys", distinct=True))
        .order_by("date_created", "sid")
    )
    scheduled = set(
        ScheduleBlock.objects.filter(auto_attendant=system).values_list("menu_id", flat=True)
    )
    rows = [
        {"menu": m, "colour": menu_colour(m.color_code, i), "scheduled": m.pk in scheduled}
        for i, m in enumerate(menus)
    ]
    return render(request, "console/system_detail.html", {"system": system, "menus": rows})


def _form(request: HttpRequest, system: AutoAttendantSystem | None) -> SystemForm:
    numbers = _live_numbers().filter(enterprise=request.enterprise, is_extension=False)
    main_numbers = [
        (n.number, n.number + ("" if n.auto_attendant_id else " (unassigned)"))
        for n in numbers
        if n.auto_attendant_id is None or (system is not None and n.auto_attendant_id == system.pk)
    ]
    extensions = [
        (n.number, f"{n.extension or '—'} · {n.number} {n.extension_spoken_name}".strip())
        for n in extension_numbers(request.enterprise)
    ]
    return SystemForm(
        request.POST or None,
        initial=SystemForm.initial_for(system) if system else {"timezone_id": "UTC"},
        zones=time_zones(),
        main_numbers=main_numbers,
        extension_numbers=extensions,
        announcements=announcement_choices(request.enterprise),
        menus=menu_choices(system) if system else [],
        mailboxes=mailbox_choices(request.enterprise),
        edit_extensions=may_edit_directory(request.user),
    )


def _save(request: HttpRequest, form: SystemForm, system: AutoAttendantSystem | None):
    try:
        if system is None:
            return do_create_system(
                request.user, enterprise=request.enterprise, changes=form.changes()
            )
        return do_update_system(request.user, system, form.changes())
    except AppError as exc:
        place_error(form, exc)
        return None


@console_view()
def system_create(request: HttpRequest) -> HttpResponse:
    form = _form(request, None)
    if request.method == "POST" and form.is_valid():
        system = _save(request, form, None)
        if system is not None:
            messages.success(request, f"AA system “{system.name}” created. Add its menus next.")
            return redirect("console:system_detail", sid=system.sid)
    return render(
        request,
        "console/system_form.html",
        {"form": form, "system": None, "actions": _actions(form), "action_kinds": action_kinds()},
    )


@console_view()
def system_edit(request: HttpRequest, sid: str) -> HttpResponse:
    system = visible(
        request,
        SYSTEM_QUERYSET.prefetch_related("main_numbers", "extensions"),
        sid,
        Errors.SYSTEM_NOT_FOUND,
    )
    form = _form(request, system)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, system)
        if saved is not None:
            messages.success(request, f"AA system “{saved.name}” saved.")
            return redirect("console:system_detail", sid=saved.sid)
    return render(
        request,
        "console/system_form.html",
        {
            "form": form,
            "system": system,
            "actions": _actions(form),
            "extensions": extension_numbers(request.enterprise),
            "action_kinds": action_kinds(),
        },
    )


def _actions(form: SystemForm) -> list[dict]:
    return [
        {
            "pickers": pickers.bound(),
            "max": form[f"{prefix}_max"] if f"{prefix}_max" in form.fields else None,
        }
        for prefix, pickers in form.actions.items()
    ]


@console_view()
def system_delete(request: HttpRequest, sid: str) -> HttpResponse:
    system = visible(request, SYSTEM_QUERYSET, sid, Errors.SYSTEM_NOT_FOUND)
    return confirm_delete(
        request,
        lambda: do_delete_system(system),
        kind="AA system",
        name=system.name,
        consequence="Its menus and schedule are deleted too; its numbers stay, unassigned.",
        back=reverse("console:system_detail", kwargs={"sid": system.sid}),
        done=reverse("console:system_list"),
        deleted=f"AA system “{system.name}” deleted; its numbers are free.",
    )
