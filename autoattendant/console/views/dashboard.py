from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ...models import (
    AutoAttendantSystem,
    HolidayEntry,
    Menu,
    PhoneNumber,
    ScheduleBlock,
    SystemHolidayCalendar,
)
from ...services.business_hours import override_active, quick_menus
from ..week import menu_colour, now_playing
from .base import console_view


def systems_with_schedules(enterprise):
    """The enterprise's systems with their live main numbers, default menu, override, schedule
    (menus and entries), holiday calendars (with entries) and menus: seven queries whatever the
    number of systems, blocks, calendars and entries."""
    return (
        AutoAttendantSystem.objects.filter(enterprise=enterprise)
        .select_related("default_menu", "override_menu", "override_set_by")
        .prefetch_related(
            Prefetch("main_numbers", PhoneNumber.objects.live().order_by("number")),
            Prefetch(
                "schedule",
                ScheduleBlock.objects.select_related("menu").prefetch_related("entries"),
            ),
            Prefetch(
                "holiday_links",
                SystemHolidayCalendar.objects.select_related("calendar", "menu").prefetch_related(
                    Prefetch("calendar__entries", HolidayEntry.objects.order_by("position", "id"))
                ),
            ),
            Prefetch("menus", Menu.objects.order_by("name", "sid")),
        )
        .order_by("name", "sid")
    )


@console_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every AA system: its numbers, time zone, the menu callers hear now and why, when that
    changes next, and its override ("Closed now" / "Open now" / another menu)."""
    instant = timezone.now()
    cards = []
    for system in systems_with_schedules(request.enterprise):
        playing = now_playing(system, instant)
        quick = quick_menus(playing.flow)
        menus = {m.sid: m for m in system.menus.all()}
        cards.append(
            {
                "override": override_active(system, instant),
                "quick_closed": menus.get(quick.closed or ""),
                "quick_open": menus.get(quick.open or ""),
                "menus": list(menus.values()),
                "system": system,
                "numbers": list(system.main_numbers.all()),
                "playing": playing,
                "colour": menu_colour(playing.menu.color_code) if playing.menu else None,
                "local": playing.resolution.local,
            }
        )
    return render(request, "console/dashboard.html", {"cards": cards})
