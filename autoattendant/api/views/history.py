"""Safe changes (DESIGN §16): the audit trail, an AA system's flow versions (diff, restore) and
its flow tests.

- ``GET /audit/search?sid&userSid&startTime&endTime`` — newest first; enterprise users see their
  enterprise's entries, superusers all. ``sid`` matches the object and its parent (a menu's
  history includes its keys).
- ``GET /system/{sid}/version/search[/{n}]``, ``GET …/version/diff?from=n&to=m``,
  ``POST …/version/{n}/restore[?force=true]``.
- ``POST /system/{sid}/flowtest``, ``GET …/flowtest/search[/{ftSid}]``,
  ``PUT|DELETE …/flowtest/{ftSid}``, ``POST …/flowtest/run``.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import re_path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...errors import Errors
from ...models import AuditEntry, FlowTest, FlowVersion
from ...services.flowdoc import describe_changes
from ...services.flowtests import (
    do_create_flow_test,
    do_delete_flow_test,
    do_run_flow_tests,
    do_update_flow_test,
)
from ...services.flowversions import do_restore_version, forcing
from ...services.menus import get_system_for
from ...timestamps import parse_instant
from ..pagination import Page
from ..query import PAGING, QueryParameters
from ..schema import FORCE, PAGING_PARAMETERS, refusals
from ..serializers.history import (
    AuditEntrySerializer,
    FlowTestRunSerializer,
    FlowTestSerializer,
    FlowTestWriteSerializer,
    FlowVersionDetailSerializer,
    FlowVersionDiffSerializer,
    FlowVersionSerializer,
)
from ..viewsets import body, validated

__all__ = ["FORCED_ACTIONS", "forced", "history_routes"]

#: The actions of a resource whose writes may change a flow: they take ``?force=true``.
FORCED_ACTIONS = ("create", "update", "partial_update", "destroy")


def forced(request: Request):
    """The context a write runs in: forced when the query says ``force=true``."""
    value = (request.query_params.get("force") or "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise Errors.VALIDATION({"force": "Expected true or false."})
    return forcing(value in ("true", "1"))


SYSTEM = OpenApiParameter("sid", str, OpenApiParameter.PATH, description="The AA system's sid.")


def _instant(request: Request, name: str):
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse_instant(raw)
    except ValueError as exc:
        raise Errors.INVALID_FILTER({name: str(exc)}) from None


# --- audit -----------------------------------------------------------------------------------

AUDIT_PARAMETERS = [
    OpenApiParameter("sid", str, description="Entries about this object or its children."),
    OpenApiParameter("userSid", str, description="Entries of what this user did."),
    OpenApiParameter("startTime", str, description="At or after this instant (ISO-8601)."),
    OpenApiParameter("endTime", str, description="At or before this instant (ISO-8601)."),
    *PAGING_PARAMETERS,
]


class AuditSearchView(QueryParameters, APIView):
    def accepted_query_parameters(self) -> list[str]:
        return [p.name for p in AUDIT_PARAMETERS]

    @extend_schema(
        tags=["Audit"],
        summary="The audit trail: who changed what, when",
        description="Every write through the API, the console, the admin and the commands, "
        "newest first. Enterprise users see their enterprise's; the operator everything.",
        parameters=AUDIT_PARAMETERS,
        responses={200: AuditEntrySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        entries = AuditEntry.objects.select_related("content_type", "actor", "enterprise")
        user = request.user
        if not user.is_superuser:
            entries = entries.filter(enterprise_id=user.enterprise_id)
        params = request.query_params
        if params.get("sid"):
            entries = entries.filter(Q(object_sid=params["sid"]) | Q(parent_sid=params["sid"]))
        if params.get("userSid"):
            entries = entries.filter(actor__sid=params["userSid"])
        start, end = _instant(request, "startTime"), _instant(request, "endTime")
        if start is not None:
            entries = entries.filter(timestamp__gte=start)
        if end is not None:
            entries = entries.filter(timestamp__lte=end)
        page = Page(request, entries.order_by("-timestamp", "-id"))
        return page.response(AuditEntrySerializer(page.rows, many=True).data)


# --- versions --------------------------------------------------------------------------------


def _changes(system, versions: list[FlowVersion]) -> dict[int, list[str]]:
    """Each version's changes from the one before (one query for the documents before)."""
    if not versions:
        return {}
    numbers = {v.number for v in versions} | {v.number - 1 for v in versions}
    documents = dict(
        FlowVersion.objects.filter(system=system, number__in=numbers).values_list(
            "number", "document"
        )
    )
    changes = {}
    for version in versions:
        before = documents.get(version.number - 1)
        if before is None:
            changes[version.number] = ["First version"]
        else:
            changes[version.number] = describe_changes(before, version.document) or ["No change"]
    return changes


def _version(system, number) -> FlowVersion:
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Errors.VERSION_NOT_FOUND({"autoAttendantSid": system.sid, "number": number}) from None
    version = (
        FlowVersion.objects.select_related("system", "created_by")
        .filter(system=system, number=number)
        .first()
    )
    if version is None:
        raise Errors.VERSION_NOT_FOUND({"autoAttendantSid": system.sid, "number": number})
    return version


NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="Version number.")


class VersionSearchView(QueryParameters, APIView):
    def accepted_query_parameters(self) -> tuple[str, ...]:
        return PAGING

    @extend_schema(
        tags=["Flow versions"],
        summary="An AA system's flow versions, newest first",
        parameters=[SYSTEM, *PAGING_PARAMETERS],
        responses={200: FlowVersionSerializer(many=True), **refusals(409)},
    )
    def get(self, request: Request, sid: str) -> Response:
        system = get_system_for(request.user, sid)
        versions = FlowVersion.objects.filter(system=system).select_related("system", "created_by")
        page = Page(request, versions.order_by("-number"))
        context = {"changes": _changes(system, page.rows)}
        return page.response(FlowVersionSerializer(page.rows, many=True, context=context).data)


class VersionDetailView(QueryParameters, APIView):
    @extend_schema(
        tags=["Flow versions"],
        summary="One flow version with its whole flow",
        parameters=[SYSTEM, NUMBER],
        responses={200: FlowVersionDetailSerializer, **refusals(409)},
    )
    def get(self, request: Request, sid: str, number: str) -> Response:
        system = get_system_for(request.user, sid)
        version = _version(system, number)
        context = {"changes": _changes(system, [version])}
        return Response(FlowVersionDetailSerializer(version, context=context).data)


DIFF_PARAMETERS = [
    OpenApiParameter("from", int, required=True, description="The older version."),
    OpenApiParameter("to", int, required=True, description="The newer version."),
]


class VersionDiffView(QueryParameters, APIView):
    def accepted_query_parameters(self) -> list[str]:
        return ["from", "to"]

    @extend_schema(
        tags=["Flow versions"],
        summary="What changed between two versions, in words",
        parameters=[SYSTEM, *DIFF_PARAMETERS],
        responses={200: FlowVersionDiffSerializer, **refusals(409)},
    )
    def get(self, request: Request, sid: str) -> Response:
        system = get_system_for(request.user, sid)
        for name in ("from", "to"):
            value = request.query_params.get(name)
            if value is None or not value.isdigit():
                raise Errors.VALIDATION({name: "A version number is required."})
        old = _version(system, request.query_params["from"])
        new = _version(system, request.query_params["to"])
        return Response(
            {
                "autoAttendantSid": system.sid,
                "fromVersion": old.number,
                "toVersion": new.number,
                "changes": describe_changes(old.document, new.document),
            }
        )


class VersionSearchRestoreView(QueryParameters, APIView):
    """``…/version/search/restore``: the detail of version "restore" (GET) or the restore of
    version "search" (POST) — neither exists."""

    def accepted_query_parameters(self) -> list[str]:
        return [FORCE.name] if self.request.method == "POST" else []

    @extend_schema(exclude=True)
    def get(self, request: Request, sid: str) -> Response:
        return VersionDetailView().get(request, sid, "restore")

    @extend_schema(exclude=True)
    def post(self, request: Request, sid: str) -> Response:
        system = get_system_for(request.user, sid)
        forced(request)
        raise Errors.VERSION_NOT_FOUND({"autoAttendantSid": system.sid, "number": "search"})


class VersionRestoreView(QueryParameters, APIView):
    def accepted_query_parameters(self) -> list[str]:
        return [FORCE.name]

    @extend_schema(
        tags=["Flow versions"],
        summary="Restore a version (as a new version)",
        description="Writes version n's flow back as version N+1, which behaves as n did. 409 "
        "(672) naming announcements or extensions that no longer exist; 409 (670) when flow "
        "tests that passed would fail, unless force=true.",
        parameters=[SYSTEM, NUMBER, FORCE],
        request=None,
        responses={200: FlowVersionDetailSerializer, **refusals(409)},
    )
    def post(self, request: Request, sid: str, number: str) -> Response:
        system = get_system_for(request.user, sid)
        version = _version(system, number)
        with forced(request):
            restored = do_restore_version(request.user, system, version.number)
        restored = _version(system, restored.number)
        context = {"changes": _changes(system, [restored])}
        return Response(FlowVersionDetailSerializer(restored, context=context).data)


# --- flow tests ------------------------------------------------------------------------------

TEST = OpenApiParameter("testSid", str, OpenApiParameter.PATH, description="The flow test's sid.")


def _test(system, sid: str) -> FlowTest:
    test = FlowTest.objects.select_related("system").filter(system=system, sid=sid).first()
    if test is None:
        raise Errors.FLOW_TEST_NOT_FOUND({"sid": sid})
    return test


def _write_fields(data: dict) -> dict:
    fields = {k: data[k] for k in ("name", "at", "inputs") if k in data}
    if "expect" in data:
        fields["expect"] = {k: v for k, v in data["expect"].items() if v not in (None, "")}
    return fields


class _AlsoAnItem:
    """A fixed flowtest route that ``…/flowtest/{testSid}`` also names: PUT, PATCH and DELETE
    answer as for a test of that sid (none: 673)."""

    item_name = ""

    @extend_schema(exclude=True)
    def put(self, request: Request, sid: str) -> Response:
        return FlowTestItemView().put(request, sid, self.item_name)

    @extend_schema(exclude=True)
    def patch(self, request: Request, sid: str) -> Response:
        return FlowTestItemView().put(request, sid, self.item_name)

    @extend_schema(exclude=True)
    def delete(self, request: Request, sid: str) -> Response:
        return FlowTestItemView().delete(request, sid, self.item_name)


class FlowTestCollectionView(QueryParameters, APIView):
    def accepted_query_parameters(self) -> tuple[str, ...]:
        return PAGING if self.request.method == "GET" else ()

    @extend_schema(
        tags=["Flow tests"],
        summary="Create a flow test (run once at once)",
        parameters=[SYSTEM],
        request={"application/json": FlowTestWriteSerializer},
        responses={200: FlowTestSerializer, **refusals(409)},
    )
    def post(self, request: Request, sid: str) -> Response:
        system = get_system_for(request.user, sid)
        data = validated(FlowTestWriteSerializer, body(request))
        test = do_create_flow_test(request.user, system, _write_fields(data))
        return Response(FlowTestSerializer(_test(system, test.sid)).data)


class FlowTestSearchView(_AlsoAnItem, QueryParameters, APIView):
    item_name = "search"

    def accepted_query_parameters(self) -> tuple[str, ...]:
        return PAGING if self.request.method == "GET" else ()

    @extend_schema(
        tags=["Flow tests"],
        summary="An AA system's flow tests",
        parameters=[SYSTEM, *PAGING_PARAMETERS],
        responses={200: FlowTestSerializer(many=True), **refusals(409)},
    )
    def get(self, request: Request, sid: str) -> Response:
        system = get_system_for(request.user, sid)
        tests = FlowTest.objects.filter(system=system).select_related("system")
        page = Page(request, tests.order_by("date_created", "sid"))
        return page.response(FlowTestSerializer(page.rows, many=True).data)


class FlowTestDetailView(QueryParameters, APIView):
    @extend_schema(
        tags=["Flow tests"],
        summary="One flow test",
        parameters=[SYSTEM, TEST],
        responses={200: FlowTestSerializer, **refusals(409)},
    )
    def get(self, request: Request, sid: str, testSid: str) -> Response:
        system = get_system_for(request.user, sid)
        return Response(FlowTestSerializer(_test(system, testSid)).data)


class FlowTestItemView(QueryParameters, APIView):
    @extend_schema(
        tags=["Flow tests"],
        summary="Change a flow test (partial)",
        parameters=[SYSTEM, TEST],
        request={"application/json": FlowTestWriteSerializer},
        responses={200: FlowTestSerializer, **refusals(409)},
    )
    def put(self, request: Request, sid: str, testSid: str) -> Response:
        system = get_system_for(request.user, sid)
        test = _test(system, testSid)
        data = validated(FlowTestWriteSerializer, body(request))
        do_update_flow_test(request.user, test, _write_fields(data))
        return Response(FlowTestSerializer(_test(system, testSid)).data)

    @extend_schema(
        tags=["Flow tests"],
        summary="Change a flow test (partial)",
        parameters=[SYSTEM, TEST],
        request={"application/json": FlowTestWriteSerializer},
        responses={200: FlowTestSerializer, **refusals(409)},
    )
    def patch(self, request: Request, sid: str, testSid: str) -> Response:
        return self.put(request, sid, testSid)

    @extend_schema(
        tags=["Flow tests"],
        summary="Delete a flow test",
        parameters=[SYSTEM, TEST],
        responses={200: FlowTestSerializer, **refusals(409)},
    )
    def delete(self, request: Request, sid: str, testSid: str) -> Response:
        system = get_system_for(request.user, sid)
        test = _test(system, testSid)
        payload = FlowTestSerializer(test).data
        do_delete_flow_test(request.user, test)
        return Response(payload)


class FlowTestRunView(_AlsoAnItem, QueryParameters, APIView):
    item_name = "run"

    @extend_schema(
        tags=["Flow tests"],
        summary="Run every flow test of the AA system against its flow now",
        parameters=[SYSTEM],
        request=None,
        responses={200: FlowTestRunSerializer, **refusals(409)},
    )
    def post(self, request: Request, sid: str) -> Response:
        system = get_system_for(request.user, sid)
        results = do_run_flow_tests(system)
        passed = sum(1 for r in results if r["passed"])
        return Response(
            {
                "autoAttendantSid": system.sid,
                "passed": passed,
                "failed": len(results) - passed,
                "results": results,
            }
        )


def history_routes() -> list:
    """The routes above, each with or without a trailing slash; before ``system/{sid}``.

    Two documented paths can name one URL: ``…/version/search/{number}`` with ``restore`` is
    ``…/version/{number}/restore`` with ``search``, and ``…/flowtest/{testSid}`` with ``run`` or
    ``search`` is a fixed route. Those URLs answer every documented method (a version or test of
    that name does not exist: 671, 673), never another route's 405."""
    system = r"^system/(?P<sid>[^/]+)"
    return [
        re_path(rf"{system}/version/search/restore/?$", VersionSearchRestoreView.as_view()),
        re_path(r"^audit/search/?$", AuditSearchView.as_view(), name="audit-search"),
        re_path(rf"{system}/version/search/?$", VersionSearchView.as_view(), name="version-list"),
        re_path(
            rf"{system}/version/search/(?P<number>[^/]+)/?$",
            VersionDetailView.as_view(),
            name="version-detail",
        ),
        re_path(rf"{system}/version/diff/?$", VersionDiffView.as_view(), name="version-diff"),
        re_path(
            rf"{system}/version/(?P<number>[^/]+)/restore/?$",
            VersionRestoreView.as_view(),
            name="version-restore",
        ),
        re_path(rf"{system}/flowtest/?$", FlowTestCollectionView.as_view(), name="flowtest-create"),
        re_path(rf"{system}/flowtest/run/?$", FlowTestRunView.as_view(), name="flowtest-run"),
        re_path(
            rf"{system}/flowtest/search/?$", FlowTestSearchView.as_view(), name="flowtest-list"
        ),
        re_path(
            rf"{system}/flowtest/search/(?P<testSid>[^/]+)/?$",
            FlowTestDetailView.as_view(),
            name="flowtest-detail",
        ),
        re_path(
            rf"{system}/flowtest/(?P<testSid>[^/]+)/?$",
            FlowTestItemView.as_view(),
            name="flowtest-item",
        ),
    ]
