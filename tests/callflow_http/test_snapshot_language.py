"""The compiled flow carries the AA system's language, so speech recognition listens in it."""

from __future__ import annotations

import pytest

from autoattendant.runtime.compiler import compile_flow
from tests.builders import make_system

pytestmark = pytest.mark.django_db


def test_the_compiled_flow_speaks_the_systems_language(enterprise_a):
    assert compile_flow(make_system(enterprise_a, "Default").pk).language == "en"
    assert compile_flow(make_system(enterprise_a, "Madrid", language="es").sid).language == "es"
