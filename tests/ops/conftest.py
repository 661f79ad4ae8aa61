"""The call-flow world of ``tests/callflow_http`` (Acme's attendant on ``MAIN_NUMBER``), for the
metrics that calls move."""

from __future__ import annotations

from tests.callflow_http.conftest import world  # noqa: F401 - a fixture, shared
