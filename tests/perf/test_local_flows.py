"""The process-local copy of compiled flows (``CALLFLOW_LOCAL_FLOWS``), in front of whatever
cache is configured: warm calls skip the cache (and its unpickling), and every change is still
heard by the very next call — the whole invalidation suite runs again here with the local copy
on."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.runtime.store import DEFAULT_LOCAL_FLOWS, flows_capacity, local_flows
from tests.callflow_http.conftest import Platform, world  # noqa: F401 - the fixture
from tests.callflow_http.test_invalidation import *  # noqa: F403 - rerun with the local copy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_copy(settings):
    settings.CALLFLOW_LOCAL_FLOWS = 8
    local_flows.clear()
    yield
    local_flows.clear()


def test_a_warm_call_needs_neither_the_cache_nor_a_rebuild(world):  # noqa: F811
    call = Platform()
    doc = call.start()
    cache.clear()  # only this process's copy is left
    with CaptureQueriesContext(connection) as ctx:
        assert call.start().gather is not None
        assert call.press(doc, "4").gather is not None
    # 1 the number → system lookup, 2 the system's version for the key press
    assert len(ctx.captured_queries) == 2


def test_the_local_copy_is_bounded(enterprise_a, settings):
    from tests.callflow_http.test_performance import make_world

    settings.CALLFLOW_LOCAL_FLOWS = 2
    for i in range(3):
        make_world(enterprise_a, f"1555300{i}", keys=1, entries=1, extensions=0)
        Platform(to=f"1555300{i}").start()
    assert len(local_flows) == 2


def test_by_default_it_fronts_every_cache(settings):
    """Django's in-process cache pickles too: without the local copy the embedded default would
    unpickle a whole flow on every call."""
    settings.CALLFLOW_LOCAL_FLOWS = -1
    assert flows_capacity() == DEFAULT_LOCAL_FLOWS
    settings.CALLFLOW_LOCAL_FLOWS = 0
    assert flows_capacity() == 0


def test_on_the_embedded_default_a_warm_call_unpickles_nothing(world, settings, monkeypatch):  # noqa: F811
    settings.CALLFLOW_LOCAL_FLOWS = -1
    Platform().start()
    monkeypatch.setattr(cache, "get", lambda *a, **k: pytest.fail("the cache was read"))
    assert Platform().start().gather is not None
