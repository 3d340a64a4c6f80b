"""Who is working on a database right now: one daemon per database, one run per source.

Locks are `flock`s on small files next to the database (`<db file>.locks/`): the kernel releases
them when their process ends, however it ends (SIGKILL included), so a lock never outlives its
holder and a stale lock file is harmless. That also answers "is this `running` run still running?"
without guessing from times: a run's row is created while its source lock is held, so a running
row whose source lock is free belongs to a process that is gone.

Other backends than an SQLite file lock in the system's temporary folder, keyed by the database
URL: that covers processes on one machine (the scale-out across machines is PostgreSQL's, later).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from pathlib import Path
from types import TracebackType

from sqlalchemy.engine import make_url


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


class Lock:
    """An exclusive, non-blocking lock; `acquire` raises LockHeld when another process has it."""

    def __init__(self, db_url: str, name: str, what: str) -> None:
        self.path = lock_dir(db_url) / _file_name(name)
        self.what = what
        self._fd: int | None = None

    def acquire(self, wait: bool = False) -> Lock:
        """Take the lock; with `wait`, queue for it instead of raising LockHeld."""
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
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor drops the flock

    @property
    def held(self) -> bool:
        return self._fd is not None

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
