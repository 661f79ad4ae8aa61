"""Safe changes in the console (DESIGN §16): the audit trail (the enterprise's, or one object's),
an AA system's flow versions with their changes in words, a diff between any two, restore with
confirmation, and its flow tests (run, delete; the simulator saves new ones).

A flow write refused because it breaks flow tests (670) shows the failing tests and a "save
anyway" button: :func:`flow_write` runs the write forced when that button was pressed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ...errors import AppError, Errors
from ...models import AuditEntry, AutoAttendantSystem, FlowTest, FlowVersion
from ...services.flowdoc import describe_changes
from ...services.flowtests import do_create_flow_test, do_delete_flow_test, do_run_flow_tests
from ...services.flowversions import do_restore_version, forcing
from .base import console_view, explain, visible

ACTIONS = {0: "Created", 1: "Changed", 2: "Deleted", 3: "Read"}
FLOW_TESTS_FAILED = Errors.FLOW_TESTS_FAILED.code


@contextlib.contextmanager
def flow_write(request: HttpRequest) -> Iterator[None]:
    """Run a console write forced when its form's "save anyway" button was pressed."""
    with forcing("force" in request.POST):
        yield


def failing_tests(error: AppError) -> list[dict] | None:
    """The failing tests of a refusal that names them (670), else None."""
    if error.error_code != FLOW_TESTS_FAILED:
        return None
    data = error.data if isinstance(error.data, dict) else {}
    return list(data.get("failures") or [])


def _changes(entry: AuditEntry) -> list[dict]:
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    rows = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            rows.append({"field": field.replace("_", " "), "before": value[0], "after": value[1]})
        elif isinstance(value, dict):  # many-to-many: added or removed
            objects = ", ".join(str(o) for o in value.get("objects", []))
            rows.append({"field": field, "before": value.get("operation", ""), "after": objects})
    return rows


def _trail(request: HttpRequest, sid: str | None) -> HttpResponse:
    entries = AuditEntry.objects.select_related("content_type", "actor").filter(
        enterprise=request.enterprise
    )
    if sid:
        entries = entries.filter(Q(object_sid=sid) | Q(parent_sid=sid))
    page = Paginator(entries.order_by("-timestamp", "-id"), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "action": ACTIONS.get(entry.action, ""),
            "model": entry.content_type.name.capitalize(),
            "changes": _changes(entry),
        }
        for entry in page
    ]
    return render(request, "console/history.html", {"page": page, "rows": rows, "sid": sid or ""})


@console_view()
def history(request: HttpRequest) -> HttpResponse:
    return _trail(request, (request.GET.get("sid") or "").strip() or None)


@console_view()
def object_history(request: HttpRequest, sid: str) -> HttpResponse:
    return _trail(request, sid)


# --- versions --------------------------------------------------------------------------------


def _system(request: HttpRequest, sid: str) -> AutoAttendantSystem:
    return visible(request, AutoAttendantSystem.objects.all(), sid, Errors.SYSTEM_NOT_FOUND)


@console_view()
def versions(request: HttpRequest, sid: str) -> HttpResponse:
    system = _system(request, sid)
    rows = list(
        FlowVersion.objects.filter(system=system)
        .select_related("created_by")
        .order_by("-number")[:100]
    )
    listed = []
    for i, version in enumerate(rows):
        before = rows[i + 1] if i + 1 < len(rows) else None
        listed.append(
            {
                "version": version,
                "changes": describe_changes(before.document, version.document)
                if before
                else ["First version"],
                "latest": i == 0,
            }
        )
    return render(request, "console/versions.html", {"system": system, "rows": listed})


def _version(system: AutoAttendantSystem, number) -> FlowVersion:
    from django.http import Http404

    try:
        return FlowVersion.objects.get(system=system, number=int(number))
    except (FlowVersion.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


@console_view()
def version_diff(request: HttpRequest, sid: str) -> HttpResponse:
    system = _system(request, sid)
    old = _version(system, request.GET.get("from"))
    new = _version(system, request.GET.get("to"))
    return render(
        request,
        "console/version_diff.html",
        {
            "system": system,
            "old": old,
            "new": new,
            "changes": describe_changes(old.document, new.document),
        },
    )


@console_view()
def version_restore(request: HttpRequest, sid: str, number: int) -> HttpResponse:
    """GET: what restoring would change, and a confirmation; POST: restore (a refusal is shown
    on the same page, failing flow tests with a "restore anyway" button)."""
    system = _system(request, sid)
    version = _version(system, number)
    latest = FlowVersion.objects.filter(system=system).order_by("-number").first()
    context = {
        "system": system,
        "version": version,
        "latest": latest,
        "changes": describe_changes(latest.document, version.document),
    }
    if request.method == "POST":
        try:
            with flow_write(request):
                restored = do_restore_version(request.user, system, version.number)
        except AppError as exc:
            context["failures"] = failing_tests(exc)
            if context["failures"] is None:
                context["error"] = explain(exc)
                if isinstance(exc.data, dict) and exc.data.get("announcements"):
                    context["missing"] = [
                        a.get("name") or a.get("sid") for a in exc.data["announcements"]
                    ]
                if isinstance(exc.data, dict) and exc.data.get("extensions"):
                    context["missing"] = [*context.get("missing", []), *exc.data["extensions"]]
        else:
            messages.success(
                request, f"Version {version.number} restored as version {restored.number}."
            )
            return redirect("console:versions", sid=system.sid)
    return render(request, "console/version_restore.html", context)


# --- flow tests ------------------------------------------------------------------------------


@console_view()
def flow_tests(request: HttpRequest, sid: str) -> HttpResponse:
    system = _system(request, sid)
    results = None
    if request.method == "POST" and "run" in request.POST:
        results = {r["sid"]: r for r in do_run_flow_tests(system)}
        passed = sum(1 for r in results.values() if r["passed"])
        messages.info(request, f"{passed} of {len(results)} flow tests pass.")
        return redirect("console:flow_tests", sid=system.sid)
    if request.method == "POST" and request.POST.get("delete"):
        test = FlowTest.objects.filter(system=system, sid=request.POST["delete"]).first()
        if test is not None:
            do_delete_flow_test(request.user, test)
            messages.success(request, f"Flow test “{test.name}” deleted.")
        return redirect("console:flow_tests", sid=system.sid)
    tests = list(FlowTest.objects.filter(system=system).order_by("date_created", "sid"))
    return render(request, "console/flow_tests.html", {"system": system, "tests": tests})


@console_view()
def save_flow_test(request: HttpRequest) -> HttpResponse:
    """The simulator's "save as a test": its call (number's system, moment, inputs) with what it
    ended in as the expectation."""
    if request.method != "POST":
        return redirect("console:simulator")
    system = _system(request, request.POST.get("system", ""))
    expect = {"outcome": request.POST.get("outcome", "")}
    for key in ("transferredTo", "menuSid"):
        if request.POST.get(key):
            expect[key] = request.POST[key]
    inputs = [t for t in (request.POST.get("inputs") or "").split(",") if t != ""]
    try:
        test = do_create_flow_test(
            request.user,
            system,
            {
                "name": (request.POST.get("name") or "").strip() or "Simulated call",
                "at": request.POST.get("at", ""),
                "inputs": inputs,
                "expect": expect,
            },
        )
    except AppError as exc:
        messages.error(request, f"The test could not be saved: {explain(exc)}")
        return redirect("console:simulator")
    messages.success(request, f"Flow test “{test.name}” saved.")
    return redirect("console:flow_tests", sid=system.sid)
