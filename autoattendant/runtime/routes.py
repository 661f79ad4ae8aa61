"""Routes a warm call needs no query for: which system answers a number, kept in each process
and dropped the moment PostgreSQL says a route may have changed.

A call's first lookup (number → system, with the system's flow version and whether it and its
enterprise take calls) reads three tables: phone numbers, AA systems and enterprises. On
PostgreSQL a statement trigger on each of them (migration ``0002``) runs
``pg_notify('autoattendant_routes')`` for every write, whoever makes it (the services, the admin,
a bulk ``UPDATE``, ``COPY``, a shell). Notifications are transactional: PostgreSQL delivers them
when the writing transaction commits and never for one rolled back.

Every PostgreSQL connection listens on that channel as it opens. Before using a remembered
route, :meth:`RouteWatch.generation` takes in whatever notifications have arrived on the
connection's socket (no round trip: a non-blocking read), and psycopg hands over those that
arrive while it reads any reply; any notification moves the process's *generation* on, which
makes every remembered route stale at once. So:

- a change committed on the same connection (a write and a call in the same thread) is heard
  at its own ``COMMIT``: PostgreSQL sends a session its own notifications with the commit's reply;
- a change committed anywhere else is heard as soon as PostgreSQL has delivered the
  notification, which it does at commit (``bench/route_latency.py`` measures the delay);
- nothing is remembered inside a transaction (the routes could be the transaction's own
  uncommitted writes), while the connection is not listening yet, or for longer than
  ``CALLFLOW_ROUTES_MAX_AGE`` seconds (a safety net for a notification lost with its connection);
  a new listening connection starts a new generation, since notifications sent before it listened
  were not heard.

On SQLite (the embedded default) triggers do it (migration ``0006``): every insert, update or
delete of a phone number, an AA system or an enterprise moves the number in the one-row table
``autoattendant_routestamp`` on, whichever connection, thread or process writes. Before using a
remembered route the generation moves on if that number changed since this connection last read
it. The read is one primary-key lookup, but each is a read transaction of its own, and under load
it costs a call more than anything else the engine does (``docs/performance.md``). So a
connection reads the stamp at most every ``CALLFLOW_ROUTE_CHECK_MS`` (100 ms), and at once after
it wrote anything itself (SQLite counts a connection's changes, no query needed): a route changed
by this connection is heard by its next call, one changed by another thread or process within
that time. Other writes (the call history's background writes, a menu saved in the console) leave
the remembered routes alone.

Off (every call reads its route, one query) on other databases and with
``CALLFLOW_ROUTE_NOTIFICATIONS=false``, which a transaction-mode connection pooler needs: it
cannot keep a ``LISTEN`` (PgBouncer before 1.21 and most others).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connections
from django.db.backends.signals import connection_created

from .config import hot
from .lru import LocalLru

__all__ = ["CHANNEL", "RouteWatch", "local_routes", "remembered_route", "route_watch"]

logger = logging.getLogger(__name__)

#: The notification channel the triggers of migration 0002 notify.
CHANNEL = "autoattendant_routes"
#: What the triggers of migration 0006 count on SQLite.
SQLITE_STAMP_QUERY = "SELECT n FROM autoattendant_routestamp WHERE id = 1"

T = TypeVar("T")


class RouteWatch:
    """The process's generation of routes: moved on by every notification any of its listening
    connections receives, and by every connection that starts listening."""

    def __init__(self) -> None:
        self._generation = 0
        self._lock = threading.Lock()
        self._listening: weakref.WeakSet[Any] = weakref.WeakSet()
        self._lost: weakref.WeakSet[Any] = weakref.WeakSet()

    def changed(self, *_notification: object) -> None:
        """Every remembered route is stale from now on."""
        with self._lock:
            self._generation += 1

    def generation(self, alias: str = "default") -> int | None:
        """The current generation, after taking in the notifications already delivered to this
        thread's connection; ``None`` when remembered routes must not be used now (off, not
        PostgreSQL, inside a transaction, not connected, the connection failing)."""
        connection = connections[alias]
        if (
            connection.in_atomic_block
            or connection.connection is None
            or not hot().route_notifications
        ):
            return None
        if connection.vendor == "sqlite":
            return self._sqlite_generation(connection)
        if connection.vendor != "postgresql":
            return None
        raw = connection.connection
        try:
            if raw not in self._listening:
                self._listen(connection, raw)
            pgconn = raw.pgconn
            pgconn.consume_input()  # reads what the socket holds; never waits
            if pgconn.notifies() is not None:
                while pgconn.notifies() is not None:
                    pass
                self.changed()
            if raw in self._lost:  # the server is closing it: what it missed is unknown
                self._listening.discard(raw)
                return None
        except Exception as exc:  # any doubt: read the route from the database
            logger.warning("Route notifications unavailable (%s); reading routes", exc)
            self._listening.discard(raw)
            self.changed()
            return None
        return self._generation

    def _sqlite_generation(self, connection: Any) -> int | None:
        """The generation, moved on when a route table was written since this connection last
        looked (the route stamp, see the module's docstring), by any connection: looked at
        again once ``CALLFLOW_ROUTE_CHECK_MS`` have passed, or the connection wrote since."""
        raw = connection.connection
        now = time.monotonic()
        try:
            changes = raw.total_changes
            looked = getattr(connection, "_aa_route_look", None)
            if looked is not None and looked[0] is raw and looked[1] == changes and now < looked[2]:
                return self._generation
            version = raw.execute(SQLITE_STAMP_QUERY).fetchone()[0]
        except Exception as exc:  # any doubt: read the route from the database
            logger.warning("SQLite change check unavailable (%s); reading routes", exc)
            return None
        if looked is None or looked[0] is not raw or looked[3] != version:
            self.changed()
        # This connection's last look: connection, its changed rows, next look due, the stamp.
        connection._aa_route_look = (raw, changes, now + hot().route_check_seconds, version)
        return self._generation

    def _listen(self, connection: Any, raw: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")
        self._listening_on(raw)

    def _listening_on(self, raw: Any) -> None:
        # Notifications arriving while psycopg reads a reply (our own at COMMIT, others' during
        # any query) are handed to handlers rather than left on the socket.
        raw.add_notify_handler(self.changed)
        raw.add_notice_handler(lambda diagnostic: self._noticed(raw, diagnostic))
        self._listening.add(raw)
        self.changed()  # whatever was notified before we listened was not heard

    def _noticed(self, raw: Any, diagnostic: Any) -> None:
        """A server terminating the session (an administrator, a restart, an idle timeout) says
        so with a FATAL message before it closes the socket; the notifications of changes made
        from then on never reach this connection, so its remembered routes end here."""
        if diagnostic.severity_nonlocalized in ("FATAL", "PANIC"):
            self._lost.add(raw)
            self.changed()

    def connection_created(self, sender: Any, connection: Any, **kwargs: Any) -> None:
        """Each new PostgreSQL connection listens as part of opening (like its session
        settings), so no request pays a round trip for it; ``generation`` listens lazily on a
        connection this missed."""
        if connection.vendor != "postgresql" or not hot().route_notifications:
            return
        try:
            connection.connection.execute(f"LISTEN {CHANNEL}")
        except Exception as exc:  # never fail a connection for this
            logger.warning("Could not listen for route changes (%s)", exc)
            return
        self._listening_on(connection.connection)


route_watch = RouteWatch()
connection_created.connect(route_watch.connection_created, dispatch_uid="autoattendant.routing")
#: Remembered routes: key → (generation, expiry on the monotonic clock, value).
local_routes = LocalLru()


def remembered_route(key: Hashable, read: Callable[[], T | None]) -> T | None:
    """``read()`` (a route query), or the value it gave in this generation. ``None`` results and
    errors (no such number or system) are not remembered."""
    generation = route_watch.generation()
    if generation is None:
        return read()
    now = time.monotonic()
    hit = local_routes.get(key)
    if hit is not None and hit[0] == generation and hit[1] > now:
        return hit[2]
    value = read()
    if value is not None:
        config = hot()
        local_routes.put(key, (generation, now + config.routes_max_age, value), config.local_routes)
    return value
