"""The menu editor: announcement, a keypad grid (1-9, *, 0) of actions, timeouts, colour."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ...errors import AppError, Errors
from ...models import AutoAttendantSystem, Menu
from ...services.menus import do_create_menu, do_delete_menu, do_update_menu
from ..forms.actions import action_kinds
from ..forms.menus import MenuForm
from ..week import PALETTE
from .base import confirm_delete, console_view, place_error, visible
from .history import failing_tests, flow_write
from .pickers import announcement_choices, extension_numbers, mailbox_choices, menu_choices

MENU_QUERYSET = Menu.objects.select_related(
    "enterprise", "auto_attendant", "announcement", "ringback_tone"
).prefetch_related("keys")


def _render(request, form: MenuForm, system, menu=None, failures=None) -> HttpResponse:
    return render(
        request,
        "console/menu_form.html",
        {
            "form": form,
            "system": system,
            "menu": menu,
            "keypad": [(key, pickers.bound()) for key, pickers in form.keys.items()],
            "timeout_action": form.timeout_action.bound(),
            "extensions": extension_numbers(request.enterprise),
            "action_kinds": action_kinds(),
            "failures": failures,
        },
    )


@console_view()
def menu_create(request: HttpRequest, sid: str) -> HttpResponse:
    system = visible(request, AutoAttendantSystem.objects.all(), sid, Errors.SYSTEM_NOT_FOUND)
    colour = PALETTE[Menu.objects.filter(auto_attendant=system).count() % len(PALETTE)]
    form = MenuForm(
        request.POST or None,
        initial={"color_code": colour},
        announcements=announcement_choices(request.enterprise),
        menus=menu_choices(system),
        mailboxes=mailbox_choices(request.enterprise),
    )
    failures = None
    if request.method == "POST" and form.is_valid():
        try:
            with flow_write(request):
                menu = do_create_menu(
                    request.user, enterprise=system.enterprise, system=system, **form.changes()
                )
        except AppError as exc:
            failures = failing_tests(exc)
            if failures is None:
                place_error(form, exc)
        else:
            messages.success(request, f"Menu “{menu.name}” created.")
            return redirect("console:menu_edit", sid=menu.sid)
    return _render(request, form, system, failures=failures)


@console_view()
def menu_edit(request: HttpRequest, sid: str) -> HttpResponse:
    menu = visible(request, MENU_QUERYSET, sid, Errors.MENU_NOT_FOUND)
    system = menu.auto_attendant
    form = MenuForm(
        request.POST or None,
        initial=MenuForm.initial_for(menu),
        announcements=announcement_choices(request.enterprise),
        menus=menu_choices(system, exclude=menu),
        mailboxes=mailbox_choices(request.enterprise),
    )
    failures = None
    if request.method == "POST" and form.is_valid():
        try:
            with flow_write(request):
                do_update_menu(request.user, menu, form.changes())
        except AppError as exc:
            failures = failing_tests(exc)
            if failures is None:
                place_error(form, exc)
        else:
            messages.success(request, f"Menu “{menu.name}” saved.")
            return redirect("console:menu_edit", sid=menu.sid)
    return _render(request, form, system, menu, failures)


@console_view()
def menu_delete(request: HttpRequest, sid: str) -> HttpResponse:
    """A confirmation page; the refusals (in a schedule, a target, an announcement assigned)
    come back from the service and are explained in words."""
    menu = visible(request, MENU_QUERYSET, sid, Errors.MENU_NOT_FOUND)
    return confirm_delete(
        request,
        lambda: do_delete_menu(request.user, menu),
        kind="menu",
        name=menu.name,
        back=reverse("console:menu_edit", kwargs={"sid": menu.sid}),
        done=reverse("console:system_detail", kwargs={"sid": menu.auto_attendant.sid}),
        deleted=f"Menu “{menu.name}” deleted.",
    )
