"""Under gunicorn each worker is a process: with ``PROMETHEUS_MULTIPROC_DIR`` a scrape of any one
worker adds up every worker's counts, those of workers that have exited included; the hooks in
gunicorn.conf.py wipe the directory at start and mark exited workers dead."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import sys
import django
django.setup()
from autoattendant import metrics
for _ in range(int(sys.argv[1])):
    metrics.record_call("rcml", "answered", 0.002)
metrics.flow_compiled()
"""

SCRAPE = """
import django
django.setup()
from django.test import Client
response = Client().get("/metrics", REMOTE_ADDR="127.0.0.1")
assert response.status_code == 200, response.status_code
print(response.content.decode())
"""


def run(script: str, *args: str, multiproc_dir: Path) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aa_project.settings",
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc_dir),
    }
    result = subprocess.run(  # noqa: S603 - this interpreter, our scripts
        [sys.executable, "-c", script, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def samples(text: str) -> dict[tuple, float]:
    return {
        (sample.name, *sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_a_scrape_adds_up_every_worker(tmp_path):
    run(WORKER, "2", multiproc_dir=tmp_path)
    run(WORKER, "3", multiproc_dir=tmp_path)
    assert len(list(tmp_path.glob("*.db"))) >= 2  # one set of files per process

    scraped = samples(run(SCRAPE, multiproc_dir=tmp_path))

    calls = ("autoattendant_calls_total", ("dialect", "rcml"), ("outcome", "answered"))
    assert scraped[calls] == 5
    assert scraped[("autoattendant_call_flow_seconds_count", ("dialect", "rcml"))] == 5
    bucket = ("autoattendant_call_flow_seconds_bucket", ("dialect", "rcml"), ("le", "0.0025"))
    assert scraped[bucket] == 5
    assert scraped[("autoattendant_flow_cache_total", ("source", "compiled"))] == 2


def test_gunicorn_hooks_wipe_the_directory_and_mark_dead_workers(tmp_path, monkeypatch):
    from prometheus_client import multiprocess

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    stale = tmp_path / "counter_1234.db"
    stale.write_bytes(b"old run")
    keep = tmp_path / "README"
    keep.write_text("not ours")
    dead = []
    monkeypatch.setattr(multiprocess, "mark_process_dead", dead.append)

    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    config["on_starting"](None)
    config["child_exit"](None, SimpleNamespace(pid=4321))
    assert stale.exists() and dead == []  # off without the directory

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    config["on_starting"](None)
    config["child_exit"](None, SimpleNamespace(pid=4321))
    assert not stale.exists() and keep.exists()
    assert dead == [4321]
