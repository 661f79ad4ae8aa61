"""Races between real transactions: each side of a race runs in its own thread, on its own
database connection, and commits for real. They need PostgreSQL's row locks and concurrent
writers (SQLite serialises every write transaction), so this directory is collected on
PostgreSQL only — never skipped."""

from __future__ import annotations

import os

collect_ignore_glob: list[str] = []
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    collect_ignore_glob.append("test_*.py")
