"""A throwaway PostgreSQL server for the tests that run on PostgreSQL: its data directory and socket
in a temporary folder, fsync off, a free port on 127.0.0.1, trust authentication, and an immediate
stop at the end. Nothing of the machine's own PostgreSQL (if any) is touched.

`initdb` refuses to run as root, so as root the server runs as the `postgres` user (Debian's
package creates it). `python -m tests.pg` starts one and prints its URL, for trying things by hand.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

USER = "portalwatch"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here, or the server would not start; the reason in one line."""


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    # Debian's package keeps the server binaries out of PATH.
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    raise PostgresUnavailable("no PostgreSQL server here (pg_ctl not on PATH nor in /usr/lib/postgresql); "
                              "`make test` installs Debian's postgresql when it can")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Postgres:
    """One server. `url(name)` gives a SQLAlchemy URL for a database; `create()` makes a new empty one."""

    def __init__(self) -> None:
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="portalwatch-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            try:
                import pwd

                entry = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root and there is no `postgres` user to run the server as") from None
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.started = False

    def _run(self, *cmd: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        full = [str(self.bindir / cmd[0]), *cmd[1:]]
        if self._as_postgres:
            full = ["runuser", "-u", "postgres", "--", *full]
        return subprocess.run(full, capture_output=True, text=True, timeout=timeout, cwd=self.root)

    def start(self) -> Postgres:
        init = self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8",
                         "--locale=C.UTF-8", "--no-sync")
        if init.returncode != 0:
            init = self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync")
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {(init.stderr or init.stdout).strip().splitlines()[-1:]}")
        opts = (f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
        up = self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"), "-w", "start")
        if up.returncode != 0:
            log = (self.root / "log").read_text(errors="replace") if (self.root / "log").exists() else up.stderr
            raise PostgresUnavailable(f"the server would not start: {log.strip().splitlines()[-1:]}")
        self.started = True
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def create(self, prefix: str = "t") -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={USER} dbname=postgres", autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.started:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", timeout=30)
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Postgres:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def wait_forever(pg: Postgres) -> None:  # pragma: no cover - by hand
    print(pg.url(), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":  # pragma: no cover
    with Postgres() as server:
        print(server.create("try"), flush=True)
        wait_forever(server)
