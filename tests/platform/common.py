"""What both platform doubles share: how they reach the webhook, what the caller does, and what
the call sounded like.

A double is driven by a :class:`Caller` script — one item per thing the platform waits for:

- keys as typed, ``"1"``, ``"102#"`` (``#`` is just a key; the Gather's ``finishOnKey`` decides
  what it means), ``""`` for silence until the Gather times out;
- ``"say:Maria Garcia"`` for a speech result;
- ``"dial:busy"`` for how a ``<Dial>`` ended (``DialCallStatus``; a Dial with no script item is
  answered and ends ``completed``);
- ``"record:<url>:<seconds>"`` for what a ``<Record>`` captured: the media server now holds the
  recording at ``<url>`` (``"record:"`` alone: the caller said nothing).

When the script runs out while a Gather waits, the caller hangs up. The :class:`Call` records
every verb as the platform executed it (with the voice and language it really used), every
request it made, and how the call ended.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from django.test import Client

#: What a caller does when a double has asked too often: no call of ours should get there.
MAX_REQUESTS = 150


@dataclass(frozen=True)
class Reply:
    """An HTTP response as a platform sees it."""

    status: int
    content_type: str
    body: bytes


class DjangoTransport:
    """Requests through Django's test client (the whole WSGI stack, no socket)."""

    def __init__(self, client: Client | None = None) -> None:
        self.client = client or Client()

    def request(self, method: str, url: str, body: dict[str, str], headers: dict[str, str]):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
        if parts.scheme == "https":
            extra["secure"] = True
        if parts.hostname:
            extra["HTTP_HOST"] = parts.netloc
        if method == "GET":
            response = self.client.get(path, **extra)
        else:
            response = self.client.post(
                path,
                urlencode(body),
                content_type="application/x-www-form-urlencoded",
                **extra,
            )
        return Reply(
            response.status_code,
            response.get("Content-Type", ""),
            b"".join(response) if response.streaming else response.content,
        )


class LiveTransport:
    """Requests over a real socket (``live_server``), as the platform makes them."""

    def request(self, method: str, url: str, body: dict[str, str], headers: dict[str, str]):
        data = urlencode(body).encode() if method == "POST" else None
        request = Request(url, data=data, method=method, headers=headers)  # noqa: S310
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urlopen(request, timeout=10) as response:  # noqa: S310
                return Reply(
                    response.status, response.headers.get("Content-Type", ""), response.read()
                )
        except OSError as exc:  # HTTPError is an OSError with a status and a body
            status = getattr(exc, "code", 0)
            headers_ = getattr(exc, "headers", None)
            content_type = headers_.get("Content-Type", "") if headers_ else ""
            read = getattr(exc, "read", None)
            return Reply(status, content_type, read() if read else b"")


class Caller:
    """The caller's (and the far end's) script, consumed one item per wait."""

    def __init__(self, script: Iterable[str] = ()) -> None:
        self.pending = deque(script)

    def next_for_gather(self) -> str | None:
        """The next keys or speech, ``None`` when the caller has hung up."""
        if not self.pending:
            return None
        item = self.pending[0]
        assert not item.startswith(("dial:", "record:")), f"a Gather waits, not {item!r}"
        return self.pending.popleft()

    def next_recording(self) -> tuple[str, float] | None:
        """``(url, seconds)`` of what the caller recorded; ``None`` for silence or no script."""
        if not self.pending or not self.pending[0].startswith("record:"):
            return None
        item = self.pending.popleft()[len("record:") :]
        if not item:
            return None
        url, _, seconds = item.rpartition(":")
        return url, float(seconds)

    def next_dial_status(self) -> str:
        if self.pending and self.pending[0].startswith("dial:"):
            return self.pending.popleft()[len("dial:") :]
        return "completed"


@dataclass
class Call:
    """One call as a platform executed it.

    ``events``: ``("say", text, voice, language)``, ``("play", url)``, ``("gather", input,
    numDigits collected with, finishOnKey, language)``, ``("dial", number)``, ``("record",
    maxLength, finishOnKey, playBeep)``, ``("hangup",)``.
    ``ended``: ``hangup`` (the document said so), ``caller`` (the caller hung up while asked),
    ``end-of-document`` (nothing more to do: the platform hangs up), ``failed: <why>`` (the
    platform gave up on the call — a dead line for the caller).
    """

    events: list[tuple] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    ended: str = ""

    @property
    def said(self) -> list[str]:
        return [event[1] for event in self.events if event[0] == "say"]

    @property
    def dialled(self) -> list[str]:
        return [event[1] for event in self.events if event[0] == "dial"]

    @property
    def gathers(self) -> list[tuple]:
        return [event for event in self.events if event[0] == "gather"]

    @property
    def failed(self) -> bool:
        return self.ended.startswith("failed")

    def posted(self, name: str) -> list[str]:
        """Every value of parameter ``name`` the platform sent, in order."""
        return [params[name] for _, _, params in self.requests if name in params]


def collect_keys(keys: str, num_digits: int, finish_on_key: str) -> tuple[str, str]:
    """What a media server collects from ``keys``: digits until ``finish_on_key`` is pressed
    (kept, the interpreter strips it) or ``num_digits`` are in; the rest of the keys are lost.
    Returns ``(collected, lost)``."""
    collected = ""
    for index, key in enumerate(keys):
        collected += key
        if key in finish_on_key or len(collected) >= num_digits:
            return collected, keys[index + 1 :]
    return collected, ""
