"""Logging in, with the failure limits of every login (``login_throttle``); operator staff
(superusers) have no enterprise: they pick the one the console acts for."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ...choices import EnterpriseStatus
from ...login_throttle import ThrottledLoginMixin
from ...models import Enterprise
from ..forms.auth import EmailAuthenticationForm
from .base import SESSION_ENTERPRISE


class LoginForm(ThrottledLoginMixin, EmailAuthenticationForm):
    """The email login form, refused past the failure limits."""


class LoginView(auth_views.LoginView):
    """Django's login; an attempt the failure limits refuse gets the form again, with their
    message, as a 429."""

    template_name = "console/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


@login_required
def choose_enterprise(request: HttpRequest) -> HttpResponse:
    """Superusers only; enterprise users always act for their own enterprise."""
    if not request.user.is_superuser:
        return redirect("console:dashboard")
    enterprises = Enterprise.objects.exclude(status=EnterpriseStatus.DELETED).order_by("name")
    if request.method == "POST":
        chosen = enterprises.filter(sid=request.POST.get("enterprise")).first()
        if chosen is None:
            messages.error(request, "Choose one of the enterprises listed.")
        else:
            request.session[SESSION_ENTERPRISE] = chosen.sid
            messages.success(request, f"You are now working in {chosen.name}.")
            return redirect("console:dashboard")
    return render(
        request,
        "console/enterprise_choose.html",
        {"enterprises": enterprises, "current": request.session.get(SESSION_ENTERPRISE)},
    )
