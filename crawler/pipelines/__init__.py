"""Item pipelines, one per file, in the order crawler.settings.ITEM_PIPELINES gives."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.clock import parse_duration
from crawler.sources import DEFAULT_RECHECK
from store.db import Database, shared_db


class CrawlerPipeline:
    """Keeps the crawler (for stats and settings): newer Scrapy no longer passes the spider."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    @property
    def stats(self) -> StatsCollector:
        assert self.crawler.stats is not None
        return self.crawler.stats

    def report(self, message: str, key: str) -> None:
        """One line in the run's errors (and the log), counted under portalwatch/<key>."""
        record = getattr(self.crawler.spider, "_record", None)
        if record is not None:
            record(message, key)
        else:
            self.stats.inc_value(f"portalwatch/{key}")

    def unsettle(self, list_url: str | None) -> None:
        """A list page one of whose articles was not stored: its validators must not be kept."""
        unsettled = getattr(self.crawler.spider, "unsettled_lists", None)
        if list_url and unsettled is not None:
            unsettled.add(list_url)

    @property
    def recheck_steps(self) -> tuple[timedelta, ...]:
        """The crawled source's re-check schedule."""
        source = getattr(self.crawler.spider, "source", None)
        if source is None:
            return tuple(parse_duration(d) for d in DEFAULT_RECHECK)
        return tuple(source.recheck)


class DatabasePipeline(CrawlerPipeline):
    """A pipeline that writes to the store, one short transaction per item."""

    _db: Database | None = None

    def open_spider(self, spider: Any = None) -> None:
        # The RunRecorder extension has already migrated the schema.
        self._db = shared_db(self.crawler.settings.get("PORTALWATCH_DB"))

    def close_spider(self, spider: Any = None) -> None:
        if self._db is not None:
            self._db.dispose()

    @property
    def db(self) -> Database:
        assert self._db is not None, "pipeline used before open_spider"
        return self._db
