"""The benchmark's URLconf: the bare baseline view first, then the project's own."""

from __future__ import annotations

from django.urls import re_path

from aa_project import urls as project

from .baseline import baseline_rcml

urlpatterns = [
    re_path(r"^autoattendant/internal/baseline/?$", baseline_rcml, name="bench-baseline"),
    *project.urlpatterns,
]
handler404 = project.handler404
handler500 = project.handler500
