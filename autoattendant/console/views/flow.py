"""The call-flow picture: an AA system's menus and key actions as a tree of nested lists,
from the menus the schedule (or the default menu) answers with, following every "go to menu"."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ...choices import ActionType
from ...errors import Errors
from ...models import Announcement, AutoAttendantSystem, Menu, ScheduleBlock
from ...services.menus import keypad_order
from ..forms.actions import data_kind
from ..week import menu_colour
from .base import console_view, visible


def _describe(action_type: str, data: str, menus: dict, announcements: dict) -> str:
    label = ActionType(action_type).label if action_type in ActionType.values else action_type
    kind = data_kind(action_type)
    if kind == "announcement" and data:
        return f"{label}: “{announcements.get(data, data)}”"
    if kind == "menu":
        return f"{label}: {menus[data]['menu'].name if data in menus else data}"
    if kind == "number" and data:
        return f"{label}: {data}"
    return label


# Deeper menus are linked rather than nested, so a long chain stays readable (and renderable).
MAX_DEPTH = 8


def build_tree(
    menus: dict[str, dict], roots: list[tuple[str, str]], announcements: dict[str, str]
) -> tuple[list[dict], list[dict]]:
    """Trees from each root (``(menu sid, why it answers)``); every menu drawn once in full,
    later mentions link to it. Returns the trees and the menus no root reaches."""
    drawn: set[str] = set()
    deferred: list[str] = []  # reached deeper than MAX_DEPTH: drawn as trees of their own

    def node(sid: str, path: tuple[str, ...]) -> dict:
        drawn.add(sid)
        row = menus[sid]
        menu = row["menu"]
        keys = []
        for key in sorted(menu.keys.all(), key=lambda k: keypad_order(k.key)):
            item = {
                "key": key.key,
                "text": _describe(key.action_type, key.action_data, menus, announcements),
                "child": None,
                "link": None,
            }
            target = key.action_data if key.action_type == ActionType.GO_TO_MENU else None
            if target in menus:
                if target in path or target in drawn or len(path) >= MAX_DEPTH:
                    item["link"] = menus[target]["menu"]
                    deferred.append(target)
                else:
                    item["child"] = node(target, (*path, target))
            keys.append(item)
        timeout = (
            _describe(menu.timeout_action_type, menu.timeout_action_data, menus, announcements)
            if menu.timeout_action_type
            else ""
        )
        return {
            "menu": menu,
            "colour": row["colour"],
            "announcement": announcements.get(menu.announcement.sid)
            if menu.announcement_id
            else "",
            "keys": keys,
            "timeout": timeout,
        }

    trees = []
    for sid, why in roots:
        if sid in menus and sid not in drawn:
            trees.append({"why": why, "node": node(sid, (sid,))})
    while deferred:
        sid = deferred.pop(0)
        if sid not in drawn:
            trees.append({"why": "continued", "node": node(sid, (sid,))})
    unreachable = []
    for sid in menus:
        if sid not in drawn:
            unreachable.append(node(sid, (sid,)))
    return trees, unreachable


@console_view()
def call_flow(request: HttpRequest, sid: str) -> HttpResponse:
    """Five queries whatever the size: system, menus, keys, schedule blocks, announcements."""
    system = visible(
        request,
        AutoAttendantSystem.objects.select_related("default_menu"),
        sid,
        Errors.SYSTEM_NOT_FOUND,
    )
    rows = Menu.objects.filter(auto_attendant=system).select_related("announcement")
    rows = rows.prefetch_related("keys").order_by("date_created", "sid")
    menus = {m.sid: {"menu": m, "colour": menu_colour(m.color_code, i)} for i, m in enumerate(rows)}
    announcements = dict(
        Announcement.objects.filter(enterprise=request.enterprise).values_list("sid", "name")
    )
    roots: list[tuple[str, str]] = []
    for block in ScheduleBlock.objects.filter(auto_attendant=system).select_related("menu"):
        why = "weekly schedule" if block.schedule_type == "WEEKLY" else "special days"
        roots.append((block.menu.sid, why))
    if system.default_menu_id:
        roots.append((system.default_menu.sid, "default menu"))
    trees, unreachable = build_tree(menus, roots, announcements)
    return render(
        request,
        "console/call_flow.html",
        {"system": system, "trees": trees, "unreachable": unreachable},
    )
