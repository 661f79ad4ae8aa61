"""The process-local copy of compiled flows (``CALLFLOW_LOCAL_FLOWS``), which sits in front of a
shared cache in production: warm calls skip the cache, and every change is still heard by the
very next call — the whole invalidation suite runs again here with the local copy on."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.snapshots import DEFAULT_LOCAL_FLOWS, _local_capacity, local_flows
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


def test_by_default_it_fronts_only_a_shared_cache(settings):
    del settings.CALLFLOW_LOCAL_FLOWS
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert _local_capacity() == 0  # an in-process cache is local already
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert _local_capacity() == DEFAULT_LOCAL_FLOWS
