"""Judge each article: is it a meeting report (portaltext.classify)? The score and the reason go
with the article to the store, the export and the article page."""

from __future__ import annotations

from typing import Any

from crawler.items import ArticleItem
from portaltext.classify import classify, model

from . import CrawlerPipeline


class ClassifyPipeline(CrawlerPipeline):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        try:
            verdict = classify(item.title, item.paragraphs)
        except Exception as exc:  # one article the classifier cannot read must not stop the others
            item.is_meeting, item.meeting_score = False, None
            item.meeting_reason = f"classifier failed: {type(exc).__name__}: {exc}"
            # No classifier_version: the next sync judges it again, and shows the failure until then.
            self.report(f"{item.fetched_url}: classifier failed: {type(exc).__name__}: {exc}", "classify_errors")
            return item
        item.is_meeting, item.meeting_score, item.meeting_reason = verdict.is_meeting, verdict.score, verdict.reason
        item.classifier_version = model().version
        if item.is_meeting:
            self.stats.inc_value("portalwatch/meetings")
        return item
