"""Shared fixtures: the portal farm on 127.0.0.1, sources files for it, and the real CLI."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.farm import Farm
from tests.pg import Postgres, PostgresUnavailable

REPO = Path(__file__).resolve().parent.parent
# The farm is ours and local: no politeness delay needed to keep the suite fast.
# Its portals all live on 127.0.0.1, one "domain" to Scrapy: more than two requests at a time there.
CRAWL_ENV = {"PORTALWATCH_DOWNLOAD_DELAY": "0", "PORTALWATCH_AUTOTHROTTLE_START": "0.05",
             "PORTALWATCH_CONCURRENCY_PER_HOST": "6"}


def portalwatch_bin() -> str:
    """The installed console script, next to this interpreter (as a user runs it)."""
    candidate = Path(sys.executable).parent / "portalwatch"
    return str(candidate) if candidate.exists() else "portalwatch"


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: int = 240) -> subprocess.CompletedProcess[str]:
    # The caller's environment must not choose the database or sources behind a test's back.
    inherited = {k: v for k, v in os.environ.items() if k not in ("PORTALWATCH_DB", "PORTALWATCH_SOURCES")}
    full_env = {**inherited, **CRAWL_ENV, **(env or {})}
    return subprocess.run([portalwatch_bin(), *args], cwd=cwd or REPO, env=full_env, text=True,
                          capture_output=True, timeout=timeout)


@pytest.fixture(scope="session")
def farm() -> Iterator[Farm]:
    """A farm shared by read-only tests. Tests that mutate articles use `fresh_farm`."""
    with Farm() as f:
        yield f


@pytest.fixture
def fresh_farm() -> Iterator[Farm]:
    with Farm() as f:
        yield f



def crawl_pids(db: Path) -> list[int]:
    """The `crawler.cli` processes working on this database (a daemon's crawl children, a crawl)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "crawler.cli" in cmdline and str(db) in cmdline:
            found.append(int(entry.name))
    return found


def query(db: Path | str, sql: str, *args: object) -> list[tuple]:
    """Rows from a test's database, read as any other client would: an SQLite file (busy timeout for
    the daemon), or a PostgreSQL URL (`?` placeholders as in SQLite)."""
    if isinstance(db, str) and "://" in db:
        import psycopg

        from store.db import libpq_url

        with psycopg.connect(libpq_url(db)) as pg:
            return [tuple(row) for row in pg.execute(sql.replace("%", "%%").replace("?", "%s"), args).fetchall()]  # type: ignore[arg-type]
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def write_sources(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """`portalwatch serve` running in a subprocess over a test's database."""

    def __init__(self, db: Path | str, sources: Path, *extra: str) -> None:
        import time
        import urllib.request

        self.db, self.sources = db, sources
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        inherited = {k: v for k, v in os.environ.items() if k not in ("PORTALWATCH_DB", "PORTALWATCH_SOURCES")}
        self.proc = subprocess.Popen([portalwatch_bin(), "--db", str(db), "--sources", str(sources), "serve",
                                      "--port", str(self.port), *extra], env=inherited, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.base + "/static/style.css", timeout=5):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    out, err = self.proc.communicate(timeout=10)
                    raise RuntimeError(f"serve did not start: {out}\n{err}") from None
                time.sleep(0.1)

    def stop(self) -> tuple[int, str]:
        import signal

        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return self.proc.returncode, err


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A throwaway PostgreSQL server for this test process (tests.pg); the tests that need it skip,
    saying why, where no server can be had."""
    try:
        server = Postgres().start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL: {exc}")
    try:
        yield server
    finally:
        server.stop()


BACKENDS = ["sqlite", "postgresql"]


def database_for(request: pytest.FixtureRequest, tmp: Path, backend: str) -> Path | str:
    """A new, empty database on `backend`: an SQLite file path, or a PostgreSQL URL. Both are what
    `--db` takes and what `query` reads."""
    if backend == "sqlite":
        return tmp / "pw.db"
    server: Postgres = request.getfixturevalue("postgres")
    return server.create()


@pytest.fixture(params=BACKENDS)
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """An empty database for a test that runs on both SQLite and PostgreSQL."""
    return database_for(request, tmp_path, request.param)


@pytest.fixture(scope="session", params=BACKENDS)
def hostile_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Farm, Served]]:
    """The farm with its hostile articles, crawled once, served by `portalwatch serve`, on each
    backend. Read-only: tests that change data build their own."""
    tmp = tmp_path_factory.mktemp("hostile")
    db = database_for(request, tmp, request.param)
    with Farm(hostile=True) as farm:
        sources = write_sources(tmp / "sources.toml", farm.sources_toml().replace("start_urls", 'every = "30m"\nstart_urls'))
        crawl = run_cli("--db", str(db), "--sources", str(sources), "crawl")
        assert crawl.returncode == 0, crawl.stderr[-2000:]
        served = Served(db, sources)
        try:
            yield farm, served
        finally:
            served.stop()
