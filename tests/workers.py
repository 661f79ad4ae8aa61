"""A real Celery worker for the tests that need one (collected on PostgreSQL + Redis only): another
process, on the test database by name, consuming a queue of its own so that it never takes
another worker's messages or leaves its own behind."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection

#: How long a test waits for its worker.
WAIT_SECONDS = 60


def worker_database_url(netloc: str | None = None) -> str:
    """``DATABASE_URL`` pointed at the test database (and at ``netloc``, when given)."""
    url = urlsplit(os.environ["DATABASE_URL"])
    url = url._replace(path="/" + connection.settings_dict["NAME"])
    return (url._replace(netloc=netloc) if netloc else url).geturl()


@contextlib.contextmanager
def celery_worker(queue: str, log_path: Path, **env: str) -> Iterator[subprocess.Popen]:
    """A worker consuming ``queue`` (its output in ``log_path``), stopped on the way out;
    ``env`` adds to or overrides its environment (by default the test database, no eager
    tasks, no persistent connections)."""
    log = log_path.open("w")
    worker = subprocess.Popen(  # noqa: S603 - the project's own worker, fixed arguments
        [sys.executable, "-m", "celery", "-A", "aa_project", "worker", "--pool=solo", "-c", "1",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-Q", queue,
         "--loglevel=INFO"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": worker_database_url(),
             "CELERY_TASK_ALWAYS_EAGER": "false", "DB_CONN_MAX_AGE": "0", **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()


def wait_for(
    condition: Callable[[], object], worker: subprocess.Popen, log_path: Path, what: str = ""
) -> None:
    """Until ``condition()`` holds; fails with the worker's log if the worker died or
    ``WAIT_SECONDS`` passed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert worker.poll() is None, log_path.read_text()
        assert time.monotonic() < deadline, f"{what}\n{log_path.read_text()}"
        time.sleep(0.25)
