"""Drop pages that are not articles (no title and no body); keep a dateless article."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem

from . import CrawlerPipeline


class ValidatePipeline(CrawlerPipeline):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        if not item.title and not item.paragraphs:
            self.stats.inc_value("portalwatch/not_article")
            raise DropItem(f"{item.fetched_url}: no title and no body text; not an article")
        if not item.title or not item.paragraphs:
            self.stats.inc_value("portalwatch/incomplete")
        if item.published is None:
            self.stats.inc_value("portalwatch/no_date")
        return item
