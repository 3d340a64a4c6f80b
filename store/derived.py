"""Derived data, brought up to date from what is stored, never from what one run says it added.

Three things are computed from the articles: near-duplicate clusters, meeting verdicts and records,
and the search index. Each knows when it is out of date: meeting records and search documents
carry the content hash (and model version) they were built from, and clusters the fingerprint of
the signatures they were computed over (`derived_state`). So a run that was killed before it could
sync, a failed sync, or a model upgrade is caught up by the next run, the next command or the
running server, whichever comes first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from .clusters import sync_clusters
from .db import Database, error_line
from .locks import derived_lock
from .meetings import SyncFailure, SyncReport, sync_meetings
from .search import sync_search

log = logging.getLogger("portalwatch.derived")


@dataclass
class DerivedReport:
    clusters: bool = False  # recomputed this time
    meetings: SyncReport = field(default_factory=SyncReport)
    indexed: int = 0
    failures: list[str] = field(default_factory=list)  # one line each: a step that failed, or an article
    article_failures: list[SyncFailure] = field(default_factory=list)


def sync_all(db: Database) -> DerivedReport:
    """Every derived table in step with the articles. A step that fails is reported and the others
    still run; nothing here ever changes an article's text."""
    report = DerivedReport()
    # One sync at a time per database: two runs ending together would otherwise both rebuild the
    # same records and index rows, and one of them fail on the other's writes.
    lock = derived_lock(db.url).acquire(wait=True)
    try:
        _sync_steps(db, report)
    finally:
        lock.release()
    return report


def _sync_steps(db: Database, report: DerivedReport) -> None:
    def clusters() -> None:
        report.clusters = sync_clusters(db)

    def meetings() -> None:
        report.meetings = sync_meetings(db)
        report.article_failures = list(report.meetings.failures)
        report.failures += [str(f) for f in report.meetings.failures]

    def search() -> None:
        report.indexed = sync_search(db)

    steps: list[tuple[str, Callable[[], None]]] = [("clusters", clusters), ("meeting records", meetings),
                                                   ("search index", search)]
    for name, step in steps:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - one failing step must not skip the others
            report.failures.append(f"{name} not updated: {error_line(exc)}")
            log.warning("%s not updated: %s: %s", name, type(exc).__name__, exc)
