"""Geometry of the Insights page's charts, drawn by the templates as inline SVG (no script, no
network): calls a day stacked by outcome, key presses per menu, and the weekday × hour heatmap.
Every chart has a table of the same figures beside it (the templates')."""

from __future__ import annotations

from ..choices import CallOutcome

#: Each outcome's colour (fills of bars and legend swatches; the tables carry the figures).
OUTCOME_COLOURS = {
    CallOutcome.TRANSFERRED: "#2456c7",
    CallOutcome.VOICEMAIL: "#7b4fc4",
    CallOutcome.HUNG_UP_BY_FLOW: "#1d7a3a",
    CallOutcome.CALLER_HUNG_UP: "#c2410c",
    CallOutcome.ERROR: "#b42318",
    CallOutcome.IN_PROGRESS: "#6b7280",
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 260, 40, 36, 16


def _grid(top: int, plot_h: float) -> tuple[int, list[dict]]:
    step = max(1, -(-top // 4))
    return step * 4, [
        {"y": round(TOP + plot_h - plot_h * k / 4, 1), "value": step * k} for k in range(5)
    ]


def days_chart(by_day: list[dict]) -> dict:
    """Stacked bars: one per day, a segment per outcome; a label every few days."""
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    top, grid = _grid(max([day["total"] for day in by_day] + [1]), plot_h)
    slot = plot_w / max(1, len(by_day))
    every = max(1, round(len(by_day) / 8))
    bars = []
    for i, day in enumerate(by_day):
        x = LEFT + i * slot + slot * 0.12
        y = TOP + plot_h
        segments = []
        for outcome, colour in OUTCOME_COLOURS.items():
            n = day["byOutcome"].get(outcome, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            segments.append(
                {"y": round(y, 1), "h": round(h, 1), "fill": colour, "outcome": outcome, "n": n}
            )
        bars.append(
            {
                "x": round(x, 1),
                "w": round(slot * 0.76, 1),
                "cx": round(LEFT + i * slot + slot / 2, 1),
                "date": day["date"],
                "total": day["total"],
                "segments": segments,
                "labelled": i % every == 0,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - 8,
        "label_y": HEIGHT - BOTTOM + 16,
        "grid": grid,
        "bars": bars,
    }


def key_chart(key_presses: list[dict]) -> dict:
    """Horizontal bars, one per menu and key, grouped by menu."""
    rows, y = [], 8
    top = max([press["count"] for press in key_presses] + [1])
    label_w, bar_w, row_h = 190, WIDTH - 190 - 60, 22
    menu = None
    for press in key_presses:
        if press["menuSid"] != menu:
            menu = press["menuSid"]
            y += 6
            rows.append({"heading": press["menuName"] or press["menuSid"], "y": y + 14})
            y += row_h
        w = bar_w * press["count"] / top
        rows.append(
            {
                "key": press["key"],
                "count": press["count"],
                "menu": press["menuName"],
                "y": y,
                "ty": y + 14,
                "w": round(max(w, 1), 1),
            }
        )
        y += row_h
    return {"width": WIDTH, "height": y + 8, "rows": rows, "x": label_w, "label_x": label_w - 8}


def heatmap(matrix: list[list[int]]) -> dict:
    """A weekday × hour grid, darker for busier; every cell named in its ``<title>``."""
    cell_w, cell_h, left, top_margin = 27, 26, 44, 22
    peak = max([n for row in matrix for n in row] + [1])
    cells = []
    for day, row in enumerate(matrix):
        for hour, n in enumerate(row):
            share = n / peak
            cells.append(
                {
                    "x": left + hour * cell_w,
                    "y": top_margin + day * cell_h,
                    "n": n,
                    "day": WEEKDAYS[day],
                    "hour": hour,
                    # From the page's background to the accent blue.
                    "fill": _mix("#eef1f6", "#193f94", share) if n else "#f5f6f8",
                }
            )
    return {
        "width": left + 24 * cell_w + 4,
        "height": top_margin + 7 * cell_h + 4,
        "cells": cells,
        "cell_w": cell_w - 2,
        "cell_h": cell_h - 2,
        "days": [
            {"label": name, "y": top_margin + i * cell_h + cell_h / 2}
            for i, name in enumerate(WEEKDAYS)
        ],
        "hours": [
            {"label": f"{h:02d}", "x": left + h * cell_w + cell_w / 2} for h in range(0, 24, 3)
        ],
        "label_x": left - 6,
    }


def _mix(low: str, high: str, share: float) -> str:
    a = [int(low[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(high[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))
