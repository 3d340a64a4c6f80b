"""Keep list pages' HTTP validators (ETag, Last-Modified) for conditional GETs next time.

A validator says "you have read everything this page lists", so it is written only when that is
true: when the run has finished and every article the page led to was stored (or turned out not
to be an article). A run killed after page 1, or one whose stores failed, leaves the old
validators, and the next crawl reads the page in full instead of getting a 304 and skipping
articles it never stored.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from sqlalchemy.exc import SQLAlchemyError

from crawler.clock import now
from crawler.items import ListPageItem
from store.db import error_line
from store.monitor import record_list_page

from . import DatabasePipeline


class ListPagePipeline(DatabasePipeline):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ListPagePipeline:
        pipeline = cls(crawler)
        # Pipelines close before the close reason is known; spider_closed carries it.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        super().open_spider(spider)
        self.pending: list[ListPageItem] = []

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, ListPageItem) and item.status != 304:
            self.pending.append(item)
        return item

    def close_spider(self, spider: Any = None) -> None:
        pass  # the database is still needed in spider_closed

    def spider_closed(self, spider: Any, reason: str) -> None:
        try:
            self._keep_validators(spider, reason == "finished")
        finally:
            super().close_spider(spider)

    def _keep_validators(self, spider: Any, finished: bool) -> None:
        unsettled: set[str] = getattr(spider, "unsettled_lists", set())
        for item in self.pending:
            if not finished or item.url in unsettled:
                self.stats.inc_value("portalwatch/validators_withheld")
                continue
            try:
                trusted = record_list_page(self.db, item.source_id, item.url, item.status, item.etag,
                                           item.last_modified, item.links_hash, now())
            except SQLAlchemyError as exc:
                self.report(f"{item.url}: list page validators not stored: {error_line(exc, 200)}", "store_errors")
                continue
            if not trusted:
                self.stats.inc_value("portalwatch/validators_distrusted")
