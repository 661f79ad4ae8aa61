"""Users of the enterprise: enterprise admins (BG_ADMIN) only, as in the API."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ...choices import UserStatus
from ...errors import AppError, Errors
from ...models import User
from ...services.users import do_create_user, do_delete_user, do_update_user
from ..forms.users import UserForm
from .base import confirm_delete, console_view, place_error, visible

PAGE_SIZE = 100


def _users(request: HttpRequest):
    return User.objects.exclude(status=UserStatus.DELETED).select_related("created_by")


@console_view(bg_admin_only=True)
def user_list(request: HttpRequest) -> HttpResponse:
    users = _users(request).filter(enterprise=request.enterprise).order_by("email")
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "console/user_list.html", {"page": page})


@console_view(bg_admin_only=True)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None, initial={"role": "AA_ADMIN", "status": "ACTIVE"})
    if request.method == "POST" and form.is_valid():
        try:
            created = do_create_user(request.user, enterprise=request.enterprise, **form.changes())
        except AppError as exc:
            place_error(form, exc)
        else:
            messages.success(request, f"User {created.user.email} created.")
            messages.info(
                request,
                f"Their API auth token, shown only now: {created.auth_token} "
                f"(account {created.user.account_sid}).",
            )
            return redirect("console:user_list")
    return render(request, "console/user_form.html", {"form": form, "target": None})


@console_view(bg_admin_only=True)
def user_edit(request: HttpRequest, sid: str) -> HttpResponse:
    target = visible(request, _users(request), sid, Errors.USER_NOT_FOUND)
    form = UserForm(
        request.POST or None,
        initial={
            "name": target.name,
            "email": target.email,
            "role": target.role,
            "status": target.status,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_update_user(request.user, target, form.changes())
        except AppError as exc:
            place_error(form, exc)
        else:
            messages.success(request, f"User {target.email} saved.")
            return redirect("console:user_list")
    return render(request, "console/user_form.html", {"form": form, "target": target})


@console_view(bg_admin_only=True)
def user_delete(request: HttpRequest, sid: str) -> HttpResponse:
    target = visible(request, _users(request), sid, Errors.USER_NOT_FOUND)
    return confirm_delete(
        request,
        lambda: do_delete_user(request.user, target),
        kind="user",
        name=target.email,
        consequence="They will no longer be able to log in or use the API.",
        back=reverse("console:user_edit", kwargs={"sid": sid}),
        done=reverse("console:user_list"),
        deleted=f"User {target.email} deleted; they can no longer log in.",
    )
