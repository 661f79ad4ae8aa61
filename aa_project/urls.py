from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from autoattendant.api.urls import catch_all
from autoattendant.api.views.webhooks import webhook_routes
from autoattendant.ops import ops_routes

urlpatterns = [
    # First: a platform's request is resolved before any other pattern is tried.
    path("autoattendant/", include(webhook_routes())),
    # Then the probes and the metrics: /healthz, /readyz, /metrics.
    path("", include(ops_routes())),
    path("", RedirectView.as_view(pattern_name="console:dashboard", permanent=False)),
    path("console/", include("autoattendant.console.urls")),
    path("admin/", admin.site.urls),
    path("autoattendant/", include("autoattendant.api.urls", namespace="api")),
    path("autoattendant/", include((catch_all, "api-fallback"))),
]

handler400 = "autoattendant.api.views.errors.bad_request_or_html"
handler404 = "autoattendant.api.views.errors.route_not_found_or_html"
handler500 = "autoattendant.api.views.errors.server_error_or_html"
