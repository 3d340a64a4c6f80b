"""Write articles to the store: insert new ones, refresh known ones, never duplicate."""

from __future__ import annotations

from typing import Any

from crawler.items import ArticleItem
from store import open_db
from store.db import Database
from store.repo import ArticleData, upsert_article

from . import CrawlerPipeline


class StorePipeline(CrawlerPipeline):
    db: Database | None = None

    def open_spider(self, spider: Any = None) -> None:
        self.db = open_db(self.crawler.settings.get("PORTALWATCH_DB"), upgrade=False)

    def close_spider(self, spider: Any = None) -> None:
        if self.db is not None:
            self.db.dispose()

    def process_item(self, item: ArticleItem, spider: Any = None) -> ArticleItem:
        assert self.db is not None, "pipeline used before open_spider"
        outcome = upsert_article(self.db, ArticleData(
            source_id=item.source_id, url=item.url, fetched_url=item.fetched_url, title=item.title,
            published_at=item.published, author=item.author, lead=item.lead, text=item.text, html=item.html,
            captions=item.captions, content_hash=item.content_hash, is_meeting=item.is_meeting,
        ))
        self.stats.inc_value(f"portalwatch/articles_{outcome}")
        return item
