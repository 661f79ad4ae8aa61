from __future__ import annotations

from django.urls import re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .routes import resource_routes
from .views.enterprises import EnterpriseViewSet
from .views.errors import route_not_found
from .views.users import UserViewSet

app_name = "api"

urlpatterns = [
    re_path(r"^schema/?$", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^docs/?$", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *resource_routes("enterprise", EnterpriseViewSet),
    *resource_routes("user", UserViewSet),
]

# Last: anything else under /autoattendant/ is a JSON 404, whatever DEBUG says.
catch_all = [re_path(r"^.*$", route_not_found)]
