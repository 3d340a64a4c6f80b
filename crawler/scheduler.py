"""`portalwatch schedule`: the daemon. One APScheduler 3 job per enabled source, kept in the
database (SQLAlchemy job store), so a restart resumes the schedule.

A job does not crawl: it marks its source due. Batch workers take the due sources, up to
`batch_size` at a time, and crawl them in one fresh `portalwatch crawl --source A --source B …`
subprocess: one Scrapy reactor for many portals at once, each its own spider with its own per-host
slot and its own time limit, so a hung portal costs that portal, not the batch. Start-up (about
1.8 s of CPU: the interpreter, Scrapy, the models) is paid once per batch instead of once per
source. A fresh process per batch (Twisted's reactor cannot be restarted) returns its memory when
it ends, so the daemon can run for months. `batch_size = 1` is one process per source.

Run accounting stays per source: after a batch the daemon reads each source's run, logs it (with
how late it started against its schedule), compares its health with the last verdict, records a
change (and POSTs it to a webhook when one is configured), on failure pushes its next run back
exponentially, up to a cap, and rebuilds the feeds once if anything was stored or changed. A batch
process that dies leaves its unfinished sources' runs `interrupted`; those sources, and only
those, are run again at once (once; after that they wait for their schedule).
"""

from __future__ import annotations

import http.client
import json
import logging
import logging.handlers
import os
import queue
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from crawler.children import crawl_command, die_with_parent
from crawler.clock import LOG_DATEFORMAT, now
from crawler.queue import Queue, QueueError
from crawler.sources import ConfigError, Source, load_sources
from portaltext.dates import iso
from store import open_db
from store.db import Database, error_line
from store.health import record_health_change, source_status
from store.locks import LockHeld, daemon_lock, is_free
from store.models import CrawlRun
from store.monitor import interrupt_orphaned_runs

JOB_PREFIX = "source:"
FEEDS_PAUSE_FACTOR = 4  # the wait after a feed rebuild is at least this many times its duration
BACKOFF_CAP = timedelta(hours=6)
VN_TIMEZONE = "Asia/Ho_Chi_Minh"
log = logging.getLogger("portalwatch.scheduler")


@dataclass
class DaemonConfig:
    db_url: str
    sources_file: Path
    feeds_dir: Path
    feeds_base_url: str
    log_file: Path
    workers: int = 2
    grace: float = 30.0  # seconds a running crawl may take to finish after SIGTERM
    run_timeout: float = 3600.0
    webhook: str | None = None
    max_pages: int = 5
    extra_env: dict[str, str] = field(default_factory=dict)
    batch_size: int = 100  # sources per crawl process; 1 = one process per source
    batch_linger: float = 1.0  # seconds a worker waits for more due sources before it starts a batch
    source_timeout: float = 600.0  # seconds one source may take inside a batch (Scrapy CLOSESPIDER_TIMEOUT)
    feeds_every: float = 30.0  # seconds between feed rebuilds at most; changes in between wait and join the next
    queue: bool = False  # enqueue batches for `portalwatch worker`s (crawler.queue) instead of crawling them here


@dataclass
class Batch:
    """Due sources crawled by one process, with when each fell due (for lateness)."""

    number: int
    due: dict[str, float]  # source id → time.time() it fell due


def run_log(path: Path) -> logging.Logger:
    """One line per run per source, in a rotating file. APScheduler's own messages go there too:
    a skipped run (the previous one still going) is routine on short intervals, and on stderr its
    warnings would pile up in a pipe nobody reads."""
    logger = logging.getLogger("portalwatch.runs")
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in logger.handlers):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", LOG_DATEFORMAT))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        aps = logging.getLogger("apscheduler")
        aps.addHandler(handler)
        aps.setLevel(logging.ERROR)
        aps.propagate = False
    return logger


class Daemon:
    def __init__(self, config: DaemonConfig) -> None:
        self.config = config
        # Everything that can be refused is checked before the database is touched: the sources file,
        # the webhook, another daemon on the same database.
        sources = load_sources(config.sources_file)
        if not any(s.enabled for s in sources):
            raise ConfigError(f"{config.sources_file}: no enabled source to schedule")
        self.notifier = Notifier(config.webhook, logging.getLogger("portalwatch.runs")) if config.webhook else None
        self.lock = daemon_lock(config.db_url)
        try:
            self.lock.acquire()
        except LockHeld as exc:
            raise ConfigError(f"--db {config.db_url}: {exc}; one daemon per database") from None
        self.db: Database = open_db(config.db_url)
        self.queue: Queue | None = None
        if config.queue:
            try:
                self.queue = Queue(config.db_url)
            except QueueError as exc:
                self.lock.release()
                raise ConfigError(str(exc)) from None
        self.sources: dict[str, Source] = {s.id: s for s in sources}
        self.stopping = threading.Event()
        self.children: dict[int, subprocess.Popen[str]] = {}  # batch number → its crawl process
        self.children_lock = threading.Lock()
        # Due sources waiting for a batch, and the ones a batch is crawling: a source is never in two.
        self.due: dict[str, float] = {}
        self.inflight: set[str] = set()
        self.retried: set[str] = set()  # sources already re-run once after their batch died
        self.due_changed = threading.Condition()
        self.batch_count = 0
        self.batchers: list[threading.Thread] = []
        self.feeds_lock = threading.Lock()
        self.feeds_due = threading.Event()
        self.feeds_thread = threading.Thread(target=self._feeds_worker, name="feeds", daemon=True)
        self.health: dict[str, str] = {}
        self.runs_log = run_log(config.log_file)
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=config.db_url, tablename="apscheduler_jobs")},
            executors={"default": ThreadPoolExecutor(max_workers=2)},
            # Missed runs (the daemon was down) collapse into one. A job only marks its source due, so one
            # thread is plenty; the batch workers crawl.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=VN_TIMEZONE,
        )

    # ------------------------------------------------------------------ jobs
    def sync_jobs(self) -> list[str]:
        """Make the stored jobs match the sources file; returns the scheduled source ids."""
        self.sources = {s.id: s for s in load_sources(self.config.sources_file)}
        wanted = {s.id for s in self.sources.values() if s.enabled}
        for job in self.scheduler.get_jobs():
            sid = job.id.removeprefix(JOB_PREFIX)
            if sid not in wanted:
                job.remove()  # removed or disabled: the job goes, the articles stay
        for sid in sorted(wanted):
            s = self.sources[sid]
            jitter = int(s.jitter.total_seconds()) or None
            trigger: Any
            if s.cron:
                trigger = CronTrigger.from_crontab(s.cron, timezone=VN_TIMEZONE)
                trigger.jitter = jitter
            else:
                trigger = IntervalTrigger(seconds=max(1, int(s.interval.total_seconds())), jitter=jitter,
                                          timezone=VN_TIMEZONE)
            existing = self.scheduler.get_job(JOB_PREFIX + sid)
            if existing is not None and str(existing.trigger) == str(trigger):
                continue  # unchanged: keep its next run time across restarts
            self.scheduler.add_job(run_job, trigger, args=[sid], id=JOB_PREFIX + sid, name=sid,
                                   replace_existing=True, next_run_time=datetime.now().astimezone())
        for sid in wanted:
            self.health.setdefault(sid, source_status(self.db, self.sources[sid], now()).health)
        return sorted(wanted)

    def next_run(self, source_id: str) -> datetime | None:
        job = self.scheduler.get_job(JOB_PREFIX + source_id)
        return job.next_run_time if job else None

    # ------------------------------------------------------------------ batches
    def mark_due(self, source_id: str, at: float | None = None) -> None:
        """The job of `source_id` fired: queue it for the next batch, unless it is queued or running."""
        with self.due_changed:
            if self.stopping.is_set() or source_id in self.due or source_id in self.inflight:
                return
            self.due[source_id] = time.time() if at is None else at
            self.due_changed.notify()

    def _next_batch(self) -> Batch | None:
        with self.due_changed:
            while not self.due and not self.stopping.is_set():
                self.due_changed.wait(0.5)
            if self.stopping.is_set():
                return None
        if len(self.due) < self.config.batch_size:
            # Jobs due at the same moment fire a few milliseconds apart: gather them into one batch.
            self.stopping.wait(self.config.batch_linger)
        with self.due_changed:
            if self.stopping.is_set() or not self.due:
                return None
            taken = list(self.due)[: self.config.batch_size]
            due = {sid: self.due.pop(sid) for sid in taken}
            self.inflight.update(taken)
            self.batch_count += 1
            return Batch(self.batch_count, due)

    def _batch_worker(self) -> None:
        while not self.stopping.is_set():
            batch = self._next_batch()
            if batch is None:
                continue
            try:
                self.run_batch(batch)
            except Exception as exc:  # noqa: BLE001 - one batch's failure must not stop the daemon
                self.runs_log.error("batch %d (%s) failed in the daemon: %s", batch.number, " ".join(batch.due),
                                    error_line(exc), exc_info=bool(os.environ.get("PORTALWATCH_DEBUG")))
            finally:
                with self.due_changed:
                    self.inflight.difference_update(batch.due)

    def run_batch(self, batch: Batch) -> None:
        if self.stopping.is_set():
            return
        ids = [sid for sid in batch.due if sid in self.sources]
        if not ids:
            return
        started = time.monotonic()
        with self.db.session() as s:
            last_id = s.scalar(select(CrawlRun.id).order_by(CrawlRun.id.desc()).limit(1)) or 0
        if self.queue is not None:
            returncode, out, err = self._run_queued(batch, ids)
        else:
            returncode, out, err = self._run_here(batch, ids)
        seconds = time.monotonic() - started
        runs = self._runs_after(ids, last_id)
        if len(ids) > 1:
            self.runs_log.info("batch %d sources=%d exit=%s seconds=%.1f", batch.number, len(ids), returncode, seconds)
        changed = False
        unfinished: list[str] = []
        for sid in ids:
            run = runs.get(sid)
            if run is None or run.status in ("running", "interrupted"):
                unfinished.append(sid)
            if run is None:
                last_line = (err or out).strip().splitlines()[-1:] or ["no output"]
                self.runs_log.info("%s run=none exit=%s seconds=%.1f error=%s", sid, returncode, seconds,
                                   last_line[0][:300])
            else:
                if run.status not in ("running", "interrupted"):
                    self.retried.discard(sid)
                self._log_run(sid, run, batch.due[sid])
                changed = changed or bool(run.articles_new or run.articles_updated or run.articles_removed
                                          or run.articles_restored)
        if changed:
            self.feeds_changed()
        for sid in ids:
            self._after_run(self.sources[sid])
        self._retry(unfinished, returncode)

    def _run_here(self, batch: Batch, ids: list[str]) -> tuple[int | None, str, str]:
        """The batch in a crawl process of this daemon's: (exit code, stdout, stderr)."""
        cmd, env = crawl_command(self.config.db_url, self.config.sources_file, ids, self.config.max_pages,
                                 self.config.source_timeout, self.config.extra_env)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True, preexec_fn=die_with_parent)
        with self.children_lock:
            self.children[batch.number] = proc
        try:
            out, err = proc.communicate(timeout=self.config.run_timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        finally:
            with self.children_lock:
                self.children.pop(batch.number, None)
        return proc.returncode, out, err

    def _run_queued(self, batch: Batch, ids: list[str]) -> tuple[int | None, str, str]:
        """The batch as a job for the workers (crawler.queue), waited for: the same accounting follows."""
        assert self.queue is not None
        job = self.queue.defer(ids, self.config.max_pages, self.config.source_timeout)
        if job is None:
            return None, "", f"batch {batch.number}: the same batch is still waiting in the queue"
        status = self.queue.wait(job, self.config.run_timeout, self.stopping)
        code = {"succeeded": 0, "gone": 0, "failed": 1}.get(status)
        self.runs_log.info("batch %d job=%d status=%s", batch.number, job, status)
        return code, "", f"job {job}: {status}"

    def _retry(self, unfinished: list[str], returncode: int | None) -> None:
        """Sources a dead batch did not finish are run again at once, in the next batch; once, so a
        portal that kills every process it is crawled in waits for its schedule like any failing one."""
        if self.stopping.is_set():
            return
        for sid in unfinished:
            if sid in self.retried:
                self.retried.discard(sid)
                continue
            self.retried.add(sid)
            with self.due_changed:
                self.inflight.discard(sid)
            if is_free(self.config.db_url, sid):
                self.runs_log.info("%s unfinished (its crawl process ended with %s); running it again now", sid,
                                   returncode)
                self.mark_due(sid)
            else:
                # A crawl of it is still closing (the crawl of a killed queue worker recording its run,
                # say): run now, the retry would be refused by the source lock.
                self.runs_log.info("%s unfinished (its crawl process ended with %s); running it again when the "
                                   "crawl still holding it has closed", sid, returncode)
                threading.Thread(target=self._retry_when_free, args=(sid,), name=f"retry-{sid}", daemon=True).start()

    def _retry_when_free(self, sid: str) -> None:
        deadline = time.monotonic() + self.config.source_timeout + 60
        while not self.stopping.is_set() and time.monotonic() < deadline and not is_free(self.config.db_url, sid):
            self.stopping.wait(1.0)
        self.mark_due(sid)

    def _log_run(self, sid: str, run: CrawlRun, due_at: float) -> None:
        late = max(0.0, run.started_at.timestamp() - due_at)
        self.runs_log.info(
            "%s run=%d status=%s mode=%s pages=%d new=%d updated=%d removed=%d http_errors=%d seconds=%.1f late=%.1f%s",
            sid, run.id, run.status, run.mode, run.pages_fetched, run.articles_new, run.articles_updated,
            run.articles_removed, run.http_errors,
            ((run.finished_at or run.started_at) - run.started_at).total_seconds(), late,
            f" error={run.error[:300]}" if run.error else "")
        if not self.sources[sid].tls_verify:
            self.runs_log.warning("%s TLS certificate verification is OFF for this source (tls_verify = false)", sid)

    def _runs_after(self, source_ids: list[str], last_id: int) -> dict[str, CrawlRun]:
        """Each source's newest run since `last_id`."""
        with self.db.session() as s:
            rows = s.scalars(select(CrawlRun).where(CrawlRun.source_id.in_(source_ids), CrawlRun.id > last_id)
                             .order_by(CrawlRun.id))
            return {r.source_id: r for r in rows}

    def _after_run(self, source: Source) -> None:
        status = source_status(self.db, source, now())
        # A first run of a new source that goes well is no news; one that fails is (new counts as ok).
        old = self.health.get(source.id, "ok").replace("new", "ok")
        if status.health != old:
            self.health[source.id] = status.health
            self.runs_log.info("%s health %s -> %s %s", source.id, old, status.health, status.detail)
            self.notify(source, old, status.health, status.detail)
            try:
                record_health_change(self.db, source.id, old, status.health, status.detail, now())
            except Exception as exc:  # noqa: BLE001 - a full disk here must not skip the backoff below
                self.runs_log.error("%s health change not fully recorded: %s", source.id, error_line(exc))
            self.feeds_changed()  # the operator feed
        if status.consecutive_failures and not self.stopping.is_set():
            delay = min(source.interval * (2 ** (status.consecutive_failures - 1)), BACKOFF_CAP)
            delay = max(delay, source.interval)
            job = self.scheduler.get_job(JOB_PREFIX + source.id)
            if job is not None:
                job.modify(next_run_time=datetime.now().astimezone() + delay)

    def notify(self, source: Source, old: str, new: str, detail: str) -> None:
        if self.notifier is not None:
            self.notifier.send({"source": source.id, "name": source.name, "old": old, "health": new,
                                "detail": detail, "at": iso(now())})

    def feeds_changed(self) -> None:
        """Something the feeds show changed: they are rebuilt soon, by the feeds thread. Rebuilding
        every feed after every run that stored something would, at thousands of sources, rebuild
        thousands of files several times a second; rebuilds are at most `feeds_every` apart."""
        self.feeds_due.set()

    def _feeds_worker(self) -> None:
        while not self.stopping.is_set():
            if not self.feeds_due.wait(0.5):
                continue
            self.feeds_due.clear()
            started = time.monotonic()
            self._rebuild_logged()
            took = time.monotonic() - started
            # Every feed of thousands of sources is thousands of files: however long a rebuild takes,
            # the crawls get at least four times as long before the next one.
            self.stopping.wait(max(self.config.feeds_every, FEEDS_PAUSE_FACTOR * took))

    def _rebuild_logged(self) -> None:
        try:
            self.rebuild_feeds()
        except Exception as exc:  # noqa: BLE001 - the next change tries again; said in the run log
            self.runs_log.error("feeds not rebuilt: %s", error_line(exc))

    def rebuild_feeds(self) -> None:
        from feeds.build import build_all

        with self.feeds_lock:
            build_all(self.db, self.config.feeds_dir, base_url=self.config.feeds_base_url,
                      intervals={sid: s.interval for sid, s in self.sources.items() if s.enabled})

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> list[str]:
        global _DAEMON
        _DAEMON = self
        interrupted = [sid for sid, trigger in interrupt_orphaned_runs(self.db, now()).items() if trigger == "schedule"]
        if self.notifier is not None:
            self.notifier.start()
        self.scheduler.start(paused=True)
        scheduled = self.sync_jobs()
        for sid in sorted(interrupted):
            # A run cut short by a crash is resumed at once, not at the next scheduled time.
            self.runs_log.info("%s run of a previous daemon was interrupted; running again now", sid)
            job = self.scheduler.get_job(JOB_PREFIX + sid)
            if job is not None:
                job.modify(next_run_time=datetime.now().astimezone())
        self.feeds_thread.start()
        for n in range(self.config.workers):
            worker = threading.Thread(target=self._batch_worker, name=f"batch-{n}", daemon=True)
            worker.start()
            self.batchers.append(worker)
        self.scheduler.resume()
        return scheduled

    def stop(self) -> None:
        """Take no new runs; let running crawls finish within the grace period, then stop them."""
        self.stopping.set()
        with self.due_changed:
            self.due_changed.notify_all()
        self.scheduler.pause()
        deadline = time.monotonic() + self.config.grace
        while time.monotonic() < deadline:
            with self.children_lock:
                if not self.children:
                    break
            time.sleep(0.1)
        with self.children_lock:
            running = list(self.children.values())
        for proc in running:
            # Scrapy closes the spider cleanly on SIGTERM: the run is recorded, nothing half-written.
            proc.send_signal(signal.SIGTERM)
        for proc in running:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.scheduler.shutdown(wait=True)
        self.feeds_thread.join(5)
        if self.feeds_due.is_set():
            self._rebuild_logged()  # what the last runs changed is in the feeds left behind
        if self.notifier is not None:
            self.notifier.stop()
        if self.queue is not None:
            self.queue.close()
        self.db.dispose()
        self.lock.release()




class Notifier:
    """Webhook deliveries off the crawl workers: a bounded queue and one sender thread, each POST
    with a total deadline (not urllib's per-read timeout, which a server sending a byte every few
    seconds never trips). A slow or dead endpoint costs lost notifications, said in the log, never
    a stalled daemon, a skipped backoff or a skipped feed rebuild."""

    QUEUE = 100
    DEADLINE = 10.0  # seconds for one delivery, connection to last byte

    def __init__(self, url: str, log: logging.Logger) -> None:
        self.url = check_webhook(url)
        self.log = log
        self.queue: queue.Queue[dict[str, Any] | None] = queue.Queue(self.QUEUE)
        self.thread = threading.Thread(target=self._run, name="webhook", daemon=True)
        self.sent = self.failed = self.dropped = 0

    def start(self) -> None:
        self.thread.start()

    def send(self, payload: dict[str, Any]) -> None:
        try:
            self.queue.put_nowait(payload)
        except queue.Full:
            self.dropped += 1
            self.log.warning("webhook %s: queue full (%d waiting); dropped the notification for %s",
                             self.url, self.QUEUE, payload.get("source"))

    def stop(self, wait: float = 2.0) -> None:
        try:
            self.queue.put_nowait(None)
        except queue.Full:
            pass
        if self.thread.is_alive():
            self.thread.join(wait)  # a daemon thread: a delivery still hanging does not hold the exit

    def _run(self) -> None:
        while (payload := self.queue.get()) is not None:
            try:
                self.deliver(payload)
                self.sent += 1
            except Exception as exc:  # noqa: BLE001 - every failure is one log line, then the next one
                self.failed += 1
                self.log.warning("webhook %s failed for %s: %s", self.url, payload.get("source"),
                                 f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)

    def deliver(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        parts = urlsplit(self.url)
        deadline = time.monotonic() + self.DEADLINE
        conn_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = conn_type(parts.hostname or "", parts.port, timeout=self.DEADLINE)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json",
                                                           "User-Agent": "portalwatch-webhook"})
            response = conn.getresponse()
            while True:  # read the answer against the deadline, not per read
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no complete answer within {self.DEADLINE:.0f} s")
                if conn.sock is not None:
                    conn.sock.settimeout(left)
                if not response.read1(4096):  # one recv at most: the deadline is checked between them
                    break
            # Redirects are not followed: a webhook that moves must be reconfigured, not chased to other hosts.
            if response.status >= 300:
                raise OSError(f"HTTP {response.status}")
        finally:
            conn.close()


def check_webhook(url: str) -> str:
    """An http(s) URL with a host, or ConfigError naming the option."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--webhook: not an http(s) URL: {url!r}")
    try:
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        raise ConfigError(f"--webhook: bad port in {url!r}") from None
    return url


_DAEMON: Daemon | None = None


def run_job(source_id: str) -> None:
    """The job function the job store refers to by name (jobs must be importable references)."""
    if _DAEMON is not None:
        try:
            _DAEMON.mark_due(source_id)
        except Exception as exc:  # noqa: BLE001 - one source's failure must not stop the daemon
            # One line in the run log, where the operator reads runs; PORTALWATCH_DEBUG adds the traceback.
            _DAEMON.runs_log.error("%s run failed in the daemon: %s", source_id, error_line(exc),
                                   exc_info=bool(os.environ.get("PORTALWATCH_DEBUG")))
