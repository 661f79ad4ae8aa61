from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import (
    announcements,
    auth,
    calls,
    dashboard,
    flow,
    menus,
    numbers,
    schedules,
    simulator,
    systems,
    usage,
    users,
)

app_name = "console"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="console/password_change.html",
            success_url=reverse_lazy("console:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="console/password_done.html"),
        name="password_change_done",
    ),
    path("enterprise/", auth.choose_enterprise, name="enterprise_choose"),
    path("", dashboard.dashboard, name="dashboard"),
    # AA systems, their menus, schedule and call flow
    path("systems/", systems.system_list, name="system_list"),
    path("systems/new/", systems.system_create, name="system_create"),
    path("systems/<str:sid>/", systems.system_detail, name="system_detail"),
    path("systems/<str:sid>/edit/", systems.system_edit, name="system_edit"),
    path("systems/<str:sid>/delete/", systems.system_delete, name="system_delete"),
    path("systems/<str:sid>/menus/new/", menus.menu_create, name="menu_create"),
    path("systems/<str:sid>/schedule/", schedules.schedule_edit, name="schedule_edit"),
    path("systems/<str:sid>/flow/", flow.call_flow, name="call_flow"),
    path("menus/<str:sid>/", menus.menu_edit, name="menu_edit"),
    path("menus/<str:sid>/delete/", menus.menu_delete, name="menu_delete"),
    # announcements
    path("announcements/", announcements.announcement_list, name="announcement_list"),
    path("announcements/new/", announcements.announcement_create, name="announcement_create"),
    path("announcements/<str:sid>/", announcements.announcement_edit, name="announcement_edit"),
    path(
        "announcements/<str:sid>/delete/",
        announcements.announcement_delete,
        name="announcement_delete",
    ),
    # call history and insights
    path("calls/", calls.call_list, name="call_list"),
    path("calls/<str:sid>/", calls.call_detail, name="call_detail"),
    path("insights/", calls.insights, name="insights"),
    # numbers, users, usage
    path("numbers/", numbers.number_list, name="number_list"),
    path("numbers/<str:sid>/", numbers.number_edit, name="number_edit"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<str:sid>/", users.user_edit, name="user_edit"),
    path("users/<str:sid>/delete/", users.user_delete, name="user_delete"),
    path("usage/", usage.usage_chart, name="usage"),
    # the call simulator
    path("simulator/", simulator.simulator, name="simulator"),
]
