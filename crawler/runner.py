"""Run crawls of several sources in one Scrapy process (one reactor, started once).

`portalwatch crawl` is a one-off command, so starting Twisted's reactor here is safe; a long-lived
scheduler must run each cycle through `python -m crawler.runner` in a subprocess instead, because
the reactor cannot be restarted.
"""

from __future__ import annotations

import gc
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy import func, select

from crawler.children import stop_when_parent_dies
from crawler.sources import load_sources
from crawler.spiders.portal import PortalSpider
from store import open_db
from store.db import Database, close_shared
from store.models import CrawlRun


def crawl_settings(db_url: str, verbose: bool = False) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("PORTALWATCH_DB", db_url, priority="cmdline")
    # run_crawls has migrated the database; the RunRecorder need not (it does under `scrapy crawl`).
    settings.set("PORTALWATCH_SCHEMA_READY", True, priority="cmdline")
    if not verbose:
        settings.set("LOG_LEVEL", os.environ.get("PORTALWATCH_LOG_LEVEL", "ERROR"), priority="cmdline")
    return settings


def _final_sync(db: Database) -> None:
    """What the batch's last spiders wrote after the last in-batch sync (crawler.extensions.SYNC_EVERY)
    is derived now; a failure is said here and caught up by the next run, command or server."""
    from crawler.extensions import sync_pending
    from store.derived import sync_all

    if not sync_pending():
        return
    try:
        report = sync_all(db)
    except Exception as exc:  # noqa: BLE001 - the runs are recorded; the next sync catches up
        logging.getLogger("portalwatch").warning("derived data not updated after the batch: %s", exc)
        return
    for failure in report.failures:
        logging.getLogger("portalwatch").warning("after the batch: %s", failure)


@dataclass
class CrawlResult:
    runs: list[CrawlRun]  # recorded by this call, in order
    not_crawled: list[str] = field(default_factory=list)  # one line per source that could not start


def run_crawls(db_url: str, sources_file: str | Path, source_ids: Sequence[str], max_pages: int,
               verbose: bool = False, backfill: bool = False, since: str | None = None) -> CrawlResult:
    """Crawl each source once, concurrently; returns the runs recorded for this call, and why any
    source was not crawled (another process crawling it, a store that cannot record a run)."""
    db = open_db(db_url)
    with db.session() as s:
        last_id = s.scalar(select(func.max(CrawlRun.id))) or 0
    by_id = {s.id: s for s in load_sources(sources_file)}
    unverified = [sid for sid in source_ids if not by_id[sid].tls_verify]
    verified = [sid for sid in source_ids if by_id[sid].tls_verify]
    for sid in unverified:
        # The operator accepted this portal's broken or self-signed certificate: said at every run.
        logging.getLogger("portalwatch").warning("%s: TLS certificate verification is OFF (tls_verify = false)", sid)
    child = None
    if unverified and verified:
        # Certificate checking is per process: the unverified sources get a process of their own.
        args = [sys.executable, "-m", "crawler.cli", "--db", db_url, "--sources", str(sources_file), "crawl",
                "--max-pages", str(max_pages), *[a for sid in unverified for a in ("--source", sid)]]
        if backfill:
            args += ["--backfill"] + (["--since", since] if since else [])
        child = subprocess.Popen(args, env={**os.environ, "PORTALWATCH_TLS_VERIFY": "0"},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    settings = crawl_settings(db_url, verbose)
    if unverified and not verified:
        settings.set("DOWNLOAD_VERIFY_CERTIFICATES", False, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for sid in verified or unverified:
        crawler = process.create_crawler(PortalSpider)
        crawlers.append(crawler)
        process.crawl(crawler, source=sid, max_pages=max_pages, sources_file=str(sources_file),
                      mode="backfill" if backfill else "auto", since=since)
    stop_when_parent_dies()
    # What is alive now (modules, settings, sources) lives as long as the process: out of the
    # collector's way, so each full collection during the crawl walks only the crawl's own objects.
    # Measured on bench.pipeline's backfill: garbage collection went from 5.4 s to 1.8 s of 37 s of CPU.
    gc.collect()
    gc.freeze()
    process.start()
    _final_sync(db)
    close_shared()
    not_crawled = [str(note) for c in crawlers if (note := getattr(c.spider, "locked_out", None))]
    if child is not None:
        child.wait()
    with db.session() as s:
        runs = list(s.scalars(select(CrawlRun).where(CrawlRun.id > last_id, CrawlRun.source_id.in_(source_ids))
                              .order_by(CrawlRun.id)))
    db.dispose()
    return CrawlResult(runs, not_crawled)
