"""Progress lines for long-running commands, on stderr so stdout stays the command's output."""

from __future__ import annotations

import time


class ProgressPrinter:
    """``progress(stage, done, total)`` callable: at most one line a second per stage, and
    always the last one, so a large import shows it is alive without flooding a log; silent
    for small jobs."""

    def __init__(self, stream, interval: float = 1.0, min_total: int = 1_000):
        self.stream = stream
        self.interval = interval
        self.min_total = min_total
        self.last: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < self.min_total:
            return
        now = time.monotonic()
        if done < total and now - self.last.get(stage, 0.0) < self.interval:
            return
        self.last[stage] = now
        percent = 100 * done // total if total else 100
        self.stream.write(f"{stage} {done}/{total} ({percent}%)")
