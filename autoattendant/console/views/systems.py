"""AA systems: the list, an overview (numbers, menus, links to schedule / flow / simulator),
create / edit (time zone, numbers, extensions, timeout and invalid-input handling), delete."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ...errors import AppError, Errors
from ...models import AutoAttendantSystem, Menu, MenuKey, PhoneNumber, ScheduleBlock
from ...querying import any_of
from ...services.numbers import may_edit_directory
from ...services.systems import do_create_system, do_delete_system, do_update_system
from ...timezones import iana_zones
from ..forms.actions import action_kinds
from ..forms.systems import SystemForm
from ..week import menu_colour
from .base import confirm_delete, console_view, place_error, visible
from .history import failing_tests, flow_write
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


#: Menus a page of a system's overview lists; extensions it shows before "and N more".
MENU_PAGE_SIZE = 100
EXTENSIONS_SHOWN = 50


@console_view()
def system_detail(request: HttpRequest, sid: str) -> HttpResponse:
    """A system's facts and a page of its menus: a constant number of queries, whatever the
    number of menus, keys or extensions (the directory is counted, and its first codes shown)."""
    system = visible(
        request,
        SYSTEM_QUERYSET.prefetch_related(Prefetch("main_numbers", _live_numbers())),
        sid,
        Errors.SYSTEM_NOT_FOUND,
    )
    # The whole directory as plain pairs, sorted here, read by id: ``ORDER BY number LIMIT 50``
    # lets PostgreSQL walk the index of every number in the database looking for this system's,
    # and a join scans them all.
    member_ids = system.extensions.through.objects.filter(autoattendantsystem=system).values_list(
        "phonenumber_id", flat=True
    )
    directory = sorted(
        PhoneNumber.objects.live()
        .filter(any_of("id", list(member_ids)))
        .order_by()
        .values_list("number", "extension")
    )
    extensions = [{"number": n, "extension": e} for n, e in directory[:EXTENSIONS_SHOWN]]
    extension_count = len(directory)
    menus = (
        Menu.objects.filter(auto_attendant=system)
        .select_related("announcement")
        .order_by("date_created", "sid")
    )
    page = Paginator(menus, MENU_PAGE_SIZE).get_page(request.GET.get("page"))
    # Keys counted for the page's menus only (counting in the paged query would group every
    # menu of the system, for the count and for the page).
    key_counts = dict(
        MenuKey.objects.filter(menu__in=[m.pk for m in page])
        .order_by()
        .values("menu_id")
        .annotate(n=Count("id"))
        .values_list("menu_id", "n")
    )
    scheduled = set(
        ScheduleBlock.objects.filter(auto_attendant=system).values_list("menu_id", flat=True)
    )
    rows = [
        {
            "menu": m,
            "colour": menu_colour(m.color_code, i),
            "scheduled": m.pk in scheduled,
            "key_count": key_counts.get(m.pk, 0),
        }
        for i, m in enumerate(page, start=page.start_index() - 1)
    ]
    return render(
        request,
        "console/system_detail.html",
        {
            "system": system,
            "menus": rows,
            "page": page,
            "extensions": extensions,
            "more_extensions": extension_count - len(extensions),
        },
    )


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
        with flow_write(request):
            return do_update_system(request.user, system, form.changes())
    except AppError as exc:
        form.flow_failures = failing_tests(exc)  # shown with "save anyway"
        if form.flow_failures is None:
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
            "failures": getattr(form, "flow_failures", None),
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
