"""The shared job queue for several machines: procrastinate, on the same PostgreSQL as the store.

One scheduler (`portalwatch schedule --queue`) decides what is due and enqueues batches of source
ids; any number of `portalwatch worker` processes, on any machines, take the batches and crawl each
in a `portalwatch crawl` subprocess that dies with its worker. The scheduler waits for each batch's
job and keeps the per-source accounting (runs log, health, backoff, webhook, feeds) it has on one
machine: a batch is the same `crawl --source …` command either way.

Why procrastinate rather than a home-made queue: it takes each job exactly once across workers
(`SELECT … FOR UPDATE SKIP LOCKED`), its `queueing_lock` refuses a second copy of a batch that is
still waiting and its `lock` stops two runs of one batch at once, and it records worker heartbeats,
so the jobs of a worker killed with SIGKILL can be found and given to another
(`retry_stalled`). A batch that runs twice stores nothing twice: articles are keyed by URL and a
crawl only adds what is new.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from crawler.children import crawl_command, die_with_parent
from store.db import libpq_url

QUEUE = "crawl"
TASK = "portalwatch.crawl_batch"
DONE = ("succeeded", "failed", "cancelled", "aborted")
log = logging.getLogger("portalwatch.worker")


class QueueError(Exception):
    """The queue cannot be used with this database, worded for a one-line message."""


def conninfo(db_url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL; QueueError for any other database."""
    url = make_url(db_url)
    if url.get_backend_name() != "postgresql":
        raise QueueError(f"--db {url.render_as_string(hide_password=True)}: the shared queue needs PostgreSQL "
                         "(--db postgresql+psycopg://user@host/db); SQLite runs `portalwatch schedule` alone")
    return libpq_url(db_url)


@dataclass
class WorkerConfig:
    db_url: str
    sources_file: Path
    concurrency: int = 1  # batches this worker crawls at once, each in its own process
    name: str = ""
    stalled_after: float = 30.0  # seconds without a heartbeat after which a worker's jobs go to others
    heartbeat: float = 10.0


_CONFIG: WorkerConfig | None = None  # the running worker's, for the task (procrastinate passes only job args)


def batch_key(source_ids: list[str]) -> str:
    """One name per set of sources: the same batch enqueued twice has the same locks."""
    return "batch-" + hashlib.sha256("\n".join(sorted(source_ids)).encode()).hexdigest()[:16]


async def crawl_batch(sources: list[str], max_pages: int, source_timeout: float) -> int:
    """The job: crawl these sources in one process of this worker's; returns its exit code. The
    scheduler reads the runs it recorded, per source, so a failing portal is not a failed job."""
    config = _CONFIG
    if config is None:  # pragma: no cover - only `portalwatch worker` runs jobs
        raise QueueError("crawl_batch runs inside `portalwatch worker`")
    cmd, env = crawl_command(config.db_url, config.sources_file, sources, max_pages, source_timeout)
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(*cmd, env=env, stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.PIPE, start_new_session=True,
                                                preexec_fn=die_with_parent)
    log.info("batch of %d source(s) in process %d: %s", len(sources), proc.pid, " ".join(sources))
    try:
        _, err = await proc.communicate()
    except asyncio.CancelledError:
        proc.send_signal(signal.SIGTERM)  # the worker is stopping past its grace period
        await proc.wait()
        raise
    last = (err or b"").decode(errors="replace").strip().splitlines()[-1:]
    log.info("batch of %d source(s) exit=%s seconds=%.1f%s", len(sources), proc.returncode,
             time.monotonic() - started, f" last={last[0][:200]}" if proc.returncode and last else "")
    return int(proc.returncode or 0)


def make_app(db_url: str) -> Any:
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(db_url)))
    app.task(name=TASK, queue=QUEUE)(crawl_batch)
    return app


def ensure_schema(db_url: str) -> None:
    """procrastinate's tables in the store's database, created once (by whoever comes first)."""
    import psycopg
    from procrastinate import schema

    from store.locks import Lock

    lock = Lock(db_url, "queue-schema", "the creation of the job queue's tables").acquire(wait=True)
    try:
        with psycopg.connect(conninfo(db_url), autocommit=True) as con:
            row = con.execute("select to_regclass('procrastinate_jobs') is not null").fetchone()
            if row and row[0]:
                return
            con.execute(schema.SchemaManager.get_schema())
    finally:
        lock.release()


class Queue:
    """The scheduler's side: enqueue a batch, then wait for its job to be done."""

    def __init__(self, db_url: str) -> None:
        ensure_schema(db_url)
        self.app = make_app(db_url).open()

    def defer(self, sources: list[str], max_pages: int, source_timeout: float) -> int | None:
        """The new job's id; None when this batch is already waiting in the queue."""
        from procrastinate import exceptions

        key = batch_key(sources)
        try:
            return int(self.app.configure_task(TASK, lock=key, queueing_lock=key, queue=QUEUE)
                       .defer(sources=sources, max_pages=max_pages, source_timeout=source_timeout))
        except exceptions.AlreadyEnqueued:
            return None

    def status(self, job_id: int) -> str:
        jobs = list(self.app.job_manager.list_jobs(id=job_id))
        return str(jobs[0].status) if jobs else "gone"  # successful jobs are deleted

    def wait(self, job_id: int, timeout: float, stopping: Any, poll: float = 1.0) -> str:
        """The job's final status, or its status when `timeout` passed or `stopping` was set."""
        deadline = time.monotonic() + timeout
        status = self.status(job_id)
        while status not in DONE and status != "gone" and time.monotonic() < deadline and not stopping.is_set():
            stopping.wait(poll)
            status = self.status(job_id)
        return status

    def close(self) -> None:
        self.app.close()


async def retry_stalled(app: Any, stalled_after: float) -> list[int]:
    """Give the jobs of workers that stopped beating (killed, machine gone) back to the queue."""
    retried = []
    for job in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stalled_after):
        try:
            await app.job_manager.retry_job(job)
        except Exception as exc:  # noqa: BLE001 - another worker retried it first
            log.info("job %s: not retried (%s)", job.id, exc)
            continue
        retried.append(int(job.id))
        log.warning("job %s (%s) of a stalled worker: back in the queue", job.id, job.task_kwargs.get("sources"))
    return retried


def _log_to_stderr() -> None:
    from crawler.clock import LOG_DATEFORMAT

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s", LOG_DATEFORMAT))
    for name, level in (("portalwatch.worker", logging.INFO), ("procrastinate", logging.WARNING)):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False


def run_worker(config: WorkerConfig) -> None:
    """Take and crawl batches until SIGTERM/SIGINT (a running batch is finished first)."""
    global _CONFIG
    _CONFIG = config
    _log_to_stderr()
    ensure_schema(config.db_url)
    app = make_app(config.db_url)
    name = config.name or f"{socket.gethostname()}-{os.getpid()}"

    async def watch_stalled() -> None:
        while True:
            try:
                await retry_stalled(app, config.stalled_after)
            except Exception as exc:  # noqa: BLE001 - the database is back on the next round
                log.warning("looking for stalled jobs failed: %s", exc)
            await asyncio.sleep(max(1.0, config.stalled_after / 3))

    async def main() -> None:
        async with app.open_async():
            watcher = asyncio.create_task(watch_stalled())
            try:
                await app.run_worker_async(queues=[QUEUE], name=name, concurrency=config.concurrency,
                                           update_heartbeat_interval=config.heartbeat,
                                           stalled_worker_timeout=config.stalled_after,
                                           fetch_job_polling_interval=1.0, delete_jobs="successful")
            finally:
                watcher.cancel()

    asyncio.run(main())
