"""What recording a call's steps costs the call flow, in process (no server, no network).

    python bench/recording_cost.py [--number 10000] [--repeat 5]

On a scratch embedded-default database (SQLite, the demo enterprise loaded), times
``answer_call`` — the webhooks' single entry — for a warm entry request and a warm key press
(``timeit``, ``--number`` calls, best of ``--repeat``) under each ``CALL_RECORDING`` mode:
``off``; ``batch`` (the embedded default: a list append, written by a background thread every
second); ``sync`` (a transaction per step in the request; timed over a hundredth of the
calls); with ``--redis-url``, ``stream`` (one ``XADD`` per step to a local Redis). Prints
microseconds per call. The
batch thread's own writes are not in the figure (they happen beside the requests).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import timeit
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--number", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--redis-url",
        help="also time ``stream`` (one XADD per step) on this Redis database; its stream is "
        "deleted afterwards",
    )
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="aa-recording-")
    os.environ.update(
        SQLITE_PATH=os.path.join(scratch, "db.sqlite3"),
        DJANGO_SETTINGS_MODULE="aa_project.settings",
        LOG_LEVEL="WARNING",
        MEDIA_ROOT=os.path.join(scratch, "media"),
    )
    for name in ("DATABASE_URL", "REDIS_URL", "CALL_RECORDING"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django.utils import timezone

    from autoattendant.models import CallStep
    from autoattendant.runtime import recording
    from autoattendant.runtime.answering import answer_call
    from autoattendant.services.demo import do_load_demo
    from autoattendant.services.demo_flow import MAIN_NUMBER

    call_command("migrate", verbosity=0)
    do_load_demo()
    base = "http://127.0.0.1:8000"
    now = timezone.now()
    entry = {"To": MAIN_NUMBER, "From": "15550001111", "CallSid": "CAbench"}
    first = answer_call(entry, base_url=base, instant=now)
    action = urlsplit(ET.fromstring(first.document).find(".//Gather").get("action"))  # noqa: S314
    press = {**entry, **dict(parse_qsl(action.query, keep_blank_values=True)), "Digits": "0"}

    print(f"answer_call, best of {args.repeat} x {args.number:,} calls, microseconds per call")
    modes = ["off", "batch", "sync"] + (["stream"] if args.redis_url else [])
    for mode in modes:
        extra = {"REDIS_URL": args.redis_url} if mode == "stream" else {}
        with override_settings(CALL_RECORDING=mode, CALL_RECORDING_FLUSH_SECONDS=1, **extra):
            figures = []
            # A commit per call is slow enough that a hundredth of the calls tells it.
            number = args.number if mode != "sync" else max(10, args.number // 100)
            for params in (entry, press):
                answer_call(params, base_url=base, instant=now)  # warm
                best = min(
                    timeit.repeat(
                        lambda p=params: answer_call(p, base_url=base, instant=now),
                        number=number,
                        repeat=args.repeat,
                    )
                )
                figures.append(best / number * 1e6)
            recording.flush_local()
            if mode == "stream":
                recording.discard()
        print(f"  {mode:<6} entry {figures[0]:7.1f}   key press {figures[1]:7.1f}")
    print(f"(steps written: {CallStep.objects.filter(call__call_sid='CAbench').count()})")


if __name__ == "__main__":
    main()
