"""OpenAPI: every operation documented with the envelope clients really get.

Views declare their *payload* serializers; ``wrap_in_envelope`` (a drf-spectacular
post-processing hook) wraps each 200 body in ``{data, code, message}`` and adds the error
envelope for the failure statuses, so the schema and the wire never disagree.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from ..errors import all_error_codes

ERROR_STATUSES = {
    "400": "Malformed or invalid input (codes 600, 601, 610, 611, 612).",
    "401": "Missing or wrong HTTP Basic credentials (code 602).",
    "403": "The caller's role may not do this (code 603).",
    "404": "No such route (code 604).",
    "409": "A documented business rule refused the request (see the errorCode table).",
    "429": "Too many failed logins (code 608).",
}

PAGING_PARAMETERS = [
    OpenApiParameter("page", int, description="Page to return, from 0."),
    OpenApiParameter("pageSize", int, description="Rows per page (default 10, at most 1000)."),
    OpenApiParameter(
        "startTime", str, description="Created at or after (ISO-8601 date or date-time, UTC)."
    ),
    OpenApiParameter(
        "endTime", str, description="Created at or before (ISO-8601 date or date-time, UTC)."
    ),
]


def sort_parameter(fields) -> OpenApiParameter:
    names = ", ".join(fields)
    return OpenApiParameter(
        "SortBy", str, description=f"`<attribute>[:asc|desc]`, attribute one of: {names}."
    )


def resource_schema(
    *,
    tag: str,
    output,
    create_request=None,
    update_request=None,
    list_parameters=(),
    sort_fields=(),
    create_output=None,
    extra: dict | None = None,
):
    """``extend_schema_view`` for the standard create/list/retrieve/update/destroy actions."""
    views = {
        "list": extend_schema(
            tags=[tag],
            responses={200: output(many=True)},
            parameters=[*PAGING_PARAMETERS, sort_parameter(sort_fields), *list_parameters],
        ),
        "retrieve": extend_schema(tags=[tag], responses={200: output}),
        "destroy": extend_schema(tags=[tag], responses={200: output}),
    }
    if create_request is not None:
        views["create"] = extend_schema(
            tags=[tag], request=create_request, responses={200: create_output or output}
        )
    if update_request is not None:
        for action in ("update", "partial_update"):
            views[action] = extend_schema(
                tags=[tag], request=update_request, responses={200: output}
            )
    views.update(extra or {})
    return extend_schema_view(**views)


def _error_component() -> dict:
    codes = [e.code for e in all_error_codes()]
    return {
        "type": "object",
        "required": ["errorCode", "message", "data"],
        "properties": {
            "errorCode": {"type": "string", "enum": [str(c) for c in codes], "example": "487"},
            "message": {"type": "string", "example": "Auto Attendant user Id not found"},
            "data": {"type": "object", "additionalProperties": True},
        },
        "description": "Error codes:\n"
        + "\n".join(f"- `{e.code}` (HTTP {e.http_status}) {e.message}" for e in all_error_codes()),
    }


def _wrap_list(schema: dict) -> dict:
    from .pagination import paginated_schema

    return paginated_schema(schema.get("items", {}))


def wrap_in_envelope(result: dict, generator, request, public) -> dict:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorEnvelope"] = _error_component()
    error_ref = {"$ref": "#/components/schemas/ErrorEnvelope"}
    # Routes accept both forms; document the spec's (no trailing slash).
    result["paths"] = {
        (path.rstrip("/") or "/"): operations for path, operations in result["paths"].items()
    }
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            ok = responses.get("200", {}).get("content", {}).get("application/json")
            if ok is not None:
                payload = ok.get("schema", {})
                if payload.get("type") == "array":
                    payload = _wrap_list(payload)
                ok["schema"] = {
                    "type": "object",
                    "required": ["data", "code", "message"],
                    "properties": {
                        "data": payload,
                        "code": {"type": "integer", "example": 200},
                        "message": {"type": "string", "example": "OK"},
                    },
                }
            if "/internal/" in path:
                continue
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": error_ref}},
                    },
                )
    return result


class BasicAuthScheme(OpenApiAuthenticationExtension):
    target_class = "autoattendant.api.authentication.BasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "basic",
            "description": "Username: accountSid or emailId. Password: auth token or password.",
        }
