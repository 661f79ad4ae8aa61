"""``test_celery_worker.py`` starts a real Celery worker that reaches the test database through
PostgreSQL and the broker through Redis: collected only when both are configured."""

from __future__ import annotations

import os

collect_ignore = []
if not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")):
    collect_ignore.append("test_celery_worker.py")
