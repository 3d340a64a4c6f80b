"""Several machines (issue 15): one PostgreSQL holding the store and the job queue, a scheduler that
enqueues batches (`schedule --queue`) and two `portalwatch worker`s that crawl them. Real processes,
the farm, a throwaway PostgreSQL (tests.pg); a worker is killed with SIGKILL in the middle of a batch."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import CRAWL_ENV, crawl_pids, portalwatch_bin, query, run_cli, write_sources
from tests.farm import Farm
from tests.pg import Postgres
from tests.test_schedule import wait_for


def _env() -> dict[str, str]:
    env = {**os.environ, **CRAWL_ENV, "PORTALWATCH_DOWNLOAD_TIMEOUT": "3", "PORTALWATCH_RETRY_TIMES": "0"}
    env.pop("PORTALWATCH_DB", None)
    return env


@contextmanager
def started(*args: str, log: Path) -> Iterator[subprocess.Popen[str]]:
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen([portalwatch_bin(), *args], env=_env(), stdout=out, stderr=subprocess.STDOUT, text=True)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _crawling(db: str, source: str) -> list[int]:
    found = []
    for pid in crawl_pids(db):  # type: ignore[arg-type]
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if source.encode() in cmdline:
            found.append(pid)
    return found


def test_two_workers_share_the_queue_and_a_killed_worker_loses_nothing(fresh_farm: Farm, tmp_path: Path,
                                                                        postgres: Postgres) -> None:
    farm = fresh_farm
    toml = farm.sources_toml().replace("start_urls", 'every = "1h"\nstart_urls')
    sources = write_sources(tmp_path / "s.toml", toml)
    # What one crawl of the farm stores, on SQLite, as the reference.
    reference = tmp_path / "ref.db"
    assert run_cli("--db", str(reference), "--sources", str(sources), "crawl", "--max-pages", "5").returncode == 0
    expected = {u for (u,) in query(reference, "select url from articles")}
    farm.faults["baohatinh"] = "sluggish"  # its batch takes long enough to kill a worker in the middle of it

    db = postgres.create()
    common = ["--db", db, "--sources", str(sources)]
    worker = ["worker", "--concurrency", "1", "--stalled-after", "4"]
    with started(*common, *worker, "--name", "a", log=tmp_path / "a.log") as a, \
            started(*common, *worker, "--name", "b", log=tmp_path / "b.log") as b, \
            started(*common, "schedule", "--queue", "--batch-size", "2", "--workers", "3", "--feeds",
                    str(tmp_path / "feeds"), "--log", str(tmp_path / "pw.log"), log=tmp_path / "daemon.out") as daemon:
        # Kill the worker whose crawl process is walking baohatinh's slow pages, in the middle of it.
        wait_for(lambda: bool(_crawling(db, "baohatinh")) and bool(query(db, "select count(*) from articles "
                                                                             "where source_id = 'baohatinh'")[0][0]),
                 timeout=120)
        [child] = _crawling(db, "baohatinh")
        victim = a if _parent(child) == a.pid else b
        survivor = b if victim is a else a
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)

        # Every source ends with a finished run, the killed worker's batch crawled by the survivor.
        ids = [line.split('"')[1] for line in toml.splitlines() if line.startswith("id = ")]

        def all_done() -> bool:
            done = {sid for (sid,) in query(db, "select distinct source_id from crawl_runs where status in ('ok', 'partial')")}
            return done >= set(ids)

        wait_for(all_done, timeout=240)
        assert survivor.poll() is None and daemon.poll() is None
        survivor_log = (tmp_path / ("b.log" if survivor is b else "a.log")).read_text(encoding="utf-8")
        assert "back in the queue" in survivor_log, survivor_log[-3000:]

    stored = query(db, "select url, count(*) from articles group by url")
    assert all(n == 1 for _, n in stored), "every article stored once"
    assert {u for u, _ in stored} == expected
    # The scheduler kept the accounting: a run line for every source, the queue's jobs named.
    log = (tmp_path / "pw.log").read_text(encoding="utf-8")
    assert "job=" in log and all(f" {sid} run=" in log for sid in ids), log[-3000:]
    # Nothing stayed half-done: no run left 'running', and the queue holds no job still to do.
    assert query(db, "select count(*) from crawl_runs where status = 'running'") == [(0,)]
    # The killed worker's crawl closed its run as interrupted (its portal did not fail), and was run again.
    assert query(db, "select count(*) from crawl_runs where status = 'failed'") == [(0,)]
    assert query(db, "select count(*) from procrastinate_jobs where status in ('todo', 'doing')") == [(0,)]


def test_a_worker_needs_postgresql(tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "s.toml", '[[source]]\nid = "x"\nname = "X"\nprovince = "Hà Tĩnh"\n'
                                                 'agency = "X"\nstart_urls = ["http://127.0.0.1:9/"]\n')
    for args in (["worker"], ["schedule", "--queue", "--log", str(tmp_path / "l.log")]):
        result = run_cli("--db", str(tmp_path / "pw.db"), "--sources", str(sources), *args, timeout=60)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "needs PostgreSQL" in result.stderr and "Traceback" not in result.stderr, result.stderr
