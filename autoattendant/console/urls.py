from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import (
    announcements,
    auth,
    business_hours,
    calls,
    dashboard,
    flow,
    history,
    menus,
    numbers,
    schedules,
    simulator,
    systems,
    usage,
    users,
    voicemail,
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
    # safe changes: the audit trail, flow versions and flow tests
    path("history/", history.history, name="history"),
    path("history/<str:sid>/", history.object_history, name="object_history"),
    path("systems/<str:sid>/versions/", history.versions, name="versions"),
    path("systems/<str:sid>/versions/diff/", history.version_diff, name="version_diff"),
    path(
        "systems/<str:sid>/versions/<int:number>/restore/",
        history.version_restore,
        name="version_restore",
    ),
    path("systems/<str:sid>/tests/", history.flow_tests, name="flow_tests"),
    path("simulator/save-test/", history.save_flow_test, name="save_flow_test"),
    # business hours: override, holiday calendars, the year ahead
    path("systems/<str:sid>/override/", business_hours.system_override, name="system_override"),
    path("systems/<str:sid>/holidays/", business_hours.system_holidays, name="system_holidays"),
    path("systems/<str:sid>/timeline/", business_hours.system_timeline, name="system_timeline"),
    path("calendars/", business_hours.calendar_list, name="calendar_list"),
    path("calendars/new/", business_hours.calendar_create, name="calendar_create"),
    path("calendars/<str:sid>/", business_hours.calendar_edit, name="calendar_edit"),
    path("calendars/<str:sid>/delete/", business_hours.calendar_delete, name="calendar_delete"),
    # voicemail: mailboxes and the inbox
    path("mailboxes/", voicemail.mailbox_list, name="mailbox_list"),
    path("mailboxes/new/", voicemail.mailbox_create, name="mailbox_create"),
    path("mailboxes/<str:sid>/", voicemail.mailbox_edit, name="mailbox_edit"),
    path("mailboxes/<str:sid>/delete/", voicemail.mailbox_delete, name="mailbox_delete"),
    path("voicemail/", voicemail.voicemail_list, name="voicemail_list"),
    path("voicemail/<str:sid>/", voicemail.voicemail_detail, name="voicemail_detail"),
    path("voicemail/<str:sid>/heard/", voicemail.voicemail_heard, name="voicemail_heard"),
    path("voicemail/<str:sid>/delete/", voicemail.voicemail_delete, name="voicemail_delete"),
    path("voicemail/<str:sid>/audio/", voicemail.voicemail_audio, name="voicemail_audio"),
]
