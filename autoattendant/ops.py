"""What a load balancer, an orchestrator and Prometheus ask of each web process (DESIGN §17).

- ``GET /healthz`` — liveness: the process answers. Touches nothing (no database, no cache), so
  an outage of either never gets healthy processes restarted.
- ``GET /readyz`` — readiness: the database, the cache and the Celery broker answer, each named
  in the JSON with ``ok`` or ``unavailable`` (HTTP 503 when any is). With Celery eager (the
  embedded default: no ``REDIS_URL``) there is no broker to reach: ``"broker": "eager"``.
- ``GET /metrics`` — Prometheus's text format (:mod:`autoattendant.metrics`), for the addresses
  in ``METRICS_ALLOWED_IPS`` (default loopback) and requests bearing ``METRICS_TOKEN``.

Plain Django views, routed right after the platform webhooks (``aa_project/urls.py``): no REST
framework, no session, no user, no envelope.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import logging
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import metrics

__all__ = ["healthz", "metrics_view", "ops_routes", "readiness", "readyz"]

logger = logging.getLogger(__name__)

#: Seconds the broker check may wait to connect, and then for each answer.
PROBE_TIMEOUT = 2
_CACHE_PROBE_KEY = "ops:readyz"


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """``GET /healthz``: 200 ``{"status": "ok"}`` whenever the process can answer at all."""
    return JsonResponse({"status": "ok"})


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    cache.set(_CACHE_PROBE_KEY, "ok", 10)
    if cache.get(_CACHE_PROBE_KEY) != "ok":
        raise RuntimeError("the cache did not keep a value")
    return "ok"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"  # tasks run in the web process: no broker to reach
    with current_app.connection_for_write(
        url=settings.CELERY_BROKER_URL,
        connect_timeout=PROBE_TIMEOUT,
        # Bounds the handshake too: a broker that accepts connections but never answers.
        transport_options={
            "socket_connect_timeout": PROBE_TIMEOUT,
            "socket_timeout": PROBE_TIMEOUT,
        },
    ) as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=PROBE_TIMEOUT
        )
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {"database": _database, "cache": _cache, "broker": _broker}


def readiness() -> dict[str, str]:
    """Each dependency's state: ``ok``, ``eager`` (the broker, when tasks run in process) or
    ``unavailable`` (the reason is logged). Every check runs, so a reply names everything
    that is down."""
    states = {}
    for name, check in CHECKS.items():
        try:
            states[name] = check()
        except Exception as exc:
            logger.warning("Readiness: %s unavailable: %s: %s", name, type(exc).__name__, exc)
            states[name] = "unavailable"
    return states


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """``GET /readyz``: 200 when the database, the cache and the broker answer, else 503; the
    body names each with its state."""
    states = readiness()
    ready = all(state in ("ok", "eager") for state in states.values())
    return JsonResponse(states, status=200 if ready else 503)


@functools.lru_cache(maxsize=8)
def _networks(allowed: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in allowed)


def _metrics_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode()):
            return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.METRICS_ALLOWED_IPS)))


@require_safe
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """``GET /metrics``: every metric in Prometheus's text format; 403 unless the client's
    address is in ``METRICS_ALLOWED_IPS`` or it bears ``Authorization: Bearer <METRICS_TOKEN>``.

    Behind a reverse proxy on the same host every request comes from loopback: the proxy must
    not pass ``/metrics`` on from outside (docs/deploy.md)."""
    if not _metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    body, content_type = metrics.exposition(request.META.get("HTTP_ACCEPT", ""))
    return HttpResponse(body, content_type=content_type)


def ops_routes() -> list:
    """``healthz``, ``readyz`` and ``metrics`` at the site's root."""
    return [
        re_path(r"^healthz/?$", healthz, name="healthz"),
        re_path(r"^readyz/?$", readyz, name="readyz"),
        re_path(r"^metrics/?$", metrics_view, name="metrics"),
    ]
