"""The scheduler daemon and source health, run as an operator runs them: `portalwatch schedule` in a
subprocess on a fast clock (`every = "2s"`), stopped with SIGTERM; `portalwatch status --json`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import feedparser

from tests.conftest import CRAWL_ENV, portalwatch_bin, query, run_cli, write_sources
from tests.farm import Farm

DEAD = ('[[source]]\nid = "dead"\nname = "Cổng đã tắt"\nprovince = "Hà Giang"\nagency = "UBND tỉnh"\n'
        'every = "2s"\nstart_urls = ["http://127.0.0.1:9/tin-tuc"]\n\n')




def fast(toml: str) -> str:
    return toml.replace("start_urls", 'every = "2s"\nstart_urls')


@contextmanager
def daemon(tmp: Path, sources: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, **CRAWL_ENV, "PORTALWATCH_DOWNLOAD_TIMEOUT": "3", "PORTALWATCH_RETRY_TIMES": "0"}
    env.pop("PORTALWATCH_DB", None)
    proc = subprocess.Popen([portalwatch_bin(), "--db", str(tmp / "pw.db"), "--sources", str(sources), "schedule",
                             "--feeds", str(tmp / "feeds"), "--log", str(tmp / "pw.log"), "--grace", "20", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)


def wait_for(condition: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError("condition not met in time")


def runs(db: Path, source: str) -> list[tuple]:
    if not db.exists():
        return []
    try:
        return query(db, f"select id, status, trigger, started_at from crawl_runs where source_id = '{source}' order by id")
    except sqlite3.OperationalError:
        return []


def test_daemon_crawls_on_schedule_rebuilds_feeds_and_stops_on_sigterm(farm: Farm, tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "s.toml", fast(farm.sources_toml(only=["baohatinh", "vinhyen"])))
    db = tmp_path / "pw.db"
    with daemon(tmp_path, sources) as proc:
        wait_for(lambda: len(runs(db, "baohatinh")) >= 2 and len(runs(db, "vinhyen")) >= 2)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        out = proc.stdout.read() if proc.stdout else ""
    assert "scheduling 2 source(s)" in out and "stopped" in out
    assert {t for (_, _, t, _) in runs(db, "baohatinh")} == {"schedule"}
    assert query(db, "select count(*) from crawl_runs where status = 'running'") == [(0,)], "nothing half-written"
    assert sorted(query(db, "select id from apscheduler_jobs")) == [("source:baohatinh",), ("source:vinhyen",)]
    feed = feedparser.parse((tmp_path / "feeds" / "meetings.atom").read_bytes())
    assert feed.bozo == 0 and len(feed.entries) > 10, "feeds rebuilt after runs that stored something"
    lines = (tmp_path / "pw.log").read_text(encoding="utf-8").splitlines()
    assert sum(" baohatinh run=" in line for line in lines) == len(runs(db, "baohatinh"))
    # The log's clock is Vietnam time, as everything else the operator reads, with its offset.
    stamped = [line for line in lines if " baohatinh run=" in line]
    assert stamped and all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+07:00 ", line) for line in stamped), stamped[:2]
    first = dt.datetime.strptime(stamped[0][:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert abs((dt.datetime.now(dt.UTC) - first).total_seconds()) < 600
    assert query(db, "pragma integrity_check") == [("ok",)]


def test_restart_with_edited_sources_updates_jobs_and_keeps_articles(farm: Farm, tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "s.toml", fast(farm.sources_toml(only=["baohatinh", "vinhyen"])))
    db = tmp_path / "pw.db"
    with daemon(tmp_path, sources):
        wait_for(lambda: runs(db, "baohatinh") and runs(db, "vinhyen"))
    kept = query(db, "select count(*) from articles where source_id = 'vinhyen'")[0][0]
    assert kept > 0
    disabled = fast(farm.sources_toml(only=["vinhyen"])).replace("every", "enabled = false\nevery")
    write_sources(sources, fast(farm.sources_toml(only=["baohatinh"])) + "\n" + disabled)
    with daemon(tmp_path, sources) as proc:
        wait_for(lambda: query(db, "select id from apscheduler_jobs") == [("source:baohatinh",)])
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    assert query(db, "select count(*) from articles where source_id = 'vinhyen'") == [(kept,)], "articles stay"
    status = json.loads(run_cli("--db", str(db), "--sources", str(sources), "status", "--json").stdout)
    by_id = {s["id"]: s for s in status}
    assert by_id["vinhyen"]["health"] == "disabled" and by_id["vinhyen"]["next_run"] is None
    assert by_id["baohatinh"]["next_run"] is not None


class Hook(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def test_failing_source_backs_off_reports_and_others_go_on(farm: Farm, tmp_path: Path) -> None:
    hook = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    Hook.received.clear()
    sources = write_sources(tmp_path / "s.toml", DEAD + fast(farm.sources_toml(only=["baohatinh"])))
    db = tmp_path / "pw.db"
    try:
        with daemon(tmp_path, sources, "--webhook", f"http://127.0.0.1:{hook.server_port}/hook"):
            wait_for(lambda: len(runs(db, "dead")) >= 3, timeout=90)
            status = json.loads(run_cli("--db", str(db), "--sources", str(sources), "status", "--json").stdout)
    finally:
        hook.shutdown()
    dead_runs = runs(db, "dead")
    assert {s for (_, s, _, _) in dead_runs} == {"failed"}
    starts = [time.mktime(time.strptime(r[3][:19], "%Y-%m-%d %H:%M:%S")) for r in dead_runs[:3]]
    assert starts[2] - starts[1] >= 3.5, "backed off: the third try waits twice the 2 s interval"
    assert {s for (_, s, _, _) in runs(db, "baohatinh")} == {"ok"}, query(
        db, "select status, error, errors from crawl_runs where source_id = 'baohatinh' and status != 'ok'")
    by_id = {s["id"]: s for s in status}
    assert by_id["dead"]["health"] == "failing" and by_id["dead"]["consecutive_failures"] >= 2
    assert "127.0.0.1:9" in by_id["dead"]["detail"]
    assert {"id", "health", "last_run", "last_outcome", "consecutive_failures", "next_run"} <= set(by_id["dead"])
    assert query(db, "select source_id, old, new from health_events") == [("dead", "ok", "failing")]
    assert [(h["source"], h["health"]) for h in Hook.received] == [("dead", "failing")]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", Hook.received[0]["at"]), Hook.received[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", by_id["dead"]["last_run"])
    ops = feedparser.parse((tmp_path / "feeds" / "ops.atom").read_bytes())
    assert ops.bozo == 0 and [e.title for e in ops.entries] == ["Cổng đã tắt: ok → failing"]
    assert "127.0.0.1:9" in ops.entries[0].summary
    assert feedparser.parse((tmp_path / "feeds" / "ops.xml").read_bytes()).bozo == 0


def test_status_after_one_off_crawls_sees_a_redesign(fresh_farm: Farm, tmp_path: Path) -> None:
    farm = fresh_farm
    db = tmp_path / "pw.db"
    sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["vinhyen", "baohatinh"]))
    assert run_cli("--db", str(db), "--sources", str(sources), "crawl").returncode == 0
    farm.faults["vinhyen"] = "redesign"
    assert run_cli("--db", str(db), "--sources", str(sources), "crawl").returncode == 0
    status = json.loads(run_cli("--db", str(db), "--sources", str(sources), "status", "--json").stdout)
    by_id = {s["id"]: s for s in status}
    assert by_id["vinhyen"]["health"] == "broken" and "no article links" in by_id["vinhyen"]["detail"]
    assert by_id["baohatinh"]["health"] in ("ok", "stale")
    assert by_id["baohatinh"]["last_outcome"] == "ok" and by_id["baohatinh"]["next_run"] is None
    table = run_cli("--db", str(db), "--sources", str(sources), "status")
    assert "vinhyen" in table.stdout and "broken" in table.stdout
