"""Call recording: every webhook request's step handed to a buffer, and the buffer written to the
call history (:class:`~autoattendant.models.Call`, :class:`~autoattendant.models.CallStep`).

The request path pays for one append, never for a database write (``CALL_RECORDING``):

- ``stream`` (the default with ``REDIS_URL``): steps go to a Redis stream. The request appends
  the step to a process-local list; a background thread sends what has gathered every
  ``CALL_RECORDING_FLUSH_SECONDS`` as one pipelined batch of ``XADD``s, so no call waits for a
  Redis round trip (a crash of the process may lose its last second's steps; with the setting at
  0 each step is sent by its own request instead). The ``drain_call_steps`` task (Celery beat,
  every two seconds) reads the stream in batches, writes each batch in one transaction and only
  then deletes those entries: while the database is down nothing is deleted, and every step is
  written once it is back. While Redis itself cannot be
  reached, steps go to the process's buffer (as ``batch``) and are written directly.
- ``batch`` (the embedded default): an in-process list that the process's writer thread writes
  every ``CALL_RECORDING_FLUSH_SECONDS`` (a crash may lose the last second's steps; a normal
  exit, such as a gunicorn worker recycled after ``max_requests``, writes them first:
  :func:`stop`). Reads of the history (:func:`flush_local`) write what this process holds
  first.
- ``sync``: written in the request (a commit per step: measured in ``docs/performance.md``).
- ``off``: nothing is recorded.

Writes are idempotent: a call is its enterprise and the platform's ``CallSid``, a step its number
in the call (the engine's step counter), so a step delivered twice (a platform retry, a batch
written again after a failure) is stored once; a call's summary is recomputed from its stored
steps and the new ones, and the roll-ups change by the difference (one writer at a time,
:func:`~.call_buckets.lock_history`).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, connections, transaction

from ..callflow.engine import CallResult, Outcome
from ..models import Call, CallStep, Enterprise
from ..sids import new_call_sids
from .call_buckets import RollUpChanges, bucket_of, lock_history

__all__ = [
    "Step",
    "discard",
    "drain_stream",
    "flush_local",
    "mode",
    "pending",
    "record",
    "send_to_stream",
    "settle",
    "stop",
    "store_steps",
    "stream_key",
]

logger = logging.getLogger(__name__)

#: One step as the buffer holds it: call sid, enterprise sid, system sid, dialect, to, from,
#: step number, epoch seconds, menu sid, input, key, action, detail, outcome, transferred to,
#: the menu the caller is in afterwards.
Step = tuple

#: The most steps a process keeps while the database refuses them (batch mode): past it the
#: oldest are dropped rather than the process growing without bound.
MAX_LOCAL_STEPS = 100_000
#: Stream entries read and written per transaction.
DRAIN_BATCH = 2000
_INPUT_MAX = 200


class _Config:
    """The recording settings, read once per settings change (like :mod:`.config`)."""

    __slots__ = ("delay", "key", "mode")

    def __init__(self) -> None:
        self.mode = settings.CALL_RECORDING
        self.delay = float(settings.CALL_RECORDING_FLUSH_SECONDS)
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "") or "aa"
        self.key = f"{prefix}:call-steps"


_config: _Config | None = None


def _settings() -> _Config:
    global _config
    if _config is None:
        _config = _Config()
    return _config


def _forget_settings(**kwargs) -> None:
    global _config, _client, _stream_down_until
    _config = None
    _client = None
    _stream_down_until = 0.0


setting_changed.connect(_forget_settings, dispatch_uid="autoattendant.runtime.recording")


def mode() -> str:
    """``stream``, ``batch``, ``sync`` or ``off`` (``CALL_RECORDING``)."""
    return _settings().mode


def stream_key() -> str:
    return _settings().key


# --- the request path ------------------------------------------------------------------------


def record(
    params,
    *,
    dialect: str,
    enterprise_sid: str,
    system_sid: str,
    seq: int,
    instant: datetime,
    menu_sid: str | None,
    input: str,
    key: str,
    result: CallResult,
) -> None:
    """Hand one step to the buffer. Never raises: a call is never hurt by its recording."""
    config = _settings()
    if config.mode == "off":
        return
    call_sid = params.get("CallSid", "")
    if not call_sid:
        return
    step = (
        call_sid[:64],
        enterprise_sid,
        system_sid,
        dialect,
        params.get("To", "")[:64],
        params.get("From", "")[:64],
        seq,
        instant.timestamp(),
        menu_sid or "",
        input[:_INPUT_MAX],
        key,
        result.action,
        "; ".join(result.notes),
        result.outcome,
        result.transferred_to,
        result.menu_sid or "",
    )
    try:
        if config.mode == "stream":
            if config.delay > 0:
                _outgoing.add(step, config.delay)
                return
            if _to_stream(config.key, [step]):
                return
        if config.mode == "sync":
            store_steps([step])
        else:  # batch, or the stream unreachable
            _local.add(step, config.delay)
    except Exception:
        logger.exception(
            "Call step not recorded (CallSid=%s)", call_sid, extra={"CallSid": call_sid}
        )


#: Until when (``time.monotonic()``) the stream is taken as unreachable after a failed ``XADD``.
_stream_down_until = 0.0
#: How long steps go to the process's own buffer after the stream failed, before trying again.
STREAM_RETRY_SECONDS = 5.0


def _to_stream(key: str, steps: list[Step]) -> bool:
    """``XADD`` the steps (one pipelined round trip); False (and the stream left alone for a few
    seconds, so calls do not each wait for a dead Redis) when Redis cannot be reached — the
    steps then go to the process's buffer, written to the database directly."""
    global _stream_down_until
    if time.monotonic() < _stream_down_until:
        return False
    try:
        pipeline = _redis().pipeline(transaction=False)
        for step in steps:
            pipeline.xadd(key, {"s": json.dumps(step, separators=(",", ":"))})
        pipeline.execute()
    except Exception as exc:
        _stream_down_until = time.monotonic() + STREAM_RETRY_SECONDS
        logger.warning("Call steps go to the process's buffer for now: Redis stream: %s", exc)
        return False
    return True


# --- the in-process buffer (batch) -----------------------------------------------------------


class _LocalBuffer:
    """Steps gathered in this process, written (or sent) by one long-lived thread of its own.

    The first step after the buffer was emptied wakes the thread, which gathers for ``delay``
    seconds and then hands everything gathered to :meth:`flush`. The thread lives as long as the
    process and keeps its database connection between batches (closed only when unusable or
    older than ``CONN_MAX_AGE``, as a request's is): opening one costs more than writing a few
    hundred steps (``docs/performance.md``). :meth:`stop` writes what is left and ends it."""

    THREAD_NAME = "call-history-writer"

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.lock = threading.Lock()
        self.due = False  # the thread has been woken for the steps gathered
        self.thread: threading.Thread | None = None
        self.wake = threading.Event()
        self.stopping = threading.Event()

    def add(self, step: Step, delay: float) -> None:
        with self.lock:
            self.steps.append(step)
            if not self.due and delay > 0:
                self._wake()

    def _wake(self) -> None:
        """Under the lock: have the thread write what is gathered ``delay`` seconds from now."""
        self.due = True
        if self.thread is None or not self.thread.is_alive():
            self.wake, self.stopping = threading.Event(), threading.Event()
            self.thread = threading.Thread(
                target=self._run,
                args=(self.wake, self.stopping),
                name=self.THREAD_NAME,
                daemon=True,
            )
            self.thread.start()
        self.wake.set()

    def take(self) -> list[Step]:
        with self.lock:
            steps, self.steps = self.steps, []
            self.due = False
            return steps

    def give_back(self, steps: list[Step]) -> None:
        """Steps that could not be written: kept (the oldest dropped past ``MAX_LOCAL_STEPS``)
        and tried again after the flush interval."""
        with self.lock:
            self.steps[:0] = steps
            if len(self.steps) > MAX_LOCAL_STEPS:
                dropped = len(self.steps) - MAX_LOCAL_STEPS
                del self.steps[:dropped]
                logger.error("Call history: %d unwritten steps dropped", dropped)
            delay = _settings().delay
            if not self.due and delay > 0 and not self.stopping.is_set():
                self._wake()

    def _run(self, wake: threading.Event, stopping: threading.Event) -> None:
        while not stopping.is_set():
            wake.wait()
            wake.clear()
            if not stopping.is_set():
                # Gathering, cut short by stop(), or by steps added after a reader of the
                # history wrote the buffer (flush_local) meanwhile.
                wake.wait(_settings().delay)
            try:
                self.flush()
            except Exception:
                logger.exception("Call history: background write failed")
            finally:
                for conn in connections.all(initialized_only=True):
                    if stopping.is_set():
                        conn.close()
                    else:
                        conn.close_if_unusable_or_obsolete()

    def flush(self) -> None:
        flush_local()

    def stop(self, timeout: float = 30.0) -> None:
        """Have the thread write what it holds now, close its connections and end."""
        with self.lock:
            thread, self.thread = self.thread, None
            self.stopping.set()
            self.wake.set()
        if thread is not None:
            thread.join(timeout)

    def _after_fork(self) -> None:
        """In a forked child: the parent's thread, lock and steps are not this process's."""
        self.__init__()


_local = _LocalBuffer()


class _Outgoing(_LocalBuffer):
    """Steps on their way to the Redis stream (``stream`` mode), sent in one pipeline by a
    background thread; whatever the stream refuses goes to :data:`_local`."""

    THREAD_NAME = "call-history-sender"

    def flush(self) -> None:
        send_to_stream()


_outgoing = _Outgoing()


def stop() -> None:
    """Hand on everything this process holds and end its background threads: at the process's
    normal exit (a gunicorn worker recycled or stopped gracefully), so no gathered step is left
    behind; and by tests."""
    _outgoing.stop()  # its refusals go to the process's buffer
    _local.stop()
    send_to_stream()  # whatever arrived meanwhile, or was gathered with no thread (delay 0)
    flush_local()


def _reset_after_fork() -> None:
    _local._after_fork()
    _outgoing._after_fork()


os.register_at_fork(after_in_child=_reset_after_fork)
atexit.register(stop)


def send_to_stream() -> int:
    """Send the steps gathered for the stream; on a refusal they go to the process's buffer
    (written to the database directly). Returns how many reached the stream."""
    steps = _outgoing.take()
    if not steps:
        return 0
    if _to_stream(_settings().key, steps):
        return len(steps)
    for step in steps:
        _local.add(step, _settings().delay)
    return 0


def flush_local() -> int:
    """Write the steps this process holds (batch mode); on a database error they are kept for
    the next flush. Returns how many were written."""
    steps = _local.take()
    if not steps:
        return 0
    try:
        store_steps(steps)
    except Exception:
        _local.give_back(steps)
        logger.exception(
            "Call history: %d steps not written yet; kept for the next try", len(steps)
        )
        return 0
    return len(steps)


def pending() -> int:
    """Steps recorded and not written yet: this process's, and the stream's."""
    waiting = len(_local.steps) + len(_outgoing.steps)
    if mode() == "stream":
        waiting += _redis().xlen(stream_key())
    return waiting


def discard(*, stream: bool = True) -> None:
    """Forget every step not written yet: this process's and (``stream``) the stream's (tests
    start from nothing)."""
    _local.take()
    _outgoing.take()
    if stream and mode() == "stream":
        _redis().delete(stream_key())


# --- the Redis stream ------------------------------------------------------------------------

_client = None


def _redis():
    global _client
    if _client is None:
        import redis

        # Short timeouts: a call waits for this at most once every STREAM_RETRY_SECONDS.
        _client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
        )
    return _client


def drain_stream(batch: int = DRAIN_BATCH, max_batches: int = 100) -> int:
    """Write the stream's steps to the database, oldest first, ``batch`` at a time; each batch's
    entries are deleted only after its transaction commits. One drainer at a time (a lock in
    Redis); a database error stops the drain and leaves the rest in the stream (the error is
    raised). Returns how many steps were written."""
    if mode() != "stream":
        return 0
    client = _redis()
    key = stream_key()
    lock, token = f"{key}:lock", uuid.uuid4().hex
    if not client.set(lock, token, nx=True, ex=120):
        return 0
    written = 0
    try:
        for _ in range(max_batches):
            entries = client.xrange(key, "-", "+", count=batch)
            if not entries:
                break
            store_steps(json.loads(fields[b"s"]) for _, fields in entries)
            client.xdel(key, *(entry_id for entry_id, _ in entries))
            written += len(entries)
    finally:
        if client.get(lock) == token.encode():
            client.delete(lock)
    return written


def settle() -> int:
    """Everything recorded so far written to the database (this process's buffer, and the
    stream), for readers that need it now: tests, ``forget_caller``."""
    send_to_stream()
    return flush_local() + drain_stream()


# --- writing ---------------------------------------------------------------------------------


def _instant(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _time_adapter():
    """The database's value for an aware datetime: on SQLite, Django's own text form of the
    UTC time, made directly for the UTC datetimes the writer handles (Django's adapter costs a
    quarter of writing a batch); elsewhere Django's adapter."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or connection.timezone != UTC:
        return adapt

    def sqlite_utc(value: datetime) -> str:
        if value.tzinfo is UTC:
            return str(value)[:-6]  # without its "+00:00": str() of the naive time
        return adapt(value)

    return sqlite_utc


def store_steps(steps: Iterable[Sequence]) -> int:
    """Write ``steps``, bring the summaries of the calls they belong to up to date and add what
    changed to the quarter-hour roll-ups, in one transaction (one writer of the history at a
    time): a constant number of queries per batch, and work in proportion to the batch, never
    to the history already stored. Steps of an enterprise that no longer exists are dropped.
    Idempotent: a step already stored changes nothing. Returns how many steps were handed in
    (of existing enterprises)."""
    steps = [tuple(step) for step in steps if step and step[0]]
    if not steps:
        return 0
    with transaction.atomic():
        lock_history()
        enterprises = dict(
            Enterprise.objects.filter(sid__in={s[1] for s in steps}).values_list("sid", "id")
        )
        batch: dict[tuple[int, str], dict[int, Step]] = {}  # (enterprise id, CallSid) -> steps
        kept = 0
        for s in steps:
            enterprise_id = enterprises.get(s[1])
            if enterprise_id is not None:
                batch.setdefault((enterprise_id, s[0]), {}).setdefault(s[6], s)
                kept += 1
        if not batch:
            return 0
        # A platform's retry, or a batch written again, repeats stored steps: they are told
        # apart by step numbers alone, and only calls that gain a step are read in full.
        ids = _call_ids(batch)
        have = _stored_seqs(list(ids.values()))
        gaining = {}  # (enterprise id, CallSid) -> the steps it gains, by step number
        for key, by_seq in batch.items():
            known = have.get(ids.get(key), ())
            fresh = [by_seq[seq] for seq in sorted(by_seq) if seq not in known]
            if fresh:
                gaining[key] = fresh
        calls = _stored_calls([ids[key] for key in gaining if key in ids])
        # The usual next step of a call extends its summary; a late earlier step has it
        # summarised again from all its steps.
        extended = {c.pk for k, c in calls.items() if _extends(c, gaining[k], have.get(c.pk, ()))}
        stored = _stored_steps([c for c in calls.values() if c.pk not in extended])
        roll_ups = RollUpChanges()
        created: list[_CallRow] = []
        changed: list[_CallRow] = []
        added: list[tuple[_CallRow, list[Step], list[tuple]]] = []  # call, steps, summary rows
        for key, fresh in gaining.items():
            call = calls.get(key)
            earlier = stored.get(call.pk, []) if call is not None else []
            rows = [_summary_row(s) for s in fresh]
            if call is None:
                call = _CallRow(None, key[0], key[1], fresh[0][2], rows[0][1], rows[0][1], 0,
                                "", "", [])  # fmt: skip
                created.append(call)
            else:
                changed.append(call)
            before = call.counted()
            if call.pk in extended:
                _summarise(call, rows, more=True)
            else:
                _summarise(call, sorted(earlier + rows) if earlier else rows)
            roll_ups.call_changed(
                call.enterprise_id, call.system_sid, before, call.counted(), earlier, rows
            )
            added.append((call, fresh, rows))
        _create_calls(created, batch)
        _update_calls(changed)
        _insert_steps(added)
        roll_ups.apply()
    return kept


def _summary_row(s: Step) -> tuple:
    """A step as :func:`_summarise` reads it: step number, time, menu, next menu, key,
    outcome, transferred to."""
    return (s[6], _instant(s[7]), s[8], s[15] if len(s) > 15 else "", s[10], s[13], s[14])


#: The columns :func:`_insert_steps` writes, in its rows' order.
_STEP_COLUMNS = (
    "call_id",
    "seq",
    "time",
    "menu_sid",
    "next_menu_sid",
    "input",
    "key",
    "action",
    "detail",
    "outcome",
    "transferred_to",
)


def _insert_steps(added: Iterable[tuple[_CallRow, list[Step], list[tuple]]]) -> None:
    """Insert the steps of each (call, steps, their summary rows): one ``executemany`` of plain
    tuples (``_STEP_COLUMNS``) — model instances and the ORM's per-value preparation cost more
    than the request that recorded the step."""
    adapt = _time_adapter()
    _insert(
        CallStep,
        _STEP_COLUMNS,
        [
            (call.pk, s[6], adapt(row[1]), s[8], row[3], s[9], s[10], s[11], s[12], s[13], s[14])
            for call, fresh, rows in added
            for s, row in zip(fresh, rows, strict=True)
        ],
    )


def _insert(model, columns: Sequence[str], rows: list[tuple]) -> None:
    """``rows`` inserted into ``model``'s table (one ``executemany``), a row whose unique key is
    already there left out."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - our own names
        f"({', '.join(quote(column) for column in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class _CallRow:
    """A call's summary, as stored or about to be: updated in place by :func:`_summarise`."""

    __slots__ = (
        "call_sid",
        "duration_seconds",
        "end_time",
        "enterprise_id",
        "menu_path",
        "outcome",
        "pk",
        "start_time",
        "system_sid",
        "transferred_to",
    )

    #: The columns read into a row, in :attr:`__init__`'s order.
    COLUMNS = (
        "id",
        "enterprise_id",
        "call_sid",
        "system_sid",
        "start_time",
        "end_time",
        "duration_seconds",
        "outcome",
        "transferred_to",
        "menu_path",
    )

    def __init__(self, pk, enterprise_id, call_sid, system_sid, start, end, duration, outcome,
                 transferred_to, menu_path) -> None:  # fmt: skip
        self.pk = pk
        self.enterprise_id = enterprise_id
        self.call_sid = call_sid
        self.system_sid = system_sid
        self.start_time = start
        self.end_time = end
        self.duration_seconds = duration
        self.outcome = outcome
        self.transferred_to = transferred_to
        self.menu_path = menu_path

    def counted(self) -> tuple | None:
        """What the call adds to the roll-ups — its quarter hour, outcome and seconds — or None
        for a call not stored yet."""
        if not self.outcome:
            return None
        return bucket_of(self.start_time), self.outcome, self.duration_seconds


def _rows_of(model, columns: Sequence[str], key: str, ids: list[int]) -> Iterator[tuple]:
    """``columns`` of ``model``'s rows whose ``key`` is one of ``ids``, in plain SQL (a
    statement per ``_MAX_PARAMETERS`` ids): the ORM's building of the query and its converters
    cost more than the query itself. Times come as the database adapter gives them
    (:func:`_utc`)."""
    quote = connection.ops.quote_name
    select = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        for first in range(0, len(ids), _MAX_PARAMETERS):
            chunk = ids[first : first + _MAX_PARAMETERS]
            cursor.execute(
                f"SELECT {select} FROM {quote(model._meta.db_table)} "  # noqa: S608 - our names
                f"WHERE {quote(key)} IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            yield from cursor.fetchall()


def _utc(value: datetime) -> datetime:
    """A stored time as an aware UTC datetime: SQLite's adapter gives the naive UTC time."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _stored_calls(ids: list[int]) -> dict[tuple[int, str], _CallRow]:
    """The stored calls of ``ids``, by (enterprise id, CallSid)."""
    calls = {}
    for pk, enterprise_id, call_sid, system_sid, start, end, *rest, path in _rows_of(
        Call, _CallRow.COLUMNS, "id", ids
    ):  # a menu path comes as its JSON text, from either database (as Django has it read)
        calls[enterprise_id, call_sid] = _CallRow(
            pk, enterprise_id, call_sid, system_sid, _utc(start), _utc(end), *rest, json.loads(path)
        )
    return calls


def _extends(call: _CallRow, fresh: list[Step], known: set[int]) -> bool:
    """True when ``fresh`` (by step number) all come after the call's stored steps ``known``
    and none before its start: its summary is extended (and it stays in its quarter hour)."""
    return (
        bool(known)
        and fresh[0][6] > max(known)
        and min(s[7] for s in fresh) >= call.start_time.timestamp()
    )


def _stored_seqs(ids: list[int]) -> dict[int, set[int]]:
    """The step numbers stored of the calls ``ids`` (read from the (call, seq) index alone)."""
    seqs: dict[int, set[int]] = {}
    for call_id, seq in _rows_of(CallStep, ("call_id", "seq"), "call_id", ids):
        seqs.setdefault(call_id, set()).add(seq)
    return seqs


#: The most parameters one lookup statement binds (SQLite allowed 999 before 3.32).
_MAX_PARAMETERS = 900


def _call_ids(keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The ids of the calls of ``keys`` ((enterprise id, CallSid)) that are stored: each
    enterprise's CallSids looked up in the (enterprise, CallSid) index, in plain SQL (a
    CallSid list across every enterprise of a batch would have the database scan those
    enterprises' whole history; the ORM takes longer to build the query than to run it), a
    statement per ``_MAX_PARAMETERS``."""
    by_enterprise: dict[int, list[str]] = {}
    for enterprise_id, call_sid in keys:
        by_enterprise.setdefault(enterprise_id, []).append(call_sid)
    found: dict[tuple[int, str], int] = {}
    terms: list[str] = []
    params: list = []
    table = connection.ops.quote_name(Call._meta.db_table)
    with connection.cursor() as cursor:

        def run() -> None:
            cursor.execute(
                f"SELECT id, enterprise_id, call_sid FROM {table} WHERE {' OR '.join(terms)}",  # noqa: S608
                params,
            )
            for pk, enterprise_id, call_sid in cursor.fetchall():
                found[enterprise_id, call_sid] = pk
            terms.clear()
            params.clear()

        for enterprise_id, call_sids in by_enterprise.items():
            for first in range(0, len(call_sids), _MAX_PARAMETERS - 1):
                chunk = call_sids[first : first + _MAX_PARAMETERS - 1]
                if len(params) + 1 + len(chunk) > _MAX_PARAMETERS:
                    run()
                terms.append(
                    f"(enterprise_id = %s AND call_sid IN ({', '.join(['%s'] * len(chunk))}))"
                )
                params += [enterprise_id, *chunk]
        if terms:
            run()
    return found


def _reserved_ids(model, count: int) -> list[int]:
    """``count`` primary keys for new rows of ``model``, taken before inserting them (so no
    lookup afterwards): from the id sequence on PostgreSQL; on SQLite after the largest id ever
    given (the write transaction, ``BEGIN IMMEDIATE``, is this process's alone, and
    ``AUTOINCREMENT`` tables never give an id twice)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 0),"  # noqa: S608
            " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


#: The columns of a call :func:`_create_calls` inserts.
_NEW_CALL_COLUMNS = (
    "id",
    "sid",
    "call_sid",
    "enterprise_id",
    "system_sid",
    "dialect",
    "to_number",
    "from_number",
    "start_time",
    "end_time",
    "duration_seconds",
    "outcome",
    "transferred_to",
    "menu_path",
)


def _create_calls(calls: list[_CallRow], batch: dict[tuple[int, str], dict]) -> None:
    """Give ``calls`` (summarised already) their primary keys and insert them."""
    if not calls:
        return
    ids = _reserved_ids(Call, len(calls))
    adapt, json_value = _time_adapter(), _json_adapter()
    rows = []
    for pk, sid, call in zip(ids, new_call_sids(len(calls)), calls, strict=True):
        first = next(iter(batch[call.enterprise_id, call.call_sid].values()))
        call.pk = pk
        rows.append(
            (pk, sid, call.call_sid, call.enterprise_id, call.system_sid, first[3], first[4],
             first[5], adapt(call.start_time), adapt(call.end_time), call.duration_seconds,
             call.outcome, call.transferred_to, json_value(call.menu_path))
        )  # fmt: skip
    _insert(Call, _NEW_CALL_COLUMNS, rows)


def _json_adapter():
    """The database's value for a menu path: on SQLite its JSON text, made directly (sids are
    letters and digits: nothing to escape, and the encoder's layers cost more than the list);
    elsewhere Django's adapter."""
    if connection.vendor != "sqlite":
        return lambda value: connection.ops.adapt_json_value(value, None)

    def sqlite_json(sids: list[str]) -> str:
        if all(sid.isascii() and sid.isalnum() for sid in sids):
            return "[" + ", ".join(f'"{sid}"' for sid in sids) + "]"
        return json.dumps(sids)

    return sqlite_json


def _stored_steps(calls: list[_CallRow]) -> dict[int, list[tuple]]:
    """The steps already stored of ``calls``, by call id, in :func:`_summary_row`'s shape."""
    stored: dict[int, list[tuple]] = {}
    columns = ("call_id", "seq", "time", "menu_sid", "next_menu_sid", "key", "outcome",
               "transferred_to")  # fmt: skip
    for call_id, seq, time_, *rest in _rows_of(
        CallStep, columns, "call_id", [call.pk for call in calls]
    ):
        stored.setdefault(call_id, []).append((seq, _utc(time_), *rest))
    return stored


def _summarise(call: _CallRow, steps: list[tuple], *, more: bool = False) -> None:
    """The call's times, duration, outcome, transfer and menu path from all its steps
    (:func:`_summary_row`'s shape, by step number). With ``more``, ``steps`` are only the new
    ones, all after the stored ones and none before the call's start (:func:`_extends`): its
    stored summary stands for the others, with the same result."""
    last = steps[-1]
    closed = call.outcome == Outcome.CALLER_HUNG_UP and call.end_time == last[1]
    times = [row[1] for row in steps]
    if more:
        times.append(call.end_time)
    else:
        call.start_time = min(times)
    call.end_time = max(times)
    call.duration_seconds = max(0, round((call.end_time - call.start_time).total_seconds()))
    if not (closed and last[5] == Outcome.IN_PROGRESS):
        call.outcome = last[5]
    transferred = call.transferred_to if more else ""
    call.transferred_to = next((row[6] for row in reversed(steps) if row[6]), transferred)
    path: list[str] = list(call.menu_path) if more else []
    for row in steps:
        for menu_sid in (row[2], row[3]):
            if menu_sid and (not path or path[-1] != menu_sid):
                path.append(menu_sid)
    call.menu_path = path


def _update_calls(calls: list[_CallRow]) -> None:
    """Write the calls' summaries: one ``executemany`` of plain values (``bulk_update``'s
    ``CASE`` expressions cost milliseconds a call for a batch of thousands)."""
    if not calls:
        return
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(Call._meta.db_table)} SET "  # noqa: S608 - our own names
        "start_time = %s, end_time = %s, duration_seconds = %s, outcome = %s, "
        "transferred_to = %s, menu_path = %s WHERE id = %s"
    )
    adapt, json_value = _time_adapter(), _json_adapter()
    rows = [
        (adapt(call.start_time), adapt(call.end_time), call.duration_seconds, call.outcome,
         call.transferred_to, json_value(call.menu_path), call.pk)
        for call in calls
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
