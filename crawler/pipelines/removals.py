"""Mark known articles removed when a re-check finds them gone; nothing is deleted."""

from __future__ import annotations

from typing import Any

from crawler.clock import now
from crawler.items import ArticleGoneItem
from store.monitor import mark_removed

from . import DatabasePipeline


class RemovalPipeline(DatabasePipeline):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, ArticleGoneItem):
            return item
        if mark_removed(self.db, item.url, item.reason, self.recheck_steps, now()):
            self.stats.inc_value("portalwatch/articles_removed")
        return item
