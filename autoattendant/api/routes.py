"""The spec's route shape for a resource, each path with or without a trailing slash:

``POST /{name}`` create · ``GET /{name}/search`` list · ``GET /{name}/search/{sid}`` get ·
``PUT|PATCH|DELETE /{name}/{sid}`` update / delete.
"""

from __future__ import annotations

from django.urls import re_path

SID = r"(?P<sid>[^/]+)"


def resource_routes(name: str, viewset, *, create=True, update=True, delete=True) -> list:
    routes = [
        re_path(rf"^{name}/search/?$", viewset.as_view({"get": "list"}), name=f"{name}-list"),
        re_path(
            rf"^{name}/search/{SID}/?$",
            viewset.as_view({"get": "retrieve"}),
            name=f"{name}-detail",
        ),
    ]
    if create:
        routes.append(
            re_path(rf"^{name}/?$", viewset.as_view({"post": "create"}), name=f"{name}-create")
        )
    actions = {}
    if update:
        actions.update(put="update", patch="partial_update")
    if delete:
        actions["delete"] = "destroy"
    if actions:
        routes.append(re_path(rf"^{name}/{SID}/?$", viewset.as_view(actions), name=f"{name}-item"))
    return routes
