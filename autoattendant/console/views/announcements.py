"""Announcements: text to speech or an uploaded WAV, listened to in the page, with where each
one is used."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ...errors import AppError, Errors
from ...models import Announcement, AutoAttendantSystem, Mailbox, Menu, MenuKey
from ...services.announcements import (
    ANNOUNCEMENT_FIELDS,
    do_create_announcement,
    do_delete_announcement,
    do_update_announcement,
    do_upload_announcement_file,
)
from ..forms.announcements import AnnouncementForm
from .base import confirm_delete, console_view, place_error, visible

PAGE_SIZE = 100


def where_used(enterprise, sids: list[str]) -> dict[str, list[dict]]:
    """announcement sid → the places that play it (menu announcement, ringback tone, key and
    timeout actions, system actions and retry prompts, mailbox greetings), each with a link:
    four queries, for the announcements ``sids`` of ``enterprise`` (a page of the list, or
    one)."""
    used: dict[str, list[dict]] = defaultdict(list)
    wanted = set(sids)
    # Each link's address from one reversed pattern: a page can hold a thousand links.
    menu_url = reverse("console:menu_edit", kwargs={"sid": "SID"}).replace("SID", "{}")
    system_url = reverse("console:system_edit", kwargs={"sid": "SID"}).replace("SID", "{}")

    def add(
        sid: str | None, label: str, menu_sid: str | None = None, system_sid=None, url=None
    ) -> None:
        if not sid:
            return
        if url is None:
            url = menu_url.format(menu_sid) if menu_sid else system_url.format(system_sid)
        used[sid].append({"label": label, "url": url})

    menus = Menu.objects.filter(enterprise=enterprise).filter(
        Q(announcement__sid__in=sids)
        | Q(ringback_tone__sid__in=sids)
        | Q(timeout_action_data__in=sids)
    )
    keys = MenuKey.objects.filter(menu__enterprise=enterprise, action_data__in=sids)
    systems = AutoAttendantSystem.objects.filter(enterprise=enterprise).filter(
        Q(timeout_action_data__in=sids)
        | Q(invalid_input_action_data__in=sids)
        | Q(invalid_extension_action_data__in=sids)
        | Q(dial_failure_action_data__in=sids)
        | Q(invalid_input_announcement_sid__in=sids)
        | Q(timeout_announcement_sid__in=sids)
    )
    for sid, name, announcement, ringback, timeout in menus.values_list(
        "sid", "name", "announcement__sid", "ringback_tone__sid", "timeout_action_data"
    ):
        add(announcement, f"menu {name}", sid)
        add(ringback, f"ringback of {name}", sid)
        add(timeout, f"timeout of {name}", sid)
    for action_data, key, menu_name, menu_sid in keys.order_by("menu__name", "key").values_list(
        "action_data", "key", "menu__name", "menu__sid"
    ):
        add(action_data, f"key {key} of {menu_name}", menu_sid)
    for s in systems.only(
        "sid",
        "name",
        "timeout_action_data",
        "invalid_input_action_data",
        "invalid_extension_action_data",
        "dial_failure_action_data",
        "invalid_input_announcement_sid",
        "timeout_announcement_sid",
    ):
        for field, what in (
            ("timeout_action_data", "timeout"),
            ("invalid_input_action_data", "invalid input"),
            ("invalid_extension_action_data", "invalid extension"),
            ("dial_failure_action_data", "unanswered transfer"),
            ("invalid_input_announcement_sid", "wrong-key prompt"),
            ("timeout_announcement_sid", "silence prompt"),
        ):
            value = getattr(s, field)
            if value in wanted:
                add(value, f"{what} of AA system {s.name}", system_sid=s.sid)
    mailboxes = Mailbox.objects.filter(enterprise=enterprise, greeting__sid__in=sids)
    for sid, name, greeting in mailboxes.values_list("sid", "name", "greeting__sid"):
        url = reverse("console:mailbox_edit", kwargs={"sid": sid})
        add(greeting, f"greeting of mailbox {name}", url=url)
    return used


@console_view()
def announcement_list(request: HttpRequest) -> HttpResponse:
    """A page of the enterprise's announcements, each with where it is used: five queries a
    page (count, rows, and where the page's announcements are used)."""
    rows = Announcement.objects.filter(enterprise=request.enterprise).order_by("name", "sid")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    used = where_used(request.enterprise, [a.sid for a in page])
    items = [{"a": a, "used": used.get(a.sid, [])} for a in page]
    return render(request, "console/announcement_list.html", {"items": items, "page": page})


def _form(request: HttpRequest, announcement: Announcement | None) -> AnnouncementForm:
    initial = (
        {f: getattr(announcement, f) for f in ANNOUNCEMENT_FIELDS}
        if announcement
        else {"type": "say"}
    )
    return AnnouncementForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        languages=settings.TTS_LANGUAGES,
    )


def _save(request: HttpRequest, form: AnnouncementForm, announcement: Announcement | None):
    """Create or update, then store the upload if any — all or nothing."""
    upload = form.cleaned_data.get("file")
    try:
        with transaction.atomic():
            if announcement is None:
                announcement = do_create_announcement(
                    request.user, enterprise=request.enterprise, **form.changes()
                )
            else:
                announcement = do_update_announcement(announcement, form.changes())
            if upload:
                do_upload_announcement_file(announcement, upload, upload.size)
    except AppError as exc:
        place_error(form, exc)
        return None
    return announcement


@console_view()
def announcement_create(request: HttpRequest) -> HttpResponse:
    form = _form(request, None)
    if request.method == "POST" and form.is_valid():
        announcement = _save(request, form, None)
        if announcement is not None:
            messages.success(request, f"Announcement “{announcement.name}” created.")
            return redirect("console:announcement_edit", sid=announcement.sid)
    return render(request, "console/announcement_form.html", {"form": form, "announcement": None})


@console_view()
def announcement_edit(request: HttpRequest, sid: str) -> HttpResponse:
    announcement = visible(request, Announcement.objects.all(), sid, Errors.ANNOUNCEMENT_NOT_FOUND)
    form = _form(request, announcement)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, announcement)
        if saved is not None:
            messages.success(request, f"Announcement “{saved.name}” saved.")
            return redirect("console:announcement_edit", sid=saved.sid)
        announcement.refresh_from_db()
    return render(
        request,
        "console/announcement_form.html",
        {
            "form": form,
            "announcement": announcement,
            "used": where_used(request.enterprise, [announcement.sid]).get(announcement.sid, []),
        },
    )


@console_view()
def announcement_delete(request: HttpRequest, sid: str) -> HttpResponse:
    announcement = visible(request, Announcement.objects.all(), sid, Errors.ANNOUNCEMENT_NOT_FOUND)
    return confirm_delete(
        request,
        lambda: do_delete_announcement(announcement),
        kind="announcement",
        name=announcement.name,
        back=reverse("console:announcement_edit", kwargs={"sid": sid}),
        done=reverse("console:announcement_list"),
        deleted=f"Announcement “{announcement.name}” deleted.",
    )
