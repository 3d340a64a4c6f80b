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

REPO = Path(__file__).resolve().parent.parent
# The farm is ours and local: no politeness delay needed to keep the suite fast.
CRAWL_ENV = {"PORTALWATCH_DOWNLOAD_DELAY": "0", "PORTALWATCH_AUTOTHROTTLE_START": "0.05"}


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



def query(db: Path, sql: str, *args: object) -> list[tuple]:
    """Rows from a test's SQLite file, read as any other client would (busy timeout for the daemon)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def write_sources(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
