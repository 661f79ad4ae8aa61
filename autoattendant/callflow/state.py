"""The call state that travels in the engine's URLs, signed so the platform cannot be fooled.

The web tier keeps no per-call memory: everything the engine needs to continue a call is put in
the query string of the ``<Gather action>``, ``<Redirect>`` and ``<Dial action>`` URLs it emits,
with an HMAC-SHA256 signature over a canonical encoding of *only the engine's own parameters*
(those in :data:`STATE_PARAMS`). The platform's parameters (``CallSid``, ``From``, ``To``,
``Digits``, ``SpeechResult``, ``DialCallStatus`` …) travel beside them and are never signed, so
the platform may add whatever it likes; any change to a signed parameter invalidates the request.

The key is passed in (the Django side derives it from ``SECRET_KEY``); nothing here reads
settings. The canonical encoding is ``urlencode`` of every state parameter in a fixed order,
prefixed with a version tag, so it is injective (values are percent-encoded) and stable.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from urllib.parse import quote_plus

__all__ = [
    "CALL_MARK",
    "MAX_PATH",
    "PARAM_CALL_TOKEN",
    "PARAM_EXPIRES",
    "PARAM_SIGNATURE",
    "STATE_PARAMS",
    "BadStateError",
    "CallState",
    "ExpiredStateError",
    "ForgedSignatureError",
    "MissingSignatureError",
    "Mode",
    "StateError",
    "bind_call",
    "call_token",
    "carries_state",
    "check_call",
    "decode",
    "encode",
    "encode_query",
    "query_string",
]

#: The longest RETURN_TO_PREVIOUS_MENU history kept; older entries are dropped so URLs stay short.
MAX_PATH = 10

PARAM_SYSTEM = "AutoAttendantSid"
PARAM_ORGANIZATION = "Organization"
PARAM_MENU = "MenuSid"
PARAM_PREVIOUS = "PreviousMenuSid"
PARAM_MODE = "Mode"
PARAM_PROMPT = "PromptSid"
PARAM_TIMEOUTS = "TimeoutCount"
PARAM_INVALID_INPUTS = "InvalidInputCount"
PARAM_INVALID_EXTENSIONS = "InvalidExtensionCount"
PARAM_STEP = "Step"
PARAM_SIGNATURE = "Signature"

#: The signed parameters, in canonical order. ``Signature`` itself is not part of the message.
STATE_PARAMS: tuple[str, ...] = (
    PARAM_SYSTEM,
    PARAM_ORGANIZATION,
    PARAM_MENU,
    PARAM_PREVIOUS,
    PARAM_MODE,
    PARAM_PROMPT,
    PARAM_TIMEOUTS,
    PARAM_INVALID_INPUTS,
    PARAM_INVALID_EXTENSIONS,
    PARAM_STEP,
)

_VERSION = "aa-callstate-v1"
_STATE_NAMES = frozenset((*STATE_PARAMS, PARAM_SIGNATURE))


class Mode(StrEnum):
    """What the caller is answering when the platform calls back."""

    MENU = "menu"  # the menu's one-key Gather
    EXTENSION = "extension"  # DIAL_BY_EXTENSION digits, ended by '#'
    NAME = "name"  # DIAL_BY_NAME speech
    DIAL = "dial"  # a <Dial> ended; DialCallStatus says how
    RECORD = "record"  # a VOICEMAIL <Record> ended (prompt_sid names the mailbox)


class StateError(Exception):
    """The request's call state cannot be trusted; the HTTP layer answers 403 + ``<Hangup/>``."""


class MissingSignatureError(StateError):
    """Engine parameters arrived without a ``Signature`` (or with some state parameters missing)."""


class ForgedSignatureError(StateError):
    """The ``Signature`` does not match the state parameters (forged or tampered with)."""


class ExpiredStateError(StateError):
    """The state belongs to another call, or its time is up (a replayed or captured URL)."""


class BadStateError(StateError):
    """Correctly signed but unreadable state (only possible after a key leak or a format change)."""


@dataclass(frozen=True, slots=True)
class CallState:
    """Where a call stands between two platform requests.

    ``path`` is the menu history for RETURN_TO_PREVIOUS_MENU, oldest first (at most
    :data:`MAX_PATH`). ``prompt_sid`` is the announcement of the DIAL_BY_* prompt being answered
    (``""`` for the default prompt), so a re-prompt says the same thing; in RECORD mode it is the
    mailbox's sid. The three counters are per
    menu visit / per prompt. ``step`` counts engine requests in this call so that no configuration
    (timeout actions that bounce between menus, REPLAY_MENU as a timeout action) can keep a call
    alive forever.
    """

    system_sid: str
    organization: str
    menu_sid: str
    path: tuple[str, ...] = ()
    mode: Mode = Mode.MENU
    prompt_sid: str = ""
    timeouts: int = 0
    invalid_inputs: int = 0
    invalid_extensions: int = 0
    step: int = 0

    def visit(self, menu_sid: str, path: tuple[str, ...] | None = None) -> CallState:
        """A fresh visit of ``menu_sid``: menu mode, counters reset, path kept or replaced."""
        return replace(
            self,
            menu_sid=menu_sid,
            path=self.path if path is None else path[-MAX_PATH:],
            mode=Mode.MENU,
            prompt_sid="",
            timeouts=0,
            invalid_inputs=0,
            invalid_extensions=0,
        )

    def to_params(self) -> dict[str, str]:
        """The unsigned state parameters, in canonical order."""
        return {
            PARAM_SYSTEM: self.system_sid,
            PARAM_ORGANIZATION: self.organization,
            PARAM_MENU: self.menu_sid,
            PARAM_PREVIOUS: ",".join(self.path),
            PARAM_MODE: str(self.mode),
            PARAM_PROMPT: self.prompt_sid,
            PARAM_TIMEOUTS: str(self.timeouts),
            PARAM_INVALID_INPUTS: str(self.invalid_inputs),
            PARAM_INVALID_EXTENSIONS: str(self.invalid_extensions),
            PARAM_STEP: str(self.step),
        }


def _key_bytes(key: bytes | str) -> bytes:
    raw = key.encode() if isinstance(key, str) else bytes(key)
    if not raw:
        raise ValueError("the call-state signing key must not be empty")
    return raw


#: What ``quote_plus`` leaves as it is; sids, counters and modes are made of nothing else.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")


def _quote(value: str) -> str:
    """``quote_plus(value)``, without its cost for the values that need no quoting."""
    if value.isascii() and (value.isalnum() or not value):
        return value
    return value if _UNQUOTED.fullmatch(value) else quote_plus(value)


def query_string(pairs: Iterable[tuple[str, str]]) -> str:
    """``urllib.parse.urlencode(pairs)`` for string pairs, at a fraction of its cost."""
    return "&".join(f"{_quote(name)}={_quote(value)}" for name, value in pairs)


def _signature(params: Mapping[str, str], key: bytes | str) -> str:
    query = query_string((name, params[name]) for name in STATE_PARAMS)
    message = f"{_VERSION}?{query}"
    return hmac.new(_key_bytes(key), message.encode(), hashlib.sha256).hexdigest()


def encode(state: CallState, key: bytes | str) -> dict[str, str]:
    """The state parameters plus ``Signature``, in a stable order, ready for a query string."""
    params = state.to_params()
    params[PARAM_SIGNATURE] = _signature(params, key)
    return params


def encode_query(state: CallState, key: bytes | str) -> str:
    """``encode`` as a URL query string (without the leading ``?``)."""
    return query_string(encode(state, key).items())


def carries_state(params: Mapping[str, str]) -> bool:
    """True when the request carries any engine parameter, i.e. it is a continuation.

    An entry request (the platform's first fetch: only its own parameters) returns False and must
    never be refused for lacking a signature; anything else must pass :func:`decode`.
    """
    return not _STATE_NAMES.isdisjoint(params.keys())


def _count(params: Mapping[str, str], name: str) -> int:
    value = params[name]
    if not value.isdigit() or not value.isascii():
        raise BadStateError(f"{name} is not a counter")
    return int(value)


def decode(params: Mapping[str, str], key: bytes | str) -> CallState:
    """Verify and read the state from request parameters (query string or form, merged).

    Raises :class:`MissingSignatureError` when the signature or any state parameter is absent,
    :class:`ForgedSignatureError` when the signature does not match (constant-time comparison), and
    :class:`BadStateError` for signed but malformed values. Unknown parameters are ignored.
    """
    signature = params.get(PARAM_SIGNATURE)
    if not signature:
        raise MissingSignatureError("call state is not signed")
    missing = [name for name in STATE_PARAMS if params.get(name) is None]
    if missing:
        raise MissingSignatureError(f"call state parameters missing: {', '.join(missing)}")
    return _verified(
        _key_bytes(key), str(signature), tuple(str(params[name]) for name in STATE_PARAMS)
    )


@functools.lru_cache(maxsize=4096)
def _verified(key: bytes, signature: str, signed: tuple[str, ...]) -> CallState:
    """The state of a verified signature. Remembered: the same state (a menu's first prompt, say)
    comes back on every call that reaches it, and a verified signature stays verified under the
    same key; a forged one raises, and raising is never remembered."""
    values = dict(zip(STATE_PARAMS, signed, strict=True))
    expected = _signature(values, key)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise ForgedSignatureError("call state signature does not match")
    try:
        mode = Mode(values[PARAM_MODE])
    except ValueError:
        raise BadStateError("unknown mode") from None
    if not values[PARAM_SYSTEM] or not values[PARAM_MENU]:
        raise BadStateError("call state names no system or menu")
    path = tuple(sid for sid in values[PARAM_PREVIOUS].split(",") if sid)
    return CallState(
        system_sid=values[PARAM_SYSTEM],
        organization=values[PARAM_ORGANIZATION],
        menu_sid=values[PARAM_MENU],
        path=path[-MAX_PATH:],
        mode=mode,
        prompt_sid=values[PARAM_PROMPT],
        timeouts=_count(values, PARAM_TIMEOUTS),
        invalid_inputs=_count(values, PARAM_INVALID_INPUTS),
        invalid_extensions=_count(values, PARAM_INVALID_EXTENSIONS),
        step=_count(values, PARAM_STEP),
    )


# --- binding a state to its call ------------------------------------------------------------
#
# A signed state says where a call stands; it is the same for every call that reaches that point
# (which is what lets answers be remembered). Each URL the platform gets also carries when it
# expires and a token binding its signature to the platform's ``CallSid``:
# ``…&Signature=S&Expires=E&CallToken=HMAC(S, CallSid, E)``. Documents are built (and
# remembered) with ``Expires=~~S~~`` marks; :func:`bind_call` fills them in for one call.

PARAM_EXPIRES = "Expires"
PARAM_CALL_TOKEN = "CallToken"  # noqa: S105 - a parameter name
#: Brackets the state signature where a call's expiry and token go (``~`` is URL-safe).
CALL_MARK = "~~"
_MARKED = re.compile(r"~~([0-9a-f]{64})~~")


def call_token(key: bytes | str, signature: str, call_sid: str, expires: int) -> str:
    """The token binding a state's ``signature`` to one call until ``expires`` (epoch seconds)."""
    message = f"aa-call-v1|{signature}|{call_sid}|{expires}".encode()
    return hmac.digest(_key_bytes(key), message, "sha256").hex()[:32]


def bind_call(
    document: str, key: bytes | str, call_sid: str, expires: int, *, xml: bool = True
) -> str:
    """``document`` with every ``Expires=~~S~~`` mark made ``Expires=E&CallToken=T`` for this
    call (``&amp;`` inside XML)."""
    pieces = _marked_pieces(document)
    if len(pieces) == 1:
        return document
    joiner = "&amp;" if xml else "&"
    raw_key = _key_bytes(key)
    tokens: dict[str, str] = {}
    out = [pieces[0]]
    for index in range(1, len(pieces), 2):
        signature = pieces[index]
        token = tokens.get(signature)
        if token is None:
            token = tokens[signature] = call_token(raw_key, signature, call_sid, expires)
        out.append(f"{expires}{joiner}{PARAM_CALL_TOKEN}={token}")
        out.append(pieces[index + 1])
    return "".join(out)


@functools.lru_cache(maxsize=8192)
def _marked_pieces(document: str) -> tuple[str, ...]:
    """``document`` split around its marks: text, signature, text, signature, …, text. The same
    remembered documents are bound over and over: each is split once."""
    return tuple(_MARKED.split(document))


def check_call(params: Mapping[str, str], key: bytes | str, now: float) -> None:
    """Refuse a continuation that is not its call's (another ``CallSid``) or has expired.

    Raises :class:`MissingSignatureError` without an expiry and token, :class:`ExpiredStateError`
    for an expiry in the past or a token of another call (or forged)."""
    expires = params.get(PARAM_EXPIRES) or ""
    token = params.get(PARAM_CALL_TOKEN) or ""
    if not expires or not token:
        raise MissingSignatureError("call state is not bound to a call")
    if not (expires.isascii() and expires.isdigit()) or int(expires) <= now:
        raise ExpiredStateError("call state has expired")
    expected = call_token(
        key, str(params.get(PARAM_SIGNATURE, "")), params.get("CallSid", ""), int(expires)
    )
    if not hmac.compare_digest(expected.encode(), token.encode()):
        raise ExpiredStateError("call state belongs to another call")
