"""Two (or more) requests at once, as two gunicorn workers would serve them.

:func:`race` starts every call in a thread of its own — Django gives each thread its own database
connection — holds them at a barrier so they start together, and returns what each answered.
:func:`trials` repeats a race on fresh rows and reports every trial that went wrong at once, so a
failure says "7 of 10", not just the first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from rest_framework.test import APIClient

from tests.conftest import Actor, make_client

TRIALS = 10


@dataclass(frozen=True)
class Reply:
    """What a client got: the HTTP status and the envelope's project code (``"523"``…)."""

    status: int
    code: str
    body: Any

    @property
    def ok(self) -> bool:
        return self.status == 200

    def __str__(self) -> str:
        return f"{self.status}/{self.code}" if self.code else str(self.status)


def client_of(actor: Actor) -> APIClient:
    """A client of its own for one thread; a server error comes back as the 500 response a
    real client would get, not as an exception."""
    client = make_client(actor.user.account_sid, actor.token)
    client.raise_request_exception = False
    return client


def request(actor: Actor, method: str, url: str, body: Any = None, **kwargs) -> Callable[[], Reply]:
    """A request to send later, from whichever thread runs it (JSON unless ``format`` says)."""
    kwargs.setdefault("format", "json")

    def send() -> Reply:
        client = client_of(actor)
        if body is None:
            return reply(getattr(client, method)(url))
        return reply(getattr(client, method)(url, body, **kwargs))

    return send


def reply(response) -> Reply:
    try:
        body = response.json()
    except ValueError:
        body = response.content.decode(errors="replace")
    code = str(body.get("errorCode", "")) if isinstance(body, dict) else ""
    return Reply(response.status_code, code, body)


def race(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run ``calls`` concurrently, one thread (and database connection) each, released together;
    return their results in order. An exception in a call is re-raised here."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[index] = call()
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("a racing request did not finish (a lock never released?)")
    if errors:
        raise errors[0]
    return results


def no_server_error(*replies: Reply) -> list[str]:
    return [f"server error: {r.body}" for r in replies if r.status >= 500]


def trials(run_trial: Callable[[int], list[str]], count: int = TRIALS) -> None:
    """Run ``run_trial(i)`` ``count`` times; each returns what went wrong in it (empty: fine)."""
    failed = []
    for i in range(count):
        problems = run_trial(i)
        if problems:
            failed.append(f"trial {i}: " + "; ".join(problems))
    assert not failed, f"{len(failed)} of {count} trials went wrong:\n" + "\n".join(failed)
