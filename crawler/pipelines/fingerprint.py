"""Fingerprints: a content hash over what a reader sees (title, date, body) to tell a real edit
from a page that only changed its clock widget; a text hash for exact duplicates; and a MinHash
signature for near duplicates across portals."""

from __future__ import annotations

import hashlib
from typing import Any

from crawler.items import ArticleItem
from portaltext.dedupe import signature, text_hash

from . import CrawlerPipeline


def content_hash(title: str | None, published: str | None, text: str) -> str:
    h = hashlib.sha256()
    for part in (title or "", published or "", text):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


class FingerprintPipeline(CrawlerPipeline):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        published = item.published.isoformat() if item.published else None
        item.content_hash = content_hash(item.title, published, item.text)
        item.text_hash = text_hash(item.text)
        item.minhash = signature(item.text)
        return item
