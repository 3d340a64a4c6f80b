"""RunRecorder: every crawl of a source leaves a `crawl_runs` row (start, end, counts, errors),
whether it runs from `portalwatch crawl` or `scrapy crawl portal`."""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from sqlalchemy.exc import SQLAlchemyError
from twisted.python.failure import Failure

from crawler.clock import now
from crawler.pipelines.store import store_writes
from store import open_db
from store.db import error_line, shared_db
from store.derived import sync_all
from store.locks import Lock, LockHeld, source_lock
from store.monitor import interrupt_orphaned_runs
from store.repo import finish_run, start_run, upsert_source

STORE_FAILED = "store failed"


class _OneLine(logging.Filter):
    """Scrapy logs a robots.txt that cannot be fetched (a dead host) with a 70-line traceback; the
    crawl's own error for that host says it in one line, so the log gets one line too."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            exc = record.exc_info[1]
            record.msg = f"{record.getMessage().splitlines()[0]} ({type(exc).__name__})"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True


def quiet_tracebacks() -> None:
    log = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if not any(isinstance(f, _OneLine) for f in log.filters):
        log.addFilter(_OneLine())


def first_store_error(errors: list[str]) -> str:
    return next((e for e in errors if ": not stored: " in e), errors[0] if errors else "?")


_SYNCED_AT_WRITES: int | None = None  # store_writes() when this process last synced the derived data
_SYNCED_AT: float = 0.0  # time.monotonic() of that sync
# In a batch, spiders closing within this many seconds of the process's last sync leave theirs to
# the next one, or to the sync the runner does when the batch ends (crawler.runner.run_crawls):
# each sync reclusters every stored signature, so one per spider would cost a batch quadratically.
SYNC_EVERY = 10.0


def sync_pending() -> bool:
    """Whether this process wrote something its last derived-data sync has not seen."""
    return _SYNCED_AT_WRITES != store_writes()


class RunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # Migrating here, before any pipeline opens, gives every writer the current schema; under
        # `portalwatch crawl` the runner has done it already.
        url = crawler.settings.get("PORTALWATCH_DB")
        if not crawler.settings.getbool("PORTALWATCH_SCHEMA_READY"):
            open_db(url).dispose()
        self.db = shared_db(url)
        self.run_id: int | None = None
        self.lock: Lock | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        quiet_tracebacks()
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_error, signal=signals.item_error)
        return ext

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Failure) -> None:
        """A pipeline raised on one article (a fingerprint, a store step no one foresaw): Scrapy logs
        it and goes on with the others; the run must say so too, or "0 errors" would be untrue. The
        article's list page is unsettled so the next crawl reads it again."""
        url = getattr(item, "fetched_url", None) or getattr(response, "url", "?")
        exc = failure.value
        message = f"{url}: not processed: {type(exc).__name__}: {str(exc)[:200]}"
        record = getattr(spider, "_record", None)
        if record is not None:
            record(message, "article_errors")
        unsettled = getattr(spider, "unsettled_lists", None)
        list_url = getattr(item, "list_url", None)
        if unsettled is not None and list_url:
            unsettled.add(list_url)

    def spider_opened(self, spider: Spider) -> None:
        src = getattr(spider, "source", None)
        if src is None:
            return
        # Held from before the run's row exists until after it is finished: a `running` row whose
        # lock is free is an orphan (store.monitor.interrupt_orphaned_runs), and no source is crawled
        # twice at once, whoever started the second crawl.
        lock = source_lock(self.db.url, src.id)
        try:
            self.lock = lock.acquire()
        except LockHeld as exc:
            spider.locked_out = f"{src.id}: not crawled: {exc}"  # type: ignore[attr-defined]
            spider.logger.warning(spider.locked_out)  # type: ignore[attr-defined]
            return
        try:
            # We hold this source's lock: a 'running' row of it was left by a process that died. (Other
            # sources' orphans are closed by the command or daemon that starts; checking them all here,
            # once per spider of a batch, would cost a lock probe per running row per spider.)
            interrupt_orphaned_runs(self.db, now(), held=src.id, only_held=True)
            upsert_source(self.db, src.id, src.name, src.province, src.agency, src.start_urls)
            self.run_id = start_run(self.db, src.id, self.crawler.settings.get("PORTALWATCH_TRIGGER", "cli"))
        except SQLAlchemyError as exc:
            lock.release()
            reason = error_line(exc)
            spider.locked_out = f"{src.id}: not crawled: the run cannot be recorded: {reason}"  # type: ignore[attr-defined]
            spider.logger.error(spider.locked_out)  # type: ignore[attr-defined]
            return
        spider.run_id = self.run_id  # type: ignore[attr-defined]

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        try:
            self._finish(spider, reason)
        except SQLAlchemyError as exc:
            # The store cannot take the run's record (a full disk): said in one line; the row stays
            # 'running' and becomes 'interrupted' at the next start of any command.
            spider.logger.error("%s: run %s not recorded: %s", getattr(spider, "name", "?"), self.run_id,
                                error_line(exc))
            self.crawler.stats.set_value("portalwatch/run_not_recorded", 1)
        finally:
            if self.lock is not None:
                self.lock.release()
            self.db.dispose()

    def _finish(self, spider: Spider, reason: str) -> None:
        assert self.run_id is not None
        stats = self.crawler.stats
        get = stats.get_value
        codes = stats.get_stats()
        http_errors = sum(v for k, v in codes.items() if k.startswith("downloader/response_status_count/")
                          and k.rsplit("/", 1)[1][:1] in "45") + int(get("downloader/exception_count", 0))
        errors: list[str] = list(getattr(spider, "errors", []))
        errors += self._derive(spider)
        list_pages = int(get("portalwatch/list_pages", 0))
        store_errors = int(get("portalwatch/store_errors", 0))
        error = None
        if reason == "shutdown":
            # SIGTERM/SIGINT: the daemon or worker stopping, or dying (crawler.children stops a crawl
            # whose parent died the same way). Nothing is wrong with the portal: not a failure for its health, and a scheduler
            # runs the source again like any other unfinished one.
            status = "interrupted"
            error = "stopped by a signal before the run finished (its daemon or worker stopped or died)"
        elif list_pages == 0 or reason not in ("finished",):
            status = "failed"
        elif store_errors:
            # Articles were fetched and lost on the way into the store: not a partial success.
            status = "failed"
            error = f"{STORE_FAILED}: {store_errors} writes failed; first: {first_store_error(errors)}"
        elif errors:
            status = "partial"
        else:
            status = "ok"
        if status == "failed" and error is None:
            if reason == "closespider_timeout":
                limit = self.crawler.settings.getfloat("CLOSESPIDER_TIMEOUT")
                error = f"time limit reached: the source took longer than {limit:.0f} s and was stopped"
            else:
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

    def _derive(self, spider: Spider) -> list[str]:
        """Bring the derived data in step before the run is recorded, and return what failed in it, so a
        failure is part of the run (its errors, a `partial` outcome) instead of a line in the log. What
        is synced is whatever is out of date, also what an earlier killed run left behind."""
        global _SYNCED_AT_WRITES, _SYNCED_AT
        src = getattr(spider, "source", None)
        writes = store_writes()
        if _SYNCED_AT_WRITES == writes:
            # This process synced after its last write (an earlier spider of the batch): nothing new
            # to derive, and each of the batch's spiders syncing again would repeat the same queries.
            return []
        if _SYNCED_AT_WRITES is not None and time.monotonic() - _SYNCED_AT < SYNC_EVERY:
            return []
        report = sync_all(self.db)
        _SYNCED_AT_WRITES, _SYNCED_AT = writes, time.monotonic()
        mine = [str(f) for f in report.article_failures if src is None or f.source_id == src.id]
        steps = [f for f in report.failures if " not updated: " in f]
        return steps + mine
