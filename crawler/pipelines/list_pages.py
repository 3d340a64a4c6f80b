"""Keep list pages' HTTP validators (ETag, Last-Modified) for conditional GETs next time."""

from __future__ import annotations

from typing import Any

from crawler.clock import now
from crawler.items import ListPageItem
from store.monitor import record_list_page

from . import DatabasePipeline


class ListPagePipeline(DatabasePipeline):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, ListPageItem):
            return item
        trusted = record_list_page(self.db, item.source_id, item.url, item.status, item.etag, item.last_modified,
                                   item.links_hash, now())
        if not trusted:
            self.stats.inc_value("portalwatch/validators_distrusted")
        return item
