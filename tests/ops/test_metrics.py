"""``GET /metrics``: Prometheus's text format, parsed the way Prometheus parses it; the call
counters, the latency histogram and the flow-cache counters move with calls made through the
webhooks, the API counter with API requests; only allowed addresses or the token may scrape."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from autoattendant.api.views import webhooks
from tests.callflow_http.conftest import ENTRY, Platform

pytestmark = pytest.mark.django_db

TWIML = "/autoattendant/internal/twiml"


def scrape(**extra) -> dict[tuple, float]:
    r = Client().get("/metrics", **extra)
    assert r.status_code == 200, r.content
    assert r["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, *sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(r.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, *sorted(labels.items())), 0.0)


def moved(before: dict, after: dict, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def calls(before: dict, after: dict, dialect: str, outcome: str) -> float:
    return moved(before, after, "autoattendant_calls_total", dialect=dialect, outcome=outcome)


def test_calls_are_counted_by_dialect_and_outcome(world, monkeypatch):
    before = scrape()

    call = Platform()
    entry = call.start()  # answered
    call.press(entry, "4")  # answered: Sales
    Platform(to="15550000001").start()  # apology: nobody has that number
    forged = entry.gather.get("action").replace("Signature=", "Signature=0")
    assert call.fetch(forged).status == 403  # refused: a forged call state
    assert Client().put(ENTRY).status_code == 405  # refused: the method
    assert Platform().fetch(TWIML).status == 200  # answered, in TwiML

    after = scrape()
    assert calls(before, after, "rcml", "answered") == 2
    assert calls(before, after, "rcml", "apology") == 1
    assert calls(before, after, "rcml", "refused") == 2
    assert calls(before, after, "twiml", "answered") == 1
    assert calls(before, after, "twiml", "refused") == 0
    # One observation per request, in the histogram of its dialect.
    assert moved(before, after, "autoattendant_call_flow_seconds_count", dialect="rcml") == 5
    assert moved(before, after, "autoattendant_call_flow_seconds_count", dialect="twiml") == 1
    assert moved(before, after, "autoattendant_call_flow_seconds_sum", dialect="rcml") > 0
    assert (
        moved(before, after, "autoattendant_call_flow_seconds_bucket", dialect="rcml", le="+Inf")
        == 5
    )
    # The first call compiled the flow; later ones found it in this process's copy.
    assert moved(before, after, "autoattendant_flow_cache_total", source="compiled") >= 1
    assert moved(before, after, "autoattendant_flow_cache_total", source="local") >= 1


def test_a_failure_is_counted_as_an_apology_and_logged_with_its_call_sid(
    world, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(webhooks, "answer_call", broken)
    before = scrape()
    with caplog.at_level(logging.ERROR, logger="autoattendant.api.views.webhooks"):
        doc = Platform().start()
    assert doc.hung_up and doc.status == 200
    after = scrape()
    assert calls(before, after, "rcml", "apology") == 1
    (record,) = [r for r in caplog.records if r.name == "autoattendant.api.views.webhooks"]
    assert record.CallSid == "CA0123456789abcdef"


def test_a_shared_cache_hit_is_counted(world):
    from autoattendant.runtime.store import local_answers, local_flows

    Platform().start()  # compiles and caches the flow
    local_flows.clear()  # as another process would: only the shared cache has it
    local_answers.clear()
    before = scrape()
    Platform().start()
    after = scrape()
    assert moved(before, after, "autoattendant_flow_cache_total", source="cache") == 1
    assert moved(before, after, "autoattendant_flow_cache_total", source="compiled") == 0


def test_api_requests_are_counted_by_status_class(bg_admin, anon):
    before = scrape()
    assert bg_admin.client.get("/autoattendant/user/search").status_code == 200
    assert anon.get("/autoattendant/user/search").status_code == 401
    assert anon.get("/autoattendant/no/such/thing").status_code == 404
    Client().get("/healthz")  # not the API
    after = scrape()
    assert moved(before, after, "autoattendant_api_requests_total", status="2xx") == 1
    assert moved(before, after, "autoattendant_api_requests_total", status="4xx") == 2
    assert moved(before, after, "autoattendant_api_requests_total", status="5xx") == 0


def test_webhook_requests_are_not_counted_as_api_requests(world):
    before = scrape()
    Platform().start()
    after = scrape()
    for status in ("2xx", "4xx"):
        assert moved(before, after, "autoattendant_api_requests_total", status=status) == 0


def test_every_series_is_exported_from_zero():
    samples = scrape()
    for dialect in ("rcml", "twiml"):
        for outcome in ("answered", "refused", "apology"):
            assert ("autoattendant_calls_total", ("dialect", dialect), ("outcome", outcome)) in (
                samples
            )
    assert not any(name.endswith("_created") for name, *_ in samples)


# --- access ---------------------------------------------------------------------------------


def test_loopback_may_scrape_by_default():
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_any_other_address_is_refused():
    r = Client().get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert r.status_code == 403
    assert b"autoattendant" not in r.content


def test_allowed_networks_may_scrape(settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "192.0.2.1"]
    assert Client().get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="192.0.2.1").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


def test_the_bearer_token_opens_it_from_anywhere(settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    assert (
        Client().get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token", **outside)
    ).status_code == 200
    for wrong in ("Bearer s3cret", "Basic s3cret-scrape-token", "Bearer", ""):
        r = Client().get("/metrics", HTTP_AUTHORIZATION=wrong, **outside)
        assert r.status_code == 403, wrong


def test_no_token_configured_means_no_token_accepted(settings):
    settings.METRICS_TOKEN = ""
    r = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ", REMOTE_ADDR="203.0.113.7")
    assert r.status_code == 403


def test_openmetrics_is_served_on_request():
    r = Client().get("/metrics", HTTP_ACCEPT="application/openmetrics-text; version=1.0.0")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/openmetrics-text")
    assert r.content.rstrip().endswith(b"# EOF")
