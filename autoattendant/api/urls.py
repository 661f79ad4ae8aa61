from __future__ import annotations

from django.urls import re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from .routes import resource_routes
from .views.announcements import AnnouncementViewSet
from .views.business_hours import business_hours_routes
from .views.callflow import callflow_routes
from .views.calls import call_routes
from .views.enterprises import EnterpriseViewSet
from .views.errors import route_not_found
from .views.files import file_routes
from .views.history import history_routes
from .views.menus import MenuViewSet
from .views.numbers import PhoneNumberViewSet
from .views.schedules import schedule_routes
from .views.systems import AutoAttendantSystemViewSet
from .views.usage import usage_routes
from .views.users import UserViewSet
from .views.voicemail import voicemail_routes

app_name = "api"

urlpatterns = [
    re_path(r"^schema/?$", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^docs/?$", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(
        r"^redoc/?$",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    *usage_routes(),  # before any phonenumber/{sid} route
    *history_routes(),  # audit, flow versions and flow tests (DESIGN §16)
    *resource_routes("enterprise", EnterpriseViewSet),
    *resource_routes("user", UserViewSet),
    *resource_routes("menu", MenuViewSet),
    *schedule_routes(),
    *resource_routes("announcement", AnnouncementViewSet),
    *file_routes(),
    *resource_routes("phonenumber", PhoneNumberViewSet),
    *business_hours_routes(),  # before system/{sid}
    *resource_routes("system", AutoAttendantSystemViewSet),
    *callflow_routes(),
    *voicemail_routes(),
    *call_routes(),
]

# Last: anything else under /autoattendant/ is a JSON 404, whatever DEBUG says.
catch_all = [re_path(r"^.*$", route_not_found)]
