"""Calls (the history, filterable, and one call's steps as a timeline) and Insights (charts of
the same history), both read through ``services.calls`` as the API reads it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ...errors import AppError
from ...models import AutoAttendantSystem, Menu
from ...services.calls import call_stats, get_call, visible_calls
from ..charts import OUTCOME_COLOURS, days_chart, heatmap, key_chart
from ..forms.calls import CallFilterForm, InsightsForm
from .base import console_view
from .pickers import system_choices

PAGE_SIZE = 50


def _enterprise_calls(request: HttpRequest):
    return visible_calls(request.user).filter(enterprise=request.enterprise)


def _day_start(day, zone) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


@console_view()
def call_list(request: HttpRequest) -> HttpResponse:
    """A page of the enterprise's calls, newest first: three queries (count, calls, systems)."""
    systems = system_choices(request.enterprise)
    form = CallFilterForm(request.GET or None, systems=systems)
    calls = _enterprise_calls(request).order_by("-start_time", "-sid")
    zone = timezone.get_current_timezone()
    if form.is_valid():
        data = form.cleaned_data
        if data["system"]:
            calls = calls.filter(system_sid=data["system"])
        if data["outcome"]:
            calls = calls.filter(outcome=data["outcome"])
        if data["number"]:
            number = data["number"].strip()
            calls = calls.filter(Q(from_number__icontains=number) | Q(to_number__icontains=number))
        if data["start"]:
            calls = calls.filter(start_time__gte=_day_start(data["start"], zone))
        if data["end"]:
            calls = calls.filter(start_time__lt=_day_start(data["end"] + timedelta(days=1), zone))
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    names = dict(systems)
    for call in page:
        call.system_name = names.get(call.system_sid, "")  # a deleted system: no name
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "console/call_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "colours": OUTCOME_COLOURS},
    )


@console_view()
def call_detail(request: HttpRequest, sid: str) -> HttpResponse:
    """One call and its steps as a timeline: which menu, what the caller did, what happened."""
    try:
        call = get_call(request.user, sid)
    except AppError:
        raise Http404 from None
    if call.enterprise_id != request.enterprise.pk:
        raise Http404
    steps = list(call.steps.all())
    menu_sids = {step.menu_sid for step in steps} | {step.next_menu_sid for step in steps}
    names = dict(Menu.objects.filter(sid__in=menu_sids).values_list("sid", "name"))
    system = _system(request.enterprise, call.system_sid)
    zone = _system_zone(system)
    timeline = [
        {
            "step": step,
            "menu": names.get(step.menu_sid, step.menu_sid),
            "next_menu": names.get(step.next_menu_sid, step.next_menu_sid)
            if step.next_menu_sid != step.menu_sid
            else "",
            "offset": round((step.time - call.start_time).total_seconds()),
        }
        for step in steps
    ]
    return render(
        request,
        "console/call_detail.html",
        {
            "call": call,
            "system": system,
            "timeline": timeline,
            "zone": zone,
            "local_start": call.start_time.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z"),
            "menu_path": [names.get(sid, sid) for sid in call.menu_path],
            "colours": OUTCOME_COLOURS,
        },
    )


def _system(enterprise, sid: str) -> AutoAttendantSystem | None:
    """The enterprise's AA system of ``sid``; None for one deleted since (or never its own)."""
    return AutoAttendantSystem.objects.filter(enterprise=enterprise, sid=sid).first()


def _system_zone(system: AutoAttendantSystem | None) -> ZoneInfo:
    try:
        return ZoneInfo(system.timezone_id) if system is not None else ZoneInfo("UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


@console_view()
def insights(request: HttpRequest) -> HttpResponse:
    """Calls a day by outcome, key presses per menu, the busiest hours and abandonment, for one
    system or all, over the last 7, 30 or 90 days."""
    systems = system_choices(request.enterprise)
    form = InsightsForm(request.GET or None, systems=systems)
    system, days = None, 30
    if form.is_valid():
        if form.cleaned_data["system"]:
            system = _system(request.enterprise, form.cleaned_data["system"])
        days = int(form.cleaned_data["days"] or 30)
    end = timezone.now()
    start = end - timedelta(days=days)
    stats = call_stats(request.enterprise.pk, start, end, system)
    legend = [
        {"outcome": outcome, "label": outcome.label, "fill": fill, "n": stats.by_outcome[outcome]}
        for outcome, fill in OUTCOME_COLOURS.items()
    ]
    by_day = [
        {**day, "rows": [(entry["label"], day["byOutcome"][entry["outcome"]]) for entry in legend]}
        for day in stats.by_day
    ]
    return render(
        request,
        "console/insights.html",
        {
            "form": form,
            "stats": stats,
            "system": system,
            "days": days,
            "legend": legend,
            "by_day": by_day,
            "days_chart": days_chart(stats.by_day),
            "key_chart": key_chart(stats.key_presses),
            "heatmap": heatmap(stats.by_weekday_hour),
            "weekday_rows": list(
                zip(
                    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
                    stats.by_weekday_hour,
                    strict=True,
                )
            ),
            "abandoned": stats.by_outcome["CALLER_HUNG_UP"],
            "abandoned_percent": round(stats.abandoned_rate * 100, 1),
        },
    )
