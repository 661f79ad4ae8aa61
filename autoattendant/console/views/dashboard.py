from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ...models import AutoAttendantSystem, PhoneNumber, ScheduleBlock
from ..week import menu_colour, now_playing
from .base import console_view


def systems_with_schedules(enterprise):
    """The enterprise's systems with their live main numbers, default menu and schedule (menus
    and entries): four queries whatever the number of systems, blocks and entries."""
    return (
        AutoAttendantSystem.objects.filter(enterprise=enterprise)
        .select_related("default_menu")
        .prefetch_related(
            Prefetch("main_numbers", PhoneNumber.objects.live().order_by("number")),
            Prefetch(
                "schedule",
                ScheduleBlock.objects.select_related("menu").prefetch_related("entries"),
            ),
        )
        .order_by("name", "sid")
    )


@console_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every AA system: its numbers, time zone, the menu callers hear now, and when that
    changes next."""
    instant = timezone.now()
    cards = []
    for system in systems_with_schedules(request.enterprise):
        playing = now_playing(system, instant)
        cards.append(
            {
                "system": system,
                "numbers": list(system.main_numbers.all()),
                "playing": playing,
                "colour": menu_colour(playing.menu.color_code) if playing.menu else None,
                "local": playing.resolution.local,
            }
        )
    return render(request, "console/dashboard.html", {"cards": cards})
