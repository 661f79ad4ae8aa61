"""``GET /healthz``: the process answers, whatever the database does."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connections
from django.test import Client


def test_it_answers_ok():
    r = Client().get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}
    assert "no-cache" in r["Cache-Control"]


def test_it_answers_with_the_database_down(monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)
    r = Client().get("/healthz/")
    assert (r.status_code, r.json()) == (200, {"status": "ok"})


def test_it_takes_only_get_and_head():
    assert Client().head("/healthz").status_code == 200
    assert Client().post("/healthz").status_code == 405


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_probes_over_plain_http_are_not_redirected_to_https(settings, path, db):
    """A load balancer or Prometheus reaching gunicorn directly speaks plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get(path).status_code == 200
    assert Client().get("/autoattendant/user/search").status_code == 301
