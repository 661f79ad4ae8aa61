"""Voicemail in the console: mailboxes (edit, delete) and the inbox (listen, mark heard,
delete). The recording is served to the logged-in users of its enterprise only."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ...errors import AppError, Errors
from ...models import Mailbox, Voicemail
from ...services.mailboxes import (
    do_create_mailbox,
    do_delete_mailbox,
    do_update_mailbox,
    mailbox_users,
    may_edit_notify_emails,
)
from ...services.voicemail import do_delete_voicemail, do_mark_heard
from ..forms.voicemail import MailboxForm
from .base import confirm_delete, console_view, place_error, visible
from .pickers import announcement_choices

MAILBOXES = Mailbox.objects.select_related("greeting")
MESSAGES = Voicemail.objects.select_related("mailbox")
PAGE_SIZE = 25


@console_view()
def mailbox_list(request: HttpRequest) -> HttpResponse:
    rows = MAILBOXES.filter(enterprise=request.enterprise).order_by("name", "sid")
    return render(request, "console/mailbox_list.html", {"mailboxes": rows})


def _form(request: HttpRequest, mailbox: Mailbox | None) -> MailboxForm:
    return MailboxForm(
        request.POST or None,
        initial=MailboxForm.initial_for(mailbox) if mailbox else None,
        announcements=announcement_choices(request.enterprise),
        edit_emails=may_edit_notify_emails(request.user),
    )


@console_view()
def mailbox_create(request: HttpRequest) -> HttpResponse:
    form = _form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            mailbox = do_create_mailbox(
                request.user, enterprise=request.enterprise, changes=form.changes()
            )
        except AppError as exc:
            place_error(form, exc)
        else:
            messages.success(request, f"Mailbox “{mailbox.name}” created.")
            return redirect("console:mailbox_edit", sid=mailbox.sid)
    return render(request, "console/mailbox_form.html", {"form": form, "mailbox": None})


@console_view()
def mailbox_edit(request: HttpRequest, sid: str) -> HttpResponse:
    mailbox = visible(request, MAILBOXES, sid, Errors.MAILBOX_NOT_FOUND)
    form = _form(request, mailbox)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_mailbox(request.user, mailbox, form.changes())
        except AppError as exc:
            place_error(form, exc)
        else:
            messages.success(request, f"Mailbox “{mailbox.name}” saved.")
            return redirect("console:mailbox_edit", sid=mailbox.sid)
    return render(
        request,
        "console/mailbox_form.html",
        {"form": form, "mailbox": mailbox, "used_by": mailbox_users(mailbox)},
    )


@console_view()
def mailbox_delete(request: HttpRequest, sid: str) -> HttpResponse:
    mailbox = visible(request, MAILBOXES, sid, Errors.MAILBOX_NOT_FOUND)
    return confirm_delete(
        request,
        lambda: do_delete_mailbox(mailbox),
        kind="mailbox",
        name=mailbox.name,
        consequence="Its messages are deleted too.",
        back=reverse("console:mailbox_edit", kwargs={"sid": sid}),
        done=reverse("console:mailbox_list"),
        deleted=f"Mailbox “{mailbox.name}” deleted.",
    )


@console_view()
def voicemail_list(request: HttpRequest) -> HttpResponse:
    """The inbox, newest first; ``?mailbox=`` and ``?unheard=1`` narrow it."""
    rows = MESSAGES.filter(enterprise=request.enterprise).order_by("-time", "sid")
    mailbox_sid = request.GET.get("mailbox") or ""
    if mailbox_sid:
        rows = rows.filter(mailbox__sid=mailbox_sid)
    unheard = request.GET.get("unheard") == "1"
    if unheard:
        rows = rows.filter(heard=False)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    mailboxes = Mailbox.objects.filter(enterprise=request.enterprise).order_by("name", "sid")
    return render(
        request,
        "console/voicemail_list.html",
        {
            "page": page,
            "mailboxes": mailboxes.values_list("sid", "name"),
            "mailbox_sid": mailbox_sid,
            "unheard": unheard,
        },
    )


@console_view()
def voicemail_detail(request: HttpRequest, sid: str) -> HttpResponse:
    voicemail = visible(request, MESSAGES, sid, Errors.VOICEMAIL_NOT_FOUND)
    return render(request, "console/voicemail_detail.html", {"vm": voicemail})


@require_POST
@console_view()
def voicemail_heard(request: HttpRequest, sid: str) -> HttpResponse:
    voicemail = visible(request, MESSAGES, sid, Errors.VOICEMAIL_NOT_FOUND)
    heard = request.POST.get("heard", "1") == "1"
    do_mark_heard(voicemail, heard)
    messages.success(request, "Marked as heard." if heard else "Marked as new.")
    back = request.POST.get("next") or ""
    if not back.startswith("/console/"):
        back = reverse("console:voicemail_list")
    return redirect(back)


@console_view()
def voicemail_delete(request: HttpRequest, sid: str) -> HttpResponse:
    voicemail = visible(request, MESSAGES, sid, Errors.VOICEMAIL_NOT_FOUND)
    return confirm_delete(
        request,
        lambda: do_delete_voicemail(voicemail),
        kind="voicemail",
        name=f"from {voicemail.caller or 'an unknown number'} at {voicemail.time:%Y-%m-%d %H:%M}",
        back=reverse("console:voicemail_detail", kwargs={"sid": sid}),
        done=reverse("console:voicemail_list"),
        deleted="Voicemail deleted.",
    )


@console_view()
def voicemail_audio(request: HttpRequest, sid: str) -> HttpResponse:
    voicemail = visible(request, MESSAGES, sid, Errors.VOICEMAIL_NOT_FOUND)
    if not voicemail.audio:
        raise Http404
    kind = "audio/mpeg" if voicemail.audio.name.endswith(".mp3") else "audio/wav"
    response = FileResponse(voicemail.audio.open("rb"), content_type=kind)
    response["Cache-Control"] = "private, no-store"
    return response
