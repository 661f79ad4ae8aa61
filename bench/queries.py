"""Count the SQL queries of call-flow requests and API lists on the generated deployment.

    python bench/queries.py [--database-url postgres://postgres@127.0.0.1:5432/aa_bench_perf]

Runs the requests in-process (Django's test client, ``CaptureQueriesContext``) against the
database ``bench/generate_data.py`` made, with an in-process cache: an entry call and a key press
on a cold cache, the same warm (with the route read, then remembered), then the operator's lists
at pageSize 10 and 1000. Prints one line per request: queries and the time the database took.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_data import OPERATOR_EMAIL, OPERATOR_TOKEN, main_number  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aa_bench_perf"),
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aa_project.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from autoattendant.models import User
    from autoattendant.runtime.routes import local_routes
    from autoattendant.runtime.store import local_answers, local_flows

    client = Client()
    params = {"CallSid": "CA1", "From": "+15550009999", "To": main_number(42)}

    def measure(label: str, send) -> object:
        with CaptureQueriesContext(connection) as ctx:
            response = send()
        assert response.status_code == 200, response.content[:300]
        seconds = sum(float(query["time"]) for query in ctx.captured_queries)
        count = len(ctx.captured_queries)
        print(f"{label:<48} {count:>2} queries  {seconds * 1000:5.0f} ms in SQL")
        return response

    def entry():
        return client.post("/autoattendant/internal/rcml", params)

    def forget() -> None:
        cache.clear()
        for memory in (local_flows, local_answers, local_routes):
            memory.clear()

    forget()
    first = measure("entry, cold cache", entry)
    action = urlsplit(ET.fromstring(first.content).find(".//Gather").get("action"))  # noqa: S314
    path = f"{action.path}?{action.query}"

    def press():
        return client.post(path, {**params, "Digits": "1"})

    settings.CALLFLOW_ROUTE_NOTIFICATIONS = False
    measure("entry, warm cache, route read", entry)
    measure("key press 1 (GO_TO_MENU), warm cache, route read", press)
    settings.CALLFLOW_ROUTE_NOTIFICATIONS = True
    entry(), press()  # the routes are read once more, then remembered
    measure("entry, warm cache, route remembered", entry)
    measure("key press 1 (GO_TO_MENU), warm cache, route remembered", press)
    forget()
    measure("key press 1 (GO_TO_MENU), cold cache", press)

    operator = User.objects.get(email=OPERATOR_EMAIL)
    secret = base64.b64encode(f"{operator.account_sid}:{OPERATOR_TOKEN}".encode()).decode()
    api = Client(HTTP_AUTHORIZATION=f"Basic {secret}")
    for resource in ("menu", "phonenumber", "system", "announcement", "user"):
        for size in (10, 1000):
            url = f"/autoattendant/{resource}/search?pageSize={size}"
            measure(f"operator GET {resource}/search pageSize={size}", lambda url=url: api.get(url))
    connection.close()


if __name__ == "__main__":
    main()
