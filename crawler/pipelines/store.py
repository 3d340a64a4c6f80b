"""Write articles: insert new ones, version edited ones, alias exact duplicates, never duplicate.

A write that fails (a full disk, a locked or corrupted database) is an error of the run, one line
each, and the article's list page is not marked read, so nothing is skipped next time."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from crawler.clock import now
from crawler.items import ArticleItem
from store.db import error_line
from store.monitor import ArticleData, BrokenRead, upsert_article

from . import DatabasePipeline

_WRITES = 0  # articles this process handed to the store (what a derived-data sync would need to see)


def store_writes() -> int:
    return _WRITES


class StorePipeline(DatabasePipeline):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        global _WRITES
        if not isinstance(item, ArticleItem):
            return item
        _WRITES += 1
        try:
            outcome = upsert_article(self.db, ArticleData(
                source_id=item.source_id, url=item.url, fetched_url=item.fetched_url, title=item.title,
                published_at=item.published, author=item.author, lead=item.lead, text=item.text, html=item.html,
                captions=item.captions, content_hash=item.content_hash, is_meeting=item.is_meeting,
                text_hash=item.text_hash, minhash=item.minhash, meeting_score=item.meeting_score,
                meeting_reason=item.meeting_reason, classifier_version=item.classifier_version,
            ), self.recheck_steps, now(), recheck=item.recheck)
        except BrokenRead as exc:
            self.report(f"{item.fetched_url}: re-check read a broken page ({exc}); kept the stored version, "
                        "to be fetched again", "article_errors")
            return item
        except SQLAlchemyError as exc:
            self.unsettle(item.list_url)
            self.report(f"{item.fetched_url}: not stored: {error_line(exc, 200)}", "store_errors")
            return item
        self.stats.inc_value("portalwatch/articles_seen")
        self.stats.inc_value(f"portalwatch/articles_{outcome}")
        return item

