"""Usage: how many phone numbers the enterprise held each month, as a server-drawn bar chart."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ...services.usage import usage_counts, usage_series
from .base import console_view

CHART_WIDTH, CHART_HEIGHT, MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 720, 260, 40, 36, 16


def bar_chart(values: list[tuple[str, int]]) -> dict:
    """Geometry of a bar chart (SVG user units) for ``(label, value)`` pairs."""
    top = max([v for _, v in values] + [1])
    step = max(1, -(-top // 4))  # four gridlines, whole numbers
    top = step * 4
    plot_w = CHART_WIDTH - MARGIN_LEFT - 8
    plot_h = CHART_HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_w / max(1, len(values))
    bars = []
    for i, (label, value) in enumerate(values):
        h = plot_h * value / top
        bars.append(
            {
                "x": round(MARGIN_LEFT + i * slot + slot * 0.15, 1),
                "y": round(MARGIN_TOP + plot_h - h, 1),
                "w": round(slot * 0.7, 1),
                "h": round(h, 1),
                "cx": round(MARGIN_LEFT + i * slot + slot / 2, 1),
                "label": label,
                "value": value,
            }
        )
    grid = [
        {"y": round(MARGIN_TOP + plot_h - plot_h * k / 4, 1), "value": step * k} for k in range(5)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "grid": grid,
        "left": MARGIN_LEFT,
        "right": CHART_WIDTH - 8,
        "label_y": CHART_HEIGHT - MARGIN_BOTTOM + 16,
        "value_offset": 4,
    }


@console_view()
def usage_chart(request: HttpRequest) -> HttpResponse:
    """The last twelve months (the current one so far), counted by the usage service exactly as
    the usage API counts them."""
    today = timezone.now().date()
    periods = list(usage_series("monthly", today))
    counts = usage_counts(periods, [request.enterprise.pk], today)
    mine = request.enterprise.pk
    rows = [
        (period.first.strftime("%b %y"), tally[mine].count if mine in tally else 0, period)
        for period, tally in zip(periods, counts, strict=True)
    ]
    return render(
        request,
        "console/usage.html",
        {"chart": bar_chart([(label, value) for label, value, _ in rows]), "rows": rows},
    )
