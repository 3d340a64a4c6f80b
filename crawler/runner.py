"""Run crawls of several sources in one Scrapy process (one reactor, started once).

`portalwatch crawl` is a one-off command, so starting Twisted's reactor here is safe; a long-lived
scheduler must run each cycle through `python -m crawler.runner` in a subprocess instead, because
the reactor cannot be restarted.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy import func, select

from crawler.spiders.portal import PortalSpider
from store import open_db
from store.models import CrawlRun


def crawl_settings(db_url: str, verbose: bool = False) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("PORTALWATCH_DB", db_url, priority="cmdline")
    if not verbose:
        settings.set("LOG_LEVEL", os.environ.get("PORTALWATCH_LOG_LEVEL", "ERROR"), priority="cmdline")
    return settings


def run_crawls(db_url: str, sources_file: str | Path, source_ids: Sequence[str], max_pages: int,
               verbose: bool = False, backfill: bool = False, since: str | None = None) -> list[CrawlRun]:
    """Crawl each source once, concurrently; returns the runs recorded for this call."""
    db = open_db(db_url)
    with db.session() as s:
        last_id = s.scalar(select(func.max(CrawlRun.id))) or 0
    process = CrawlerProcess(crawl_settings(db_url, verbose))
    for sid in source_ids:
        process.crawl(PortalSpider, source=sid, max_pages=max_pages, sources_file=str(sources_file),
                      mode="backfill" if backfill else "auto", since=since)
    process.start()
    with db.session() as s:
        runs = list(s.scalars(select(CrawlRun).where(CrawlRun.id > last_id, CrawlRun.source_id.in_(source_ids))
                              .order_by(CrawlRun.id)))
    db.dispose()
    return runs
