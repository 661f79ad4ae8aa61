"""Load the call flow and the busiest API lists under gunicorn, side by side with a bare view.

    python bench/generate_data.py            # once: the deployment in PostgreSQL
    python bench/load.py [--levels 1,8,32] [--duration 8] [--rounds 3] [--out results.json]

Starts gunicorn on ``127.0.0.1:--port`` with ``DEBUG=false`` on the generated database
(``--database-url``) and Redis as the cache (``--redis-url``; that Redis database is flushed
first), with ``bench.settings``, whose URLconf routes the bare baseline view
``/autoattendant/internal/baseline`` first of all. ``--embedded PATH`` measures the embedded
default instead, configured exactly as a laptop's (``SQLITE_PATH``, nothing else): the SQLite
database ``bench/generate_sqlite.py`` made, Django's in-process cache, no Redis (and no list
runs: they need the generated operator). Then:

1. **Warm-up**: one entry call to each of the first ``--systems`` main numbers (four at a time),
   which compiles and caches their flows; the cold latency is reported, and each answer's
   ``<Gather action>`` URL is kept for the key-press requests. Then ``--settle`` unmeasured
   seconds of both, so that every worker process holds the flows in its local copy.
2. **Call flow**, at each concurrency level and for each round, three ``wrk`` runs back to back:
   *baseline* (``POST /internal/baseline``: a constant RCML document, no database, through the
   whole middleware chain as any Django view), *lean baseline* (the same view answered the way
   the webhooks are, right after ``SecurityMiddleware``: ``/internal/baseline-lean``),
   *entry* (``POST /internal/rcml`` with ``To`` = a random main number, ``From``, ``CallSid``),
   *key press* (``POST`` to a random kept Gather action URL with ``Digits=1``: GO_TO_MENU).
   Every answer is checked (HTTP 200 and a ``<Gather>``); any other counts as bad. A run whose
   connections all landed on one threaded worker is measured again (:func:`run_call_flow`).
3. **Lists**: ``GET /menu/search`` and ``/phonenumber/search`` as the operator (HTTP Basic with
   the auth token) at ``pageSize`` 10 and 1000, at each ``--list-levels`` concurrency.

Throughput (requests/s) and p50/p99 latency come from ``wrk`` (a C load generator: it takes far
less CPU than the server, which matters when both share the machine). Beside them: the CPU a
request took (the whole machine's busy time over the run, from ``/proc/stat``, divided by the
requests: server, database and ``wrk`` together) and the busy cores. ``wrk`` corrects its latency
figures for coordinated omission: a pause of the server also counts for the requests a steady
client would have sent during it, so p99 shows any stall of a few tens of milliseconds. The
summary is the median over rounds; a ratio compares a run with the baseline run of the same round
and concurrency (the *lean ratio* with the lean baseline's).
``--no-route-notifications`` makes every call read its route (as behind a transaction-mode
pooler). ``--lists-only`` skips steps 1 and 2 and runs step 3 ``--rounds`` times (each figure
printed per round; ``--out`` keeps them all). ``wrk`` is installed with
apt-get when missing and running as root; otherwise install it (``apt-get install wrk``,
``brew install wrk``). Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_data import OPERATOR_EMAIL, OPERATOR_TOKEN, main_number  # noqa: E402

HOST = "127.0.0.1"
ENTRY_PATH = "/autoattendant/internal/rcml"
BASELINE_PATH = "/autoattendant/internal/baseline"
LEAN_BASELINE_PATH = "/autoattendant/internal/baseline-lean"
CALL_PARAMS = {
    "CallSid": "CA0123456789abcdef0123456789abcdef",
    "AccountSid": "AC0123456789abcdef0123456789abcdef",
    "From": "+15550009999",
    "CallStatus": "in-progress",
    "Direction": "inbound",
}

# An entry request's parameters as wrk sends them: the script adds a ``CallSid`` of its own to
# each, so every entry is a new call, as on a real platform, and the call history writes a new
# call and its first step for each. A key press keeps the CallSid of the warm-up call whose
# Gather URL it follows (the URL's signed state names its call), so its steps repeat ones
# already stored: the history reads them and writes nothing.
WRK_CALL_PARAMS = {key: value for key, value in CALL_PARAMS.items() if key != "CallSid"}

# One script for every run: ``requests`` is a Lua table of {method, path, body[, "new call"]};
# each request picks one at random, and one marked as a new call gets a CallSid no other
# request of any run has. ``expect`` is a string every good answer contains.
LUA = r"""
local requests = %(requests)s
local expect = %(expect)s
local threads = {}
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
%(headers)s
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  bad = 0
  sent = 0
  math.randomseed(os.time() * 100 + id)
  run = math.random(0, 2147483646)
end
function request()
  local r = requests[math.random(#requests)]
  local body = r[3]
  if r[4] then
    sent = sent + 1
    body = body .. string.format("&CallSid=CA%%02d%%010d%%020d", id, run, sent)
  end
  return wrk.format(r[1], r[2], nil, body)
end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, expect, 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests_)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "mean_us": %%.1f, '
    .. '"max_us": %%d, "bad": %%d, "errors": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, latency.max, b, e.connect + e.read + e.write + e.timeout))
end
"""


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal here


def lua_requests(items: list[tuple[str, ...]]) -> str:
    rows = ",\n".join("{" + ", ".join(lua_string(part) for part in item) + "}" for item in items)
    return "{\n" + rows + "\n}"


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (apt-get install wrk)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed: apt-get install wrk (Debian/Ubuntu) or brew install wrk")
    return found


# --- the server -----------------------------------------------------------------------------


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # As gunicorn binds: a previous run's connections still in TIME_WAIT do not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def start_server(args) -> subprocess.Popen:
    deadline = time.monotonic() + 15  # a previous run's server may still be letting go of it
    while not port_is_free(args.port):
        if time.monotonic() > deadline:
            sys.exit(f"{HOST}:{args.port} is taken: choose another --port")
        time.sleep(0.5)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DB_PREPARED_STATEMENTS": "false" if args.no_prepared_statements else "true",
        "CALLFLOW_ROUTE_NOTIFICATIONS": "false" if args.no_route_notifications else "true",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "aa_project.wsgi:application",
        "--config",
        str(ROOT / "bench" / "gunicorn.conf.py"),
        "--bind",
        f"{HOST}:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    if args.embedded:  # exactly what a laptop runs: SQLITE_PATH, nothing else configured
        for name in ("DATABASE_URL", "REDIS_URL", "DB_PREPARED_STATEMENTS"):
            env.pop(name)
        env.pop("CALLFLOW_ROUTE_NOTIFICATIONS")
        env["SQLITE_PATH"] = str(Path(args.embedded).resolve())
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = post(args.port, BASELINE_PATH, {})
            if status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit("gunicorn exited; see its output above")
        time.sleep(0.3)
    stop_server(server)
    sys.exit("gunicorn did not answer /internal/baseline within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def post(port: int, path: str, params: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request(
            "POST",
            path,
            urlencode(params),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- the runs -------------------------------------------------------------------------------


def warm_up(args) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], list[float]]:
    """Entry calls to every main number in rotation: (entry requests, key-press requests, the
    cold latencies in ms)."""

    def call(index: int) -> tuple[str, str, float]:
        number = main_number(index)
        started = time.perf_counter()
        status, content = post(args.port, ENTRY_PATH, {**CALL_PARAMS, "To": number})
        elapsed = (time.perf_counter() - started) * 1000
        # Our own server's answer, over the loopback.
        document = ET.fromstring(content) if status == 200 else None  # noqa: S314
        gather = None if document is None else document.find(".//Gather")
        if gather is None:
            sys.exit(f"the entry call to {number} got no menu: {status} {content[:300]!r}")
        action = urlsplit(gather.get("action"))
        return number, f"{action.path}?{action.query}", elapsed

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(call, range(1, args.systems + 1)))
    entries = [
        ("POST", ENTRY_PATH, urlencode({**WRK_CALL_PARAMS, "To": number}), "new call")
        for number, _, _ in answers
    ]
    presses = [
        ("POST", url, urlencode({**CALL_PARAMS, "To": number, "Digits": "1"}))
        for number, url, _ in answers
    ]
    return entries, presses, [ms for _, _, ms in answers]


def run_wrk(wrk: str, args, workdir: Path, name: str, requests, expect: str, headers: str = ""):
    script = workdir / f"{name}.lua"
    script.write_text(
        LUA
        % {
            "requests": lua_requests(requests),
            "expect": lua_string(expect),
            "headers": headers,
        }
    )
    level = args.current_level
    command = [
        wrk,
        f"-t{min(level, args.wrk_threads)}",
        f"-c{level}",
        f"-d{args.current_duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://{HOST}:{args.port}",
    ]
    before = cpu_times()
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = cpu_times()
    result = json.loads(output.strip().splitlines()[-1])
    seconds = result["duration_us"] / 1e6
    result.update(
        name=name,
        concurrency=level,
        rps=result["requests"] / seconds,
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
    )
    cpu = ""
    if before and after:
        busy, total = after[0] - before[0], after[1] - before[1]
        result.update(
            cores_busy=busy / total * (os.cpu_count() or 1),
            cpu_us_per_request=busy / os.sysconf("SC_CLK_TCK") * 1e6 / max(result["requests"], 1),
        )
        cpu = f"  cores {result['cores_busy']:4.2f}  {result['cpu_us_per_request']:5.0f} µs CPU/req"
    print(
        f"  {name:<28} c={level:<3} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.2f} ms"
        f"  p99 {result['p99_ms']:7.2f} ms  bad {result['bad']}  errors {result['errors']}{cpu}",
        flush=True,
    )
    return result


#: Runs of one call-flow measurement at most, while its connections land lopsided (below).
LOPSIDED_TRIES = 3


def run_call_flow(wrk: str, args, workdir: Path, name: str, requests) -> dict:
    """One call-flow run, run again (``LOPSIDED_TRIES`` in all) while it was *lopsided*.

    With threaded workers and keep-alive, each of ``wrk``'s connections stays with the worker
    that accepted it, and one worker's accept loop now and then takes every connection of a run:
    the run then measures one process (less than ``1.5`` of two busy cores, at a third of the
    throughput), whatever the view, and a ratio against it says nothing about the code. Such a
    run is reported and measured again; the figures kept say how many were dropped
    (``lopsided``). Only with more connections than workers and two or more cores."""
    cores = os.cpu_count() or 1
    dropped = 0
    while True:
        result = run_wrk(wrk, args, workdir, name, requests, "<Gather")
        lopsided = (
            cores >= 2
            and args.current_level > args.workers
            and result.get("cores_busy", cores) < 0.75 * cores
        )
        if not lopsided or dropped + 1 >= LOPSIDED_TRIES:
            return {**result, "lopsided": dropped}
        dropped += 1
        print(f"    (lopsided: {result['cores_busy']:.2f} cores busy; measured again)", flush=True)


def cpu_times() -> tuple[int, int] | None:
    """The whole machine's busy and total clock ticks so far (``/proc/stat``; None elsewhere):
    the CPU a run took, wrk and the server together, is the difference over the run."""
    try:
        with open("/proc/stat") as stat:
            ticks = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return sum(ticks[:8]) - idle, sum(ticks[:8])


def run_lists(wrk: str, args, authorization: str, rounds: int | None = None, workdir=None):
    """The operator's menu and number lists at pageSize 10 and 1000, at each ``--list-levels``
    concurrency, ``rounds`` times (default ``--rounds``)."""
    if workdir is None:
        with tempfile.TemporaryDirectory() as tmp:
            return run_lists(wrk, args, authorization, rounds, Path(tmp))
    lists = []
    headers = f'wrk.headers["Authorization"] = "Basic {authorization}"'
    args.current_duration = args.list_duration
    for round_ in range(1, (rounds or args.rounds) + 1):
        print(f"lists (operator), round {round_}:")
        for level in (int(v) for v in args.list_levels.split(",") if v):
            args.current_level = level
            for resource in ("menu", "phonenumber"):
                for size in (10, 1000):
                    path = f"/autoattendant/{resource}/search?pageSize={size}"
                    name = f"{resource} pageSize={size}"
                    result = run_wrk(
                        wrk, args, workdir, name, [("GET", path, "")], '"code":200', headers
                    )
                    lists.append({**result, "round": round_})
    return lists


def operator_credentials(database_url: str) -> str:
    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT account_sid FROM autoattendant_user WHERE email = %s", (OPERATOR_EMAIL,)
        ).fetchone()
    if row is None:
        sys.exit("no operator in that database: run bench/generate_data.py first")
    return base64.b64encode(f"{row[0]}:{OPERATOR_TOKEN}".encode()).decode()


def machine(database_url: str) -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import django

    if database_url.startswith("sqlite"):
        import sqlite3

        server_version = f"SQLite {sqlite3.sqlite_version}"
    else:
        with psycopg.connect(database_url) as connection:
            server_version = connection.execute("SHOW server_version").fetchone()[0]
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": server_version,
    }


def summarise(results: list[dict]) -> dict:
    """Per (name, concurrency): the median over rounds of req/s, p50 and p99, and of the ratio
    to the baseline run just before it in the same round (back to back, so a noisy moment of
    the machine weighs on both sides of a ratio; the median drops an outlying round)."""
    baseline = {
        (r["round"], r["concurrency"]): r["rps"] for r in results if r["name"] == "baseline"
    }
    lean = {
        (r["round"], r["concurrency"]): r["rps"] for r in results if r["name"] == "lean baseline"
    }
    grouped: dict[tuple[str, int], list[dict]] = {}
    for result in results:
        grouped.setdefault((result["name"], result["concurrency"]), []).append(result)
    return {
        f"{name}@{level}": {
            "rps": statistics.median(r["rps"] for r in runs),
            "ratio": statistics.median(
                r["rps"] / baseline[(r["round"], r["concurrency"])] for r in runs
            ),
            "lean_ratio": statistics.median(
                r["rps"] / lean[(r["round"], r["concurrency"])] for r in runs
            )
            if lean
            else None,
            "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p99_ms": statistics.median(r["p99_ms"] for r in runs),
            "bad": sum(r["bad"] + r["errors"] for r in runs),
            "cpu_us_per_request": statistics.median(r["cpu_us_per_request"] for r in runs)
            if all("cpu_us_per_request" in r for r in runs)
            else None,
        }
        for (name, level), runs in grouped.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aa_bench_perf"),
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument(
        "--threads",
        type=int,
        default=2,
        help="per gthread worker (sync workers get 1: gunicorn turns a sync worker given more "
        "threads into a gthread one)",
    )
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument(
        "--no-prepared-statements",
        action="store_true",
        help="run the server without DB_PREPARED_STATEMENTS (Django's default)",
    )
    parser.add_argument(
        "--no-route-notifications",
        action="store_true",
        help="read every call's route from the database (as behind a transaction-mode pooler)",
    )
    parser.add_argument("--levels", default="1,8,32")
    parser.add_argument("--duration", type=int, default=8, help="seconds per call-flow run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--settle", type=int, default=5, help="unmeasured seconds after warm-up")
    parser.add_argument("--list-levels", default="1,8")
    parser.add_argument("--list-duration", type=int, default=5)
    parser.add_argument(
        "--lists-only",
        action="store_true",
        help="no call flow: only the lists, --rounds times",
    )
    parser.add_argument("--systems", type=int, default=1000, help="main numbers in rotation")
    parser.add_argument("--out", help="write every figure here as JSON")
    parser.add_argument(
        "--embedded",
        metavar="SQLITE_PATH",
        help="the embedded default: this SQLite database (bench/generate_sqlite.py), no Redis",
    )
    args = parser.parse_args()

    wrk = ensure_wrk()
    if args.embedded:
        args.database_url = f"sqlite:///{Path(args.embedded).resolve()}"
        args.list_levels = ""
    else:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
    info = machine(args.database_url)
    if args.worker_class == "sync":
        args.threads = 1
    config = f"{args.workers} {args.worker_class} workers x {args.threads} threads" + (
        "" if args.no_prepared_statements else ", prepared statements"
    )
    if args.no_route_notifications:
        config += ", routes read on every call"
    if args.embedded:
        config += ", embedded default (SQLite, in-process cache)"
    print(f"{info['cpus']} CPUs ({info['cpu']}); gunicorn {config}; wrk {args.wrk_threads} threads")
    authorization = "" if args.embedded else operator_credentials(args.database_url)
    server = start_server(args)
    results: list[dict] = []
    lists: list[dict] = []
    try:
        if args.lists_only:
            lists = run_lists(wrk, args, authorization)
            return
        started = time.perf_counter()
        entries, presses, cold = warm_up(args)
        cold.sort()
        print(
            f"warm-up: {len(cold)} first calls (cold cache, 4 at a time) in "
            f"{time.perf_counter() - started:.1f} s; p50 {statistics.median(cold):.2f} ms, "
            f"p99 {cold[int(len(cold) * 0.99) - 1]:.2f} ms"
        )
        body = urlencode({**WRK_CALL_PARAMS, "To": main_number(1)})
        baseline = [("POST", BASELINE_PATH, body, "new call")]
        lean_baseline = [("POST", LEAN_BASELINE_PATH, body, "new call")]
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            # Unmeasured: every worker process fetches the flows into its own local copy.
            args.current_level, args.current_duration = 8, args.settle
            for name, requests in (("settle: entry", entries), ("settle: key press", presses)):
                run_wrk(wrk, args, workdir, name, requests, "<Gather")
            args.current_duration = args.duration
            for round_ in range(1, args.rounds + 1):
                print(f"call flow, round {round_}:")
                for level in (int(v) for v in args.levels.split(",")):
                    args.current_level = level
                    for name, requests in (
                        ("baseline", baseline),
                        ("lean baseline", lean_baseline),
                        ("entry", entries),
                        ("key press", presses),
                    ):
                        result = run_call_flow(wrk, args, workdir, name, requests)
                        results.append({**result, "round": round_})
            lists = run_lists(wrk, args, authorization, rounds=1, workdir=workdir)
    finally:
        stop_server(server)
        if args.lists_only and args.out:
            Path(args.out).write_text(json.dumps({"machine": info, "lists": lists}, indent=2))

    summary = summarise(results)
    print("\nmedian of rounds; ratio = req/s / the same round's baseline req/s, same concurrency")
    for level in (int(v) for v in args.levels.split(",")):
        for name in ("baseline", "lean baseline", "entry", "key press"):
            figures = summary[f"{name}@{level}"]
            print(
                f"  c={level:<3} {name:<13} {figures['rps']:8.1f} req/s  ratio "
                f"{figures['ratio']:5.2f}  lean ratio {figures['lean_ratio']:5.2f}  "
                f"p50 {figures['p50_ms']:7.2f} ms  "
                f"p99 {figures['p99_ms']:7.2f} ms  bad {figures['bad']}"
                + (
                    f"  {figures['cpu_us_per_request']:5.0f} µs CPU/req"
                    if figures["cpu_us_per_request"] is not None
                    else ""
                )
            )
    if args.out:
        Path(args.out).write_text(
            json.dumps(
                {
                    "machine": info,
                    "server": config,
                    "systems_in_rotation": args.systems,
                    "cold_entry_ms": {
                        "p50": statistics.median(cold),
                        "p99": cold[int(len(cold) * 0.99) - 1],
                    },
                    "runs": results,
                    "summary": summary,
                    "lists": lists,
                },
                indent=2,
            )
        )
        print(f"figures written to {args.out}")


if __name__ == "__main__":
    main()
