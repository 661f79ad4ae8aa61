"""OpenAPI: every operation documented as clients really meet it.

Views declare their *payload* serializers, the query parameters they take (``query.py``: the
same names the check refuses others by) and the refusals particular to them (403, 409).
``wrap_in_envelope`` (a drf-spectacular post-processing hook) wraps each 200 body in
``{data, code, message}`` and documents the error envelope for every status an operation can
answer with:

- every operation: 400 (malformed input, a query parameter it does not take), 401, 413 (a body
  over the limit, or more than 1000 query parameters or form fields), 429 (failed logins);
- an operation with a path parameter: 404 (a value holding ``/`` names no route);
- an operation with a body: 415 (another content type than the one documented);
- as the view declares: 403 (the caller's role may not), 409 (a business rule, or a sid that
  names nothing the caller can see).

No 500 is documented: none is promised (``tests/api/test_schemathesis.py`` holds us to it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from ..errors import all_error_codes
from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .query import list_parameter_names

# --- Error responses -------------------------------------------------------------------------

ERROR_STATUSES = {
    400: "Malformed or invalid input: a field (600), the JSON (601), a multipart body (624), "
    "paging (610), SortBy (611), a filter (612), a query parameter the operation does not "
    "take (625).",
    401: "No or wrong HTTP Basic credentials, or a suspended or deleted user (602).",
    403: "The caller's role may not do this (603).",
    404: "No such route (604): a path parameter holding `/` names none.",
    409: "A documented business rule refused the request, or a sid names nothing the caller "
    "can see (the spec's codes below 600, the project's 613-623).",
    413: "Request too large (606): a body or file over the limit, or more than 1000 query "
    "parameters or form fields; data names the limit.",
    415: "Unsupported media type (607): send the content type documented for the body.",
    429: "Too many failed logins (608); retry after `Retry-After` seconds.",
}

#: Every operation may answer these (``wrap_in_envelope`` adds them).
EVERY_OPERATION = (400, 401, 413, 429)

#: Headers that come with an error status, always.
ERROR_HEADERS = {
    401: {
        "WWW-Authenticate": {
            "description": 'The scheme to authenticate with: `Basic realm="api"`.',
            "required": True,
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds until the username or address may try again.",
            "required": True,
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        }
    },
}


def refusals(*statuses: int) -> dict[int, OpenApiResponse]:
    """``responses`` entries for the error statuses an operation adds to those every operation
    has (403, 409, …); ``wrap_in_envelope`` gives each the error envelope."""
    return {status: OpenApiResponse(description=ERROR_STATUSES[status]) for status in statuses}


# --- Query parameters ------------------------------------------------------------------------

PAGING_PARAMETERS = [
    OpenApiParameter(
        "page", {"type": "integer", "minimum": 0}, description="Page to return, from 0 (default)."
    ),
    OpenApiParameter(
        "pageSize",
        {"type": "integer", "minimum": 1},
        description=f"Rows per page, from 1 (default {DEFAULT_PAGE_SIZE}); more than "
        f"{MAX_PAGE_SIZE} is served as {MAX_PAGE_SIZE}, the cap.",
    ),
]

CREATED_PARAMETERS = [
    OpenApiParameter(
        "startTime",
        str,
        description="Only rows created at or after this instant: an ISO-8601 date (midnight "
        "UTC) or date-time (UTC unless it names an offset).",
    ),
    OpenApiParameter(
        "endTime",
        str,
        description="Only rows created at or before this instant (as startTime).",
    ),
]


#: ``?force=true`` on every write that changes a flow (DESIGN §16).
FORCE = OpenApiParameter(
    "force",
    {"type": "string", "enum": ["true", "false"]},
    description="`true` saves a change even when it makes flow tests that passed fail "
    "(otherwise 409, errorCode 670, the failing tests in data).",
)


def sort_parameters(fields: Iterable[str]) -> list[OpenApiParameter]:
    """``SortBy=<attribute>[:asc|desc]`` (direction in any case) and its deprecated alias."""
    fields = list(fields)
    attributes = "|".join(re.escape(name) for name in fields)
    schema = {
        "type": "string",
        "pattern": f"^({attributes})(:([aA][sS][cC]|[dD][eE][sS][cC]))?$",
        "example": f"{fields[0]}:asc",
    }
    description = (
        f"`<attribute>[:asc|desc]`, attribute one of {', '.join(fields)}; default "
        "`dateCreated:asc`, ties broken by sid."
    )
    return [
        OpenApiParameter("SortBy", schema, description=description),
        OpenApiParameter("sortBy", schema, description="Alias of SortBy.", deprecated=True),
    ]


def _filter_parameter(name: str, filter_) -> OpenApiParameter:
    choices = filter_.extra.get("choices")
    if choices:
        return OpenApiParameter(
            name,
            str,
            enum=[value for value, _ in choices],
            description=f"Only rows whose {name} is this.",
        )
    if filter_.lookup_expr == "icontains":
        return OpenApiParameter(name, str, description=f"Part of the {name}, in any case.")
    return OpenApiParameter(name, str, description=f"Only rows whose {name} is this.")


def list_query_parameters(
    filterset_class, sort_fields: Iterable[str], overrides: Mapping[str, OpenApiParameter]
) -> list[OpenApiParameter]:
    """A list's query parameters, named by ``query.list_parameter_names`` — the very names its
    view accepts — in that order; ``overrides`` describe a filter better than its type does."""
    fixed = {p.name: p for p in [*PAGING_PARAMETERS, *sort_parameters(sort_fields)]}
    fixed.update({p.name: p for p in CREATED_PARAMETERS})
    parameters = []
    for name in list_parameter_names(filterset_class):
        if name in fixed:
            parameters.append(fixed[name])
        elif name in overrides:
            parameters.append(overrides[name])
        else:
            parameters.append(_filter_parameter(name, filterset_class.base_filters[name]))
    return parameters


# --- Resources -------------------------------------------------------------------------------


def resource_schema(
    *,
    tag: str,
    output,
    create_request=None,
    update_request=None,
    list_parameters: Iterable[OpenApiParameter] = (),
    create_output=None,
    forbidden: Iterable[str] = (),
    conflict_free: Iterable[str] = (),
    write_parameters: Mapping[str, list[OpenApiParameter]] | None = None,
):
    """``extend_schema_view`` for a ``ResourceViewSet``'s list/retrieve/create/update/destroy.

    The list's query parameters come from the viewset's filterset and sort attributes
    (``list_parameters`` only describe filters better). Bodies are JSON. ``forbidden``: the
    actions a role rule may refuse (403). Every action but the list may answer 409 (a sid that
    names nothing visible, a business rule), except those in ``conflict_free``.
    """
    overrides = {p.name: p for p in list_parameters}
    forbidden, conflict_free = set(forbidden), {"list", *conflict_free}

    def responses(action: str, ok) -> dict:
        statuses = [403] if action in forbidden else []
        if action not in conflict_free:
            statuses.append(409)
        return {200: ok, **refusals(*statuses)}

    def decorate(viewset):
        views = {
            "list": extend_schema(
                tags=[tag],
                responses=responses("list", output(many=True)),
                parameters=list_query_parameters(
                    viewset.filterset_class, viewset.sort_fields, overrides
                ),
            ),
            "retrieve": extend_schema(tags=[tag], responses=responses("retrieve", output)),
            "destroy": extend_schema(
                tags=[tag],
                responses=responses("destroy", output),
                parameters=(write_parameters or {}).get("destroy", []),
            ),
        }
        if create_request is not None:
            views["create"] = extend_schema(
                tags=[tag],
                request={"application/json": create_request},
                responses=responses("create", create_output or output),
                parameters=(write_parameters or {}).get("create", []),
            )
        if update_request is not None:
            for action in ("update", "partial_update"):
                views[action] = extend_schema(
                    tags=[tag],
                    request={"application/json": update_request},
                    responses=responses(action, output),
                    parameters=(write_parameters or {}).get(action, []),
                )
        return extend_schema_view(**views)(viewset)

    return decorate


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, with the fields a response serializer leaves out when unset
    (its ``omitted_when_empty``, ``fields.RecordSerializer``) not required: drf-spectacular
    marks every read-only field required, and the spec's examples omit an unset ``fileUri``,
    ``extension`` or ``defaultMenuSid``."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        omitted = set(getattr(serializer, "omitted_when_empty", ()))
        if omitted and "required" in schema:
            required = [name for name in schema["required"] if name not in omitted]
            if required:
                schema["required"] = required
            else:
                del schema["required"]
        return schema


# --- The post-processing hook ----------------------------------------------------------------


def _error_component() -> dict:
    codes = all_error_codes()
    return {
        "type": "object",
        "required": ["errorCode", "message", "data"],
        "properties": {
            "errorCode": {"type": "string", "enum": [str(e.code) for e in codes], "example": "487"},
            "message": {"type": "string", "example": "Auto Attendant user Id not found"},
            "data": {"type": "object", "additionalProperties": True},
        },
        "description": "Error codes:\n"
        + "\n".join(f"- `{e.code}` (HTTP {e.http_status}) {e.message}" for e in codes),
    }


def _wrap_list(schema: dict) -> dict:
    from .pagination import paginated_schema

    return paginated_schema(schema.get("items", {}))


def _error_statuses(operation: dict) -> set[int]:
    statuses = set(EVERY_OPERATION)
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        statuses.add(404)
    if "requestBody" in operation:
        statuses.add(415)
    return statuses


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
                # a list that is not a page (the timeline) says so with ``x-plain-list``
                if payload.get("x-plain-list"):
                    payload = {k: v for k, v in payload.items() if k != "x-plain-list"}
                elif payload.get("type") == "array":
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
            declared = {int(status) for status in responses if int(status) in ERROR_STATUSES}
            for status in sorted(declared | _error_statuses(operation)):
                entry = responses.setdefault(str(status), {})
                entry.setdefault("description", ERROR_STATUSES[status])
                entry["content"] = {"application/json": {"schema": error_ref}}
                if status in ERROR_HEADERS:
                    entry["headers"] = ERROR_HEADERS[status]
            operation["responses"] = dict(sorted(responses.items()))
    return result


class BasicAuthScheme(OpenApiAuthenticationExtension):
    target_class = "autoattendant.api.authentication.BasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "basic",
            "description": (
                "HTTP Basic. **Integrations and scripts: username `accountSid`, password "
                "the auth token** — shown once, when the user is created (and when the "
                "operator rotates it in the admin), and checked with one fast hash. A "
                "person's `emailId` (or `accountSid`) and password work too, but they are "
                "slower and meant for people: the password is verified against its slow, "
                "salted hash (about 0.2 s of CPU, more on a busy server, by design: it makes "
                "a stolen hash costly to crack). A success is remembered for a few minutes (5 by "
                "default) under a keyed digest, so a person trying the API does not wait on "
                "every click; a changed password is refused at once. Integrations should use "
                "tokens. A suspended or deleted user is refused (401) on the next request. "
                "Failed attempts are limited per username and per client address: past the "
                "limit, 429 with `Retry-After`."
            ),
        }
