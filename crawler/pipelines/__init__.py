"""Item pipelines, one per file, in the order crawler.settings.ITEM_PIPELINES gives."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector


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
