"""The answers each process remembers (``CALLFLOW_LOCAL_ANSWERS``, on by default): a remembered
answer is the very document the engine writes, a remembered key press needs neither the cache
nor the compiled flow, the memory is bounded, and every change is still heard by the very next
call — the whole invalidation suite runs again here with remembering off, so both paths are
covered (it is on everywhere else)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.runtime.store import (
    DEFAULT_LOCAL_ANSWERS,
    local_answers,
    local_flows,
)
from tests.callflow_http.conftest import Platform, world  # noqa: F401 - the fixture
from tests.callflow_http.test_invalidation import *  # noqa: F403 - rerun with remembering off

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _remembering_off(settings):
    settings.CALLFLOW_LOCAL_ANSWERS = 0


def walk(call: Platform) -> list[str]:
    """An entry, a key press to Sales, a key press back, an unknown key: their documents (each
    URL's expiry and call token masked: they follow the clock and the call)."""
    entry = call.start()
    sales = call.press(entry, "4")
    back = call.press(sales, "8")
    wrong = call.press(back, "7")
    return [_CALL_BINDING.sub("", doc.text) for doc in (entry, sales, back, wrong)]


_CALL_BINDING = re.compile(r"Expires=\d+&amp;CallToken=[0-9a-f]+")


def test_a_remembered_answer_is_the_engines_own_document(world, settings):  # noqa: F811
    computed = walk(Platform())
    assert len(local_answers) == 0  # off: nothing remembered
    settings.CALLFLOW_LOCAL_ANSWERS = 64
    first = walk(Platform())
    # The Main menu's opening (as the engine's answer, and for its schedule window) and three
    # key presses.
    assert len(local_answers) == 5
    again = walk(Platform())
    assert first == again == computed


def test_a_remembered_key_press_needs_neither_the_cache_nor_the_flow(world, settings):  # noqa: F811
    settings.CALLFLOW_LOCAL_ANSWERS = 64
    call = Platform()
    doc = call.start()
    expected = call.press(doc, "4").text
    cache.clear()
    local_flows.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert call.press(doc, "4").text == expected
    # Only the system's current version and status: no rebuild of the flow.
    assert len(ctx.captured_queries) == 1


def test_remembered_answers_are_bounded(world, settings):  # noqa: F811
    settings.CALLFLOW_LOCAL_ANSWERS = 3
    call = Platform()
    doc = call.start()
    for key in "123456789":
        call.press(doc, key)
    assert len(local_answers) == 3


def test_a_new_secret_key_signs_remembered_answers_anew(world, settings):  # noqa: F811
    settings.CALLFLOW_LOCAL_ANSWERS = 64
    call = Platform()
    call.start()
    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789abcdefghijklmnop"
    doc = call.start()
    # Signed with the new key, so the platform's next request is accepted.
    assert call.press(doc, "4").gather is not None


def test_remembering_is_on_by_default():
    from aa_project import settings as defaults

    assert defaults.CALLFLOW_LOCAL_ANSWERS == DEFAULT_LOCAL_ANSWERS > 0
