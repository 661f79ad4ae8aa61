"""The process's Prometheus metrics, scraped at ``GET /metrics`` (:mod:`autoattendant.ops`).

- ``autoattendant_calls_total{dialect, outcome}`` — platform webhook requests, by dialect
  (``rcml``, ``twiml``) and outcome: ``answered`` (the caller hears a menu, a transfer …),
  ``refused`` (401/403/405: bad credentials, signature or method) or ``apology`` (the call ends
  with the apology: unknown number, no menu, an error).
- ``autoattendant_call_flow_seconds{dialect}`` — time to answer one of those requests, in the
  view (request parsing to document; not the server's or the network's share).
- ``autoattendant_flow_cache_total{source}`` — compiled flows fetched by
  :func:`~autoattendant.runtime.store.get_flow`: ``local`` (this process's copy), ``cache`` (the
  shared cache) or ``compiled`` (a miss: four queries and a compile).
- ``autoattendant_api_requests_total{status}`` — responses under ``/autoattendant/`` other than
  the webhooks, by status class (``2xx`` … ``5xx``).

The call path pays one counter increment and one histogram observation per request (about 1 µs
together, ``docs/performance.md``): every labelled child is resolved here, once, because
``labels()`` costs more than the increment itself. Resolving them up front also exports every
series from zero, so a rate over an outcome that has not happened yet is 0, not absent.

Under gunicorn every worker is a process of its own. With ``PROMETHEUS_MULTIPROC_DIR`` in the
environment before the process starts, prometheus_client keeps each value in a memory-mapped
file of that directory and :func:`exposition` adds up the files of every worker, past ones
included (gunicorn.conf.py wipes the directory at start and marks each exited worker dead).
"""

from __future__ import annotations

import os

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector

__all__ = [
    "DIALECTS",
    "OUTCOMES",
    "count_api_response",
    "exposition",
    "flow_compiled",
    "flow_from_cache",
    "flow_from_local",
    "multiprocess",
    "record_call",
]

# No ``*_created`` series beside every counter and histogram: Prometheus does not need them, and
# they double what each scrape carries.
disable_created_metrics()

DIALECTS = ("rcml", "twiml")
OUTCOMES = ("answered", "refused", "apology")

CALLS = Counter(
    "autoattendant_calls",
    "Call-flow requests from the telephony platforms, by dialect and outcome.",
    ["dialect", "outcome"],
)
CALL_SECONDS = Histogram(
    "autoattendant_call_flow_seconds",
    "Time the webhook view took to answer a call-flow request.",
    ["dialect"],
    # A warm answer takes ~0.1 ms, a cold one (the flow compiled) ~10 ms; a platform gives up
    # after a few seconds.
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
FLOW_CACHE = Counter(
    "autoattendant_flow_cache",
    "Compiled flows fetched, by where they came from: local (this process's copy), cache (the "
    "shared cache) or compiled (a miss).",
    ["source"],
)
API_REQUESTS = Counter(
    "autoattendant_api_requests",
    "REST API responses (everything under /autoattendant/ but the webhooks), by status class.",
    ["status"],
)

_calls = {(d, o): CALLS.labels(d, o) for d in DIALECTS for o in OUTCOMES}
_call_seconds = {d: CALL_SECONDS.labels(d) for d in DIALECTS}
_api_by_class = {n: API_REQUESTS.labels(f"{n}xx") for n in range(1, 6)}

#: ``get_flow``'s three outcomes, as bound methods (one attribute call on the hot path).
flow_from_local = FLOW_CACHE.labels("local").inc
flow_from_cache = FLOW_CACHE.labels("cache").inc
flow_compiled = FLOW_CACHE.labels("compiled").inc


def record_call(dialect: str, outcome: str, seconds: float) -> None:
    """One webhook request: its outcome counted, its time observed."""
    _calls[dialect, outcome].inc()
    _call_seconds[dialect].observe(seconds)


def count_api_response(status: int) -> None:
    """One API response, counted by its status class."""
    counter = _api_by_class.get(status // 100)
    if counter is not None:
        counter.inc()


def multiprocess() -> bool:
    """Whether values live in ``PROMETHEUS_MULTIPROC_DIR`` (read when prometheus_client was
    imported, so it must be set before the process starts)."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def exposition(accept: str = "") -> tuple[bytes, str]:
    """Every metric and its content type, in the format the scraper's ``Accept`` asks for
    (Prometheus's text format 0.0.4 by default, OpenMetrics on request): this process's, or
    with ``PROMETHEUS_MULTIPROC_DIR`` every worker's added up."""
    encoder, content_type = choose_encoder(accept)
    if multiprocess():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return encoder(registry), content_type
    return encoder(REGISTRY), content_type
