"""What the Prometheus metrics cost a call-flow request, in process (no server, no network).

    python bench/metrics_cost.py [--calls 10000] [--rounds 5] [--systems 20] [--multiprocess]

Builds a small embedded-default database (``generate_sqlite.py``'s shape, in a scratch file),
warms every flow, then times ``--calls`` warm webhook requests (entries and key presses, as the
platform posts them) through Django's WSGI handler — middleware included — twice per round:

- **with** the metrics: the project as it is;
- **without**: the webhook view without its timer and counters (``_serve`` replaced by the bare
  ``_answer``), the flow store's counters replaced by no-ops, and ``ApiErrorMiddleware`` without
  its API-response counting (a pass-through, as it was) — the code path before the metrics.

The two take turns in chunks of 500 requests within each round, so a noisy moment on a shared
machine costs both; printed are the medians over rounds and over the paired chunks, and a
micro-benchmark of the hook alone (two ``perf_counter`` calls and ``metrics.record_call``), in
this process and — in a child process — with ``PROMETHEUS_MULTIPROC_DIR`` set, as under
gunicorn. ``--multiprocess`` runs the whole comparison with ``PROMETHEUS_MULTIPROC_DIR`` set, as
gunicorn's workers would (a scratch directory). The scratch files are removed at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 500

HOOK = """
from time import perf_counter
from autoattendant import metrics

def hook():
    started = perf_counter()
    metrics.record_call("rcml", "answered", perf_counter() - started)
"""


def hook_cost(multiproc_dir: str | None = None, number: int = 200_000) -> float:
    """Nanoseconds per call of the webhook's hook, here or in a child with the multiprocess
    directory set (prometheus_client reads it when it is imported)."""
    if multiproc_dir is None:
        namespace: dict = {}
        exec(HOOK, namespace)  # noqa: S102 - our own snippet
        return min(timeit.repeat(namespace["hook"], number=number, repeat=5)) / number * 1e9
    script = (
        "import timeit\n" + HOOK + f"\nprint(min(timeit.repeat(hook, number={number}, repeat=5))"
        f" / {number} * 1e9)"
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": multiproc_dir}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    return float(result.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--systems", type=int, default=20)
    parser.add_argument("--multiprocess", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aa_metrics_cost_") as scratch:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        if args.multiprocess:  # before prometheus_client is imported
            (Path(scratch) / "metrics").mkdir()
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(Path(scratch) / "metrics")
        measure(args, Path(scratch) / "db.sqlite3")


def measure(args: argparse.Namespace, path: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="aa_project.settings",
        DEBUG="false",
        SECRET_KEY="bench-secret-key-not-for-production-0123456789abcdef",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    from bench.generate_data import main_number
    from bench.generate_sqlite import generate

    generate(path, args.systems)  # sets DATABASE_URL and runs django.setup()

    from django.core.handlers.wsgi import WSGIHandler

    from autoattendant.api.views import webhooks
    from autoattendant.middleware import ApiErrorMiddleware
    from autoattendant.runtime import store

    def environ(url: str, params: dict[str, str]) -> dict:
        parts = urlsplit(url)
        body = urlencode(params).encode()
        return {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }

    def call(handler, url: str, params: dict[str, str]) -> bytes:
        statuses = []
        chunks = handler(environ(url, params), lambda status, headers: statuses.append(status))
        body = b"".join(chunks)
        assert statuses == ["200 OK"], (statuses, body[:200])
        return body

    handler = WSGIHandler()

    # The requests: an entry to each main number, then a key press (1: Sales) on its answer.
    import xml.etree.ElementTree as ET

    requests = []
    for i in range(1, args.systems + 1):
        params = {"CallSid": f"CA{i:032x}", "From": "+15550009999", "To": main_number(i)}
        entry = call(handler, "/autoattendant/internal/rcml", params)
        action = ET.fromstring(entry).find(".//Gather").get("action")  # noqa: S314 - ours
        requests.append(("/autoattendant/internal/rcml", params))
        requests.append((action, {**params, "Digits": "1"}))
    plan = [requests[n % len(requests)] for n in range(args.calls)]
    for url, params in requests:  # warm: every flow compiled, every answer remembered
        call(handler, url, params)

    real_serve, real_store_metrics = webhooks._serve, store.metrics
    real_middleware_call = ApiErrorMiddleware.__call__

    class NoCounters:
        @staticmethod
        def flow_from_local():
            pass

        flow_from_cache = flow_compiled = flow_from_local

    def metrics_off():
        webhooks._serve = lambda request, dialect, refusal: webhooks._answer(
            request, dialect, refusal
        )[0]
        store.metrics = NoCounters
        ApiErrorMiddleware.__call__ = lambda self, request: self.get_response(request)

    def metrics_on():
        webhooks._serve, store.metrics = real_serve, real_store_metrics
        ApiErrorMiddleware.__call__ = real_middleware_call

    def run(handler, chunk) -> float:
        started = time.perf_counter()
        for url, params in chunk:
            call(handler, url, params)
        return time.perf_counter() - started

    def timed(arm: str, chunk) -> float:
        (metrics_on if arm == "with" else metrics_off)()
        return run(handler, chunk)

    # Each round runs ``--calls`` requests per arm in chunks of CHUNK, the arms taking turns
    # chunk by chunk (which goes first alternating), so drift on a shared machine costs both.
    arms = ("with", "without")
    chunks = [plan[n : n + CHUNK] for n in range(0, len(plan), CHUNK)]
    rounds: dict[str, list[float]] = {arm: [] for arm in arms}
    paired: list[float] = []
    for _ in range(args.rounds):
        totals = dict.fromkeys(arms, 0.0)
        for n, chunk in enumerate(chunks):
            order = arms if n % 2 == 0 else arms[::-1]
            spent = {arm: timed(arm, chunk) for arm in order}
            for arm in arms:
                totals[arm] += spent[arm]
            paired.append((spent["with"] - spent["without"]) / len(chunk) * 1e6)
        for arm in arms:
            rounds[arm].append(totals[arm] / len(plan) * 1e6)
    metrics_on()

    base = statistics.median(rounds["without"])
    extra = statistics.median(paired)
    mode = ", PROMETHEUS_MULTIPROC_DIR set" if args.multiprocess else ""
    print(f"{args.calls} warm call-flow requests per arm, WSGI handler, {args.rounds} rounds{mode}")
    for arm in arms:
        print(f"  {arm} metrics: {statistics.median(rounds[arm]):.1f} µs a request")
        print(f"    rounds: {fmt(rounds[arm])}")
    print(
        f"  difference, median of {len(paired)} paired chunks of {CHUNK}: "
        f"{extra:+.2f} µs a request ({extra / base:+.1%})"
    )
    print(f"hook alone (2 × perf_counter + record_call): {hook_cost():.0f} ns in this process")
    with tempfile.TemporaryDirectory() as multiproc_dir:
        cost = hook_cost(multiproc_dir)
        print(f"  with PROMETHEUS_MULTIPROC_DIR (as under gunicorn): {cost:.0f} ns")


def fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    main()
