"""Content hash over what a reader sees (title, date, body), so a recrawl can tell a real edit
from a page that only changed its clock widget or related list."""

from __future__ import annotations

import hashlib
from typing import Any

from crawler.items import ArticleItem

from . import CrawlerPipeline


def content_hash(title: str | None, published: str | None, text: str) -> str:
    h = hashlib.sha256()
    for part in (title or "", published or "", text):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


class FingerprintPipeline(CrawlerPipeline):
    def process_item(self, item: ArticleItem, spider: Any = None) -> ArticleItem:
        published = item.published.isoformat() if item.published else None
        item.content_hash = content_hash(item.title, published, item.text)
        return item
