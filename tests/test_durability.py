"""Durability and concurrency on one SQLite file: a daemon killed with SIGKILL in the middle of a
crawl, and the daemon, the feed server, export and status all running at once."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import feedparser

from tests.conftest import CRAWL_ENV, crawl_pids, portalwatch_bin, query, run_cli, write_sources
from tests.farm import Farm
from tests.farm.scoring import fetch
from tests.test_schedule import daemon, runs, wait_for


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PORT = _free_port()


def _kill_crawls_of(db: Path) -> int:
    """SIGKILL every crawl process writing to this database (a crash takes them down too)."""
    killed = 0
    for pid in crawl_pids(db):
        try:
            os.kill(pid, signal.SIGKILL)
            killed += 1
        except ProcessLookupError:
            pass
    return killed


def _stored(db: Path) -> int:
    try:
        return int(query(db, "select count(*) from articles")[0][0]) if db.exists() else 0
    except sqlite3.OperationalError:
        return 0  # the daemon is still creating the schema


def test_sigkill_mid_crawl_loses_and_duplicates_nothing(fresh_farm: Farm, tmp_path: Path) -> None:
    farm = fresh_farm
    farm.faults["baohatinh"] = "sluggish"
    db = tmp_path / "pw.db"
    sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["baohatinh"]).replace(
        "start_urls", 'every = "1h"\nstart_urls'))
    with daemon(tmp_path, sources) as proc:
        wait_for(lambda: _stored(db) >= 5)
        # A crash of the machine: the crawl and the daemon die at once, neither cleaning up. (Killing the
        # daemon alone now stops its crawl with SIGTERM, cleanly: crawler.children.)
        assert _kill_crawls_of(db) >= 1, "the crawl was still going"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    stored = query(db, "select count(*) from articles")[0][0]
    assert 5 <= stored < len(farm.expected("baohatinh")), "killed in the middle"
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select status from crawl_runs") == [("running",)]

    farm.faults.clear()
    with daemon(tmp_path, sources) as proc:
        wait_for(lambda: any(s == "ok" for (_, s, _, _) in runs(db, "baohatinh")))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    assert query(db, "pragma integrity_check") == [("ok",)]
    assert query(db, "select status from crawl_runs order by id") == [("interrupted",), ("ok",)]
    assert query(db, "select mode from crawl_runs where status = 'ok'") == [("first",)], "the lists are walked again"
    [(n, distinct)] = query(db, "select count(*), count(distinct url) from articles")
    assert n == distinct == len(farm.expected("baohatinh")), "the next cycle completed the work, once each"


def test_schedule_serve_export_and_status_at_once(farm: Farm, tmp_path: Path) -> None:
    db = tmp_path / "pw.db"
    sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["baohatinh", "vinhyen", "sxd-vinhphuc"])
                            .replace("start_urls", 'every = "1s"\nstart_urls'))
    assert run_cli("--db", str(db), "--sources", str(sources), "crawl").returncode == 0  # the schema and some data
    env = {**os.environ, **CRAWL_ENV}
    with daemon(tmp_path, sources) as proc:
        serve = subprocess.Popen([portalwatch_bin(), "--db", str(db), "serve", "--port", str(PORT)], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            failures: list[str] = []
            # At least 15 s and three rounds of readers against the crawling daemon (a loaded machine
            # takes longer per round; the point is that they overlap, not how fast they are).
            deadline, cap = time.monotonic() + 15, time.monotonic() + 120
            rounds = 0
            while (time.monotonic() < deadline or rounds < 3) and time.monotonic() < cap:
                for args in (("export", "--format", "jsonl"), ("status", "--json")):
                    r = run_cli("--db", str(db), "--sources", str(sources), *args)
                    if r.returncode != 0 or "locked" in r.stderr.lower():
                        failures.append(f"{args[0]}: {r.returncode} {r.stderr[-300:]}")
                rounds += 1
            for _ in range(50):
                try:
                    feed = feedparser.parse(fetch(f"http://127.0.0.1:{PORT}/feeds/meetings.atom").encode())
                    break
                except OSError:
                    time.sleep(0.2)
            assert feed.bozo == 0
            assert not failures, failures
            assert rounds >= 3
        finally:
            serve.send_signal(signal.SIGINT)
            serve.wait(timeout=20)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    scheduled = query(db, "select count(*) from crawl_runs where trigger = 'schedule' and status = 'ok'")[0][0]
    assert scheduled >= 3, "the daemon kept crawling while others read"
    log = (tmp_path / "pw.log").read_text(encoding="utf-8")
    assert "locked" not in log.lower()
