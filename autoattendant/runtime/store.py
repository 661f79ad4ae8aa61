"""The compiled-flow store: each system's compiled flow, cached until anything in it changes, and
the engine's answers remembered per flow version.

- :func:`get_flow` — the compiled flow from this process's copy, else the cache (Django's cache:
  in-process by default, Redis in production), keyed by :func:`flow_key`: system sid, the flow's
  version (``flow_version`` and the system row's ``date_updated``) and the base URL its Play URLs
  were made absolute with. Every write to what a call hears bumps ``flow_version``
  (:mod:`.versions`, with :mod:`.invalidation` as the safety net), so a stale flow is never read
  and needs no explicit deletion. Each process keeps its most recently used flows
  (``CALLFLOW_LOCAL_FLOWS``, default 1024) under the same versioned key, so they are exactly as
  fresh, and a warm call pays neither the cache round trip nor the unpickling.
- :data:`local_answers` — the engine's answers, remembered under the same key
  (:mod:`.answering`).
"""

from __future__ import annotations

import functools
import hashlib
import time

from django.core.cache import cache

from .. import metrics
from ..callflow.model import System
from .compiler import compile_flow
from .config import DEFAULT_LOCAL_ANSWERS, DEFAULT_LOCAL_FLOWS, hot
from .lookup import FlowRef
from .lru import LocalLru

__all__ = [
    "DEFAULT_LOCAL_ANSWERS",
    "DEFAULT_LOCAL_FLOWS",
    "FLOW_FORMAT",
    "answers_capacity",
    "flow_key",
    "flows_capacity",
    "get_flow",
    "local_answers",
    "local_flows",
]


@functools.lru_cache(maxsize=64)
def _base_tag(base_url: str) -> str:
    return hashlib.sha256(base_url.encode()).hexdigest()[:16]


#: The compiled flow's layout (``callflow.model``); a new layout never reads an old one's pickles.
FLOW_FORMAT = 4


def flow_key(ref: FlowRef, base_url: str) -> str:
    """The compiled flow's cache key: it names the flow's version, so it changes with every write
    the flow depends on, and the year (holiday calendars are compiled for a window of years around
    it: :func:`~.compiler.holiday_years`), so a flow is recompiled when the year turns. Whatever
    is derived from a flow may be remembered under it."""
    year = time.gmtime().tm_year
    return f"aa:flow{FLOW_FORMAT}:{ref.system_sid}:{ref.version}:{year}:{_base_tag(base_url)}"


#: The process's most recently used compiled flows, by :func:`flow_key`.
local_flows = LocalLru()
#: The process's most recent engine answers, by their flow's key and the request's inputs
#: (:mod:`.answering`).
local_answers = LocalLru()


def flows_capacity() -> int:
    """``CALLFLOW_LOCAL_FLOWS`` (0 turns the process's copy off), :data:`DEFAULT_LOCAL_FLOWS`
    when unset. Kept whatever the cache: Django's in-process cache pickles too, so even there a
    warm call would otherwise unpickle its whole flow on every request."""
    return hot().local_flows


def answers_capacity() -> int:
    """``CALLFLOW_LOCAL_ANSWERS`` (0 turns it off)."""
    return hot().local_answers


def get_flow(ref: FlowRef, base_url: str = "", key: str | None = None) -> System:
    """The compiled flow of ``ref``'s system: this process's copy, else the cache's, else
    compiled (four queries) and cached. ``key`` is :func:`flow_key`'s, when the caller has it.
    Each call counts where the flow came from (``autoattendant_flow_cache_total``)."""
    key = key or flow_key(ref, base_url)
    capacity = flows_capacity()
    system = local_flows.get(key) if capacity else None
    if system is not None:
        metrics.flow_from_local()
        return system
    system = cache.get(key)
    if system is None:
        metrics.flow_compiled()
        system = compile_flow(ref.system_id, base_url=base_url)
        cache.set(key, system, hot().cache_seconds)
    else:
        metrics.flow_from_cache()
    if capacity:
        local_flows.put(key, system, capacity)
    return system
