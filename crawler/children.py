"""Crawl subprocesses that die with the process that started them: the daemon's batches and a
queue worker's jobs. On Linux the child asks the kernel (prctl PR_SET_PDEATHSIG) for a signal when
its parent dies, even by SIGKILL, so no crawl outlives its daemon or worker and a restarted one
never crawls alongside an orphan; the crawl closes its spiders cleanly and records the runs.

The kernel sends the signal when the parent *thread* that forked the child ends, so children are
started from long-lived threads (the daemon's batch workers, the worker's event loop). And it sends
it again each time the child is handed to another thread of the dying parent: a daemon with ten
threads killed at once signals its child several times within a millisecond. A second SIGTERM is
Scrapy's "stop now, unclean" (its runs would stay `running`), so the parent's death is SIGHUP
instead, which the crawl (`stop_when_parent_dies`) turns into one SIGTERM, however often it comes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1

# Resolved here, in the parent: between fork and exec (where preexec_fn runs) a threaded process
# may not safely load libraries or import modules.
_prctl: Any
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux: the source locks still keep a second crawl out
    _prctl = None


PARENT_GONE = signal.SIGHUP


def die_with_parent() -> None:
    """`preexec_fn` of a crawl subprocess: PARENT_GONE when its parent dies."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, PARENT_GONE)


def stop_when_parent_dies() -> None:
    """In the crawl process, before the crawl starts: the first PARENT_GONE becomes one SIGTERM (a
    graceful stop, every run recorded), the repeats are ignored. Also a crawl run by hand whose
    terminal closes stops this way."""

    def parent_gone(signum: int, _frame: Any) -> None:
        signal.signal(PARENT_GONE, signal.SIG_IGN)
        signal.raise_signal(signal.SIGTERM)

    signal.signal(PARENT_GONE, parent_gone)


def crawl_command(db_url: str, sources_file: Path, source_ids: list[str], max_pages: int, source_timeout: float,
                  extra_env: Mapping[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of a scheduled batch: the same `crawl --source …` whether
    the daemon runs it or a queue worker does."""
    cmd = [sys.executable, "-m", "crawler.cli", "--db", db_url, "--sources", str(sources_file), "crawl",
           "--max-pages", str(max_pages), *[arg for sid in source_ids for arg in ("--source", sid)]]
    env = {**os.environ, **(extra_env or {}), "PORTALWATCH_TRIGGER": "schedule",
           "PORTALWATCH_SOURCE_TIMEOUT": str(source_timeout)}
    return cmd, env
