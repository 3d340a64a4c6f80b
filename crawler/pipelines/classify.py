"""Flag meeting reports (portaltext.classify)."""

from __future__ import annotations

from typing import Any

from crawler.items import ArticleItem
from portaltext.classify import is_meeting

from . import CrawlerPipeline


class ClassifyPipeline(CrawlerPipeline):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        item.is_meeting = is_meeting(item.title, item.paragraphs)
        if item.is_meeting:
            self.stats.inc_value("portalwatch/meetings")
        return item
