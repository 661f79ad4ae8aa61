"""How long after a commit another process hears that a route changed.

    python bench/route_latency.py [--database-url postgres://…/aa_bench_perf] [--writes 500]

One connection listens on ``autoattendant_routes`` as a call-flow worker's does; another
commits writes to an AA system row, as an admin's request would (the triggers of migration 0002
notify). For each write it measures the time from the writer's ``COMMIT`` returning to the
notification being readable on the listener's socket — the window in which a call answered by
another process could still use the route remembered before the change. Prints p50, p99 and the
maximum. Run it on the generated deployment (``bench/generate_data.py``), idle or under load.
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import time

import psycopg

CHANNEL = "autoattendant_routes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aa_bench_perf"),
    )
    parser.add_argument("--writes", type=int, default=500)
    args = parser.parse_args()

    with (
        psycopg.connect(args.database_url, autocommit=True) as listener,
        psycopg.connect(args.database_url, autocommit=True) as writer,
    ):
        listener.execute(f"LISTEN {CHANNEL}")
        row = writer.execute(
            "SELECT id FROM autoattendant_autoattendantsystem ORDER BY id LIMIT 1"
        ).fetchone()
        if row is None:
            raise SystemExit("no AA system in that database: run bench/generate_data.py first")
        pgconn = listener.pgconn
        delays = []
        for _ in range(args.writes):
            # A write as the services make it: one transaction, flow_version moved on.
            with writer.transaction():
                writer.execute(
                    "UPDATE autoattendant_autoattendantsystem "
                    "SET flow_version = flow_version + 1 WHERE id = %s",
                    row,
                )
            committed = time.perf_counter()
            while True:
                pgconn.consume_input()
                if pgconn.notifies() is not None:
                    break
                select.select([pgconn.socket], [], [], 1.0)
            delays.append((time.perf_counter() - committed) * 1e6)
            while pgconn.notifies() is not None:
                pass
    delays.sort()
    p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))]
    print(
        f"{len(delays)} commits: notification heard after p50 {statistics.median(delays):.0f} µs, "
        f"p99 {p99:.0f} µs, max {delays[-1]:.0f} µs"
    )


if __name__ == "__main__":
    main()
