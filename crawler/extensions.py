"""RunRecorder: every crawl of a source leaves a `crawl_runs` row (start, end, counts, errors),
whether it runs from `portalwatch crawl` or `scrapy crawl portal`."""

from __future__ import annotations

from collections.abc import Callable

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from store import open_db
from store.db import Database
from store.meetings import SyncReport, sync_meetings
from store.monitor import update_clusters
from store.repo import finish_run, start_run, upsert_source
from store.search import sync_search


class RunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # Migrating here, before any pipeline opens, gives every writer the current schema; under
        # `portalwatch crawl` the runner has done it already.
        self.db = open_db(crawler.settings.get("PORTALWATCH_DB"),
                          upgrade=not crawler.settings.getbool("PORTALWATCH_SCHEMA_READY"))
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        src = getattr(spider, "source", None)
        if src is None:
            return
        upsert_source(self.db, src.id, src.name, src.province, src.agency, src.start_urls)
        self.run_id = start_run(self.db, src.id, self.crawler.settings.get("PORTALWATCH_TRIGGER", "cli"))
        spider.run_id = self.run_id  # type: ignore[attr-defined]

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        stats = self.crawler.stats
        get = stats.get_value
        codes = stats.get_stats()
        http_errors = sum(v for k, v in codes.items() if k.startswith("downloader/response_status_count/")
                          and k.rsplit("/", 1)[1][:1] in "45") + int(get("downloader/exception_count", 0))
        errors: list[str] = list(getattr(spider, "errors", []))
        errors += self._derive(bool(get("portalwatch/articles_new", 0) or get("portalwatch/articles_updated", 0)), spider)
        list_pages = int(get("portalwatch/list_pages", 0))
        if list_pages == 0 or reason not in ("finished",):
            status = "failed"
        elif errors:
            status = "partial"
        else:
            status = "ok"
        error = None
        if status == "failed":
            error = errors[0] if errors else f"crawl ended: {reason}"
        finish_run(
            self.db, self.run_id, status=status, pages_fetched=int(get("downloader/response_count", 0)),
            list_pages=list_pages, articles_seen=int(get("portalwatch/articles_seen", 0)),
            articles_new=int(get("portalwatch/articles_new", 0)), articles_updated=int(get("portalwatch/articles_updated", 0)),
            articles_removed=int(get("portalwatch/articles_removed", 0)),
            articles_restored=int(get("portalwatch/articles_restored", 0)),
            list_not_modified=int(get("portalwatch/list_not_modified", 0)), rechecks=int(get("portalwatch/rechecks", 0)),
            bytes_received=int(get("downloader/response_bytes", 0)), mode=str(get("portalwatch/mode", "")),
            empty_lists=int(get("portalwatch/empty_lists", 0)),
            incomplete_articles=int(get("portalwatch/incomplete", 0)) + int(get("portalwatch/not_article", 0)),
            dateless_articles=int(get("portalwatch/no_date", 0)),
            http_errors=http_errors, errors=errors, error=error,
        )
        self.db.dispose()

    def _derive(self, changed: bool, spider: Spider) -> list[str]:
        """Bring the derived data in step before the run is recorded, and return what failed in it, so a
        failure is part of the run (its errors, a `partial` outcome) instead of a line in the log."""
        src = getattr(spider, "source", None)
        failures: list[str] = []
        steps: list[tuple[str, Callable[[Database], object]]] = [("meeting records", sync_meetings)]
        if changed:
            # New or changed bodies may join or leave near-duplicate clusters, and must be searchable.
            steps = [("clusters", update_clusters), *steps, ("search index", sync_search)]
        for name, step in steps:
            try:
                result = step(self.db)
            except Exception as exc:  # one failing step must not lose the run's record nor skip the others
                failures.append(f"{name} not updated: {type(exc).__name__}: {exc}")
                spider.logger.exception("%s not updated", name)
                continue
            if isinstance(result, SyncReport):
                failures += [str(f) for f in result.failures if src is None or f.source_id == src.id]
        return failures
