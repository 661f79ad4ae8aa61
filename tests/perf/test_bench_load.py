"""``bench/load.py`` measures a call-flow run again when its connections all landed on one
threaded worker (a third of the throughput, whatever the view), and only then."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bench import load


@pytest.fixture
def runs(monkeypatch):
    """``run_wrk`` answering the busy cores of each run in turn."""
    busy: list[float] = []
    made: list[float] = []

    def run_wrk(wrk, args, workdir, name, requests, expect):
        made.append(busy.pop(0))
        return {"name": name, "rps": 1000.0 * made[-1], "cores_busy": made[-1]}

    monkeypatch.setattr(load, "run_wrk", run_wrk)
    monkeypatch.setattr(load.os, "cpu_count", lambda: 2)
    return SimpleNamespace(busy=busy, made=made)


def _args(level: int = 8, workers: int = 3) -> SimpleNamespace:
    return SimpleNamespace(current_level=level, workers=workers)


def test_a_lopsided_run_is_measured_again(runs) -> None:
    runs.busy += [1.13, 1.98]
    result = load.run_call_flow("wrk", _args(), None, "entry", [])
    assert runs.made == [1.13, 1.98]
    assert result["cores_busy"] == 1.98
    assert result["lopsided"] == 1


def test_a_balanced_run_is_kept(runs) -> None:
    runs.busy += [1.9, 1.98]
    result = load.run_call_flow("wrk", _args(), None, "entry", [])
    assert runs.made == [1.9]
    assert result["lopsided"] == 0


def test_a_run_lopsided_every_time_is_kept_after_the_last_try(runs) -> None:
    runs.busy += [1.1] * load.LOPSIDED_TRIES + [1.98]
    result = load.run_call_flow("wrk", _args(), None, "key press", [])
    assert len(runs.made) == load.LOPSIDED_TRIES
    assert result["cores_busy"] == 1.1
    assert result["lopsided"] == load.LOPSIDED_TRIES - 1


def test_fewer_connections_than_workers_cannot_be_lopsided(runs) -> None:
    runs.busy += [1.05, 1.98]  # one connection keeps one worker busy: that is the measurement
    result = load.run_call_flow("wrk", _args(level=1), None, "entry", [])
    assert runs.made == [1.05]
    assert result["lopsided"] == 0
