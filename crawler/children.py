"""Crawl subprocesses that die with the process that started them: the daemon's batches and a
queue worker's jobs. On Linux the child asks the kernel (prctl PR_SET_PDEATHSIG) for SIGTERM when
its parent dies, even by SIGKILL, so no crawl outlives its daemon or worker and a restarted one
never crawls alongside an orphan; Scrapy closes cleanly on SIGTERM and records the run.

The kernel sends the signal when the parent *thread* that forked the child ends, so children are
started from long-lived threads (the daemon's batch workers, the worker's event loop).
"""

from __future__ import annotations

import ctypes
import signal
from typing import Any

PR_SET_PDEATHSIG = 1

# Resolved here, in the parent: between fork and exec (where preexec_fn runs) a threaded process
# may not safely load libraries or import modules.
_prctl: Any
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux: the source locks still keep a second crawl out
    _prctl = None


def die_with_parent() -> None:
    """`preexec_fn` of a crawl subprocess: SIGTERM when its parent dies."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
