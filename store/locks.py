"""Who is working on a database right now: one daemon per database, one run per source.

Locks are `flock`s on small files next to the database (`<db file>.locks/`): the kernel releases
them when their process ends, however it ends (SIGKILL included), so a lock never outlives its
holder and a stale lock file is harmless. That also answers "is this `running` run still running?"
without guessing from times: a run's row is created while its source lock is held, so a running
row whose source lock is free belongs to a process that is gone.

On PostgreSQL, where the processes sharing a database may be on several machines, the same locks
are the server's session advisory locks, held on one connection per process: the server releases
them when that connection ends, so a killed process's locks go with it, on any machine. Other
backends lock files in the system's temporary folder, keyed by the database URL (one machine).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import socket
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy.engine import make_url

from .db import libpq_url


class LockHeld(Exception):
    """Someone else holds the lock; the message names what and which process."""


def lock_dir(db_url: str) -> Path:
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        return path.parent / f"{path.name}.locks"
    key = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"portalwatch-locks-{key}"


def _file_name(name: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:80]
    return f"{safe}-{hashlib.sha256(name.encode()).hexdigest()[:8]}.lock" if safe != name else f"{name}.lock"


# Advisory locks are keyed by two int4: this namespace, and a hash of the lock's name.
PG_NAMESPACE = 0x706C77  # "plw"; (PG_NAMESPACE, 1) is store.db.migrate's transaction lock


def _pg_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)


class _PgLocks:
    """This process's advisory locks on one PostgreSQL database, all on one connection (a batch
    holds a lock per source: a connection each would exhaust the server's max_connections)."""

    def __init__(self, db_url: str) -> None:
        self.conninfo = libpq_url(db_url)
        self.held: set[str] = set()
        self._mutex = threading.Lock()
        self._conn: Any = None
        self._pid = os.getpid()

    def _connection(self) -> Any:
        import psycopg

        if self._conn is None or self._conn.closed or self._pid != os.getpid():
            self._conn = psycopg.connect(self.conninfo, autocommit=True,
                                         application_name=f"portalwatch {socket.gethostname()} pid {os.getpid()}")
            self._pid = os.getpid()
            self.held.clear()
        return self._conn

    def try_lock(self, name: str) -> bool:
        with self._mutex:
            if name in self.held:  # advisory locks nest within a session; ours, like flock, do not
                return False
            row = self._connection().execute("select pg_try_advisory_lock(%s, %s)",
                                             (PG_NAMESPACE, _pg_key(name))).fetchone()
            if row and row[0]:
                self.held.add(name)
                return True
            return False

    def unlock(self, name: str) -> None:
        with self._mutex:
            if name in self.held:
                self.held.discard(name)
                self._connection().execute("select pg_advisory_unlock(%s, %s)", (PG_NAMESPACE, _pg_key(name)))

    def holder(self, name: str) -> str:
        with self._mutex:
            if name in self.held:
                return f"this process ({os.getpid()})"
            row = self._connection().execute(
                "select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid "
                "where l.locktype = 'advisory' and l.granted and l.classid = %s and l.objid = %s limit 1",
                (PG_NAMESPACE, _pg_key(name) & 0xFFFFFFFF)).fetchone()
            return str(row[0]).removeprefix("portalwatch ") if row else "?"


_PG: dict[str, _PgLocks] = {}
_PG_GUARD = threading.Lock()


def _pg_locks(db_url: str) -> _PgLocks | None:
    if make_url(db_url).get_backend_name() != "postgresql":
        return None
    with _PG_GUARD:
        found = _PG.get(db_url)
        if found is None:
            found = _PG[db_url] = _PgLocks(db_url)
        return found


class Lock:
    """An exclusive, non-blocking lock; `acquire` raises LockHeld when another process has it."""

    def __init__(self, db_url: str, name: str, what: str) -> None:
        self.name = name
        self._pg = _pg_locks(db_url)
        self.path = lock_dir(db_url) / _file_name(name)
        self.what = what
        self._fd: int | None = None
        self._pg_held = False

    def acquire(self, wait: bool = False) -> Lock:
        """Take the lock; with `wait`, queue for it instead of raising LockHeld."""
        if self._pg is not None:
            # Polled, not pg_advisory_lock: a blocking call would hold the process's one lock
            # connection, and every other lock of the process with it.
            while not self._pg.try_lock(self.name):
                if not wait:
                    raise LockHeld(f"{self.what} is already held by process {self._pg.holder(self.name)}")
                time.sleep(0.2)
            self._pg_held = True
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise LockHeld(f"{self.what} is already held by process {holder}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._pg is not None and self._pg_held:
            self._pg_held = False
            self._pg.unlock(self.name)
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor drops the flock

    @property
    def held(self) -> bool:
        return self._fd is not None or self._pg_held

    def __enter__(self) -> Lock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def daemon_lock(db_url: str) -> Lock:
    return Lock(db_url, "schedule", "the scheduler of this database (portalwatch schedule)")


def source_lock(db_url: str, source_id: str) -> Lock:
    return Lock(db_url, f"source-{source_id}", f"the crawl of source {source_id!r}")


def derived_lock(db_url: str) -> Lock:
    return Lock(db_url, "derived", "the sync of derived data")


def is_free(db_url: str, source_id: str) -> bool:
    """True when no process is crawling this source now."""
    try:
        source_lock(db_url, source_id).acquire().release()
    except LockHeld:
        return False
    return True
