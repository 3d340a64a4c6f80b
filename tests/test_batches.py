"""The daemon crawls due sources in batches (issue 15): many portals in one crawl process, run
accounting per source, a per-source time limit inside a batch, and a batch process that dies
re-running only the sources it did not finish. The real daemon in a subprocess, on the farm."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

from tests.conftest import crawl_pids, query, run_cli, write_sources
from tests.farm import Farm
from tests.test_schedule import daemon, runs, wait_for

THREE = ["baohatinh", "vinhyen", "vpubnd-vinhphuc"]


def _log(tmp: Path) -> str:
    path = tmp / "pw.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _every(toml: str, every: str) -> str:
    return toml.replace("start_urls", f'every = "{every}"\nstart_urls')


def test_due_sources_share_one_crawl_process_and_a_hung_portal_costs_only_itself(fresh_farm: Farm,
                                                                                   tmp_path: Path) -> None:
    farm = fresh_farm
    farm.faults["baohatinh"], farm.slow_seconds = "slow", 2.5  # each page 2.5 s (under the 3 s download
    # timeout): its 40 pages take far longer than the 8 s limit, which the healthy portals never reach
    db = tmp_path / "pw.db"
    sources = write_sources(tmp_path / "s.toml", _every(farm.sources_toml(only=THREE), "1h"))
    with daemon(tmp_path, sources, "--source-timeout", "8", "--workers", "1") as proc:
        # The daemon has read the batch's runs when it logs baohatinh's change of health.
        wait_for(lambda: "baohatinh health" in _log(tmp_path), timeout=120)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    log = (tmp_path / "pw.log").read_text(encoding="utf-8")
    # One process for the three: one batch line, and no second batch (the next runs are an hour away).
    assert re.findall(r"batch (\d+) sources=(\d+)", log) == [("1", "3")], log
    by_source = {sid: query(db, "select status, error, trigger from crawl_runs where source_id = ?", sid) for sid in THREE}
    [(status, error, trigger)] = by_source["baohatinh"]
    assert status == "failed" and "time limit reached" in error and trigger == "schedule"
    assert by_source["vinhyen"] == by_source["vpubnd-vinhphuc"] == [("ok", None, "schedule")]
    # Accounting per source: one run line each, with how late it started against its schedule.
    for sid in THREE:
        [line] = [ln for ln in log.splitlines() if f" {sid} run=" in ln]
        assert re.search(r" late=\d+\.\d", line), line
    assert ("baohatinh", "failing") in query(db, "select source_id, new from health_events")


def test_a_batch_process_that_dies_reruns_only_its_unfinished_sources(fresh_farm: Farm, tmp_path: Path) -> None:
    farm = fresh_farm
    farm.faults["baohatinh"] = "sluggish"
    db = tmp_path / "pw.db"
    sources = write_sources(tmp_path / "s.toml", _every(farm.sources_toml(only=["baohatinh", "vinhyen"]), "1h"))
    with daemon(tmp_path, sources, "--workers", "1") as proc:
        # vinhyen finishes in a second; baohatinh is still walking its slow pages when the process dies.
        wait_for(lambda: [s for (_, s, _, _) in runs(db, "vinhyen")] == ["ok"] and runs(db, "baohatinh"), timeout=90)
        pids = crawl_pids(db)
        assert pids, "the batch was still crawling"
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        farm.faults.clear()
        wait_for(lambda: [s for (_, s, _, _) in runs(db, "baohatinh")][-1:] == ["ok"], timeout=90)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    assert [s for (_, s, _, _) in runs(db, "baohatinh")] == ["interrupted", "ok"]
    assert [s for (_, s, _, _) in runs(db, "vinhyen")] == ["ok"], "the finished source is not crawled again"
    log = (tmp_path / "pw.log").read_text(encoding="utf-8")
    assert "baohatinh unfinished" in log and "vinhyen unfinished" not in log
    [(n, distinct)] = query(db, "select count(*), count(distinct url) from articles where source_id = 'baohatinh'")
    assert n == distinct == len(farm.expected("baohatinh"))


def test_a_batch_leaves_every_source_derived_though_its_spiders_sync_once_in_a_while(farm: Farm,
                                                                                      tmp_path: Path) -> None:
    """Spiders of one batch closing close together share one derived-data sync (each looks up the
    candidates of what changed), and the batch ends with one more: nothing stored by the batch is left underived."""
    db = tmp_path / "pw.db"
    sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["baohatinh", "vinhyen", "vpubnd-vinhphuc"]))
    crawl = run_cli("--db", str(db), "--sources", str(sources), "crawl")
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    assert query(db, "select count(*) from articles a left join meetings m on m.article_id = a.id "
                     "where a.is_meeting = 1 and m.article_id is null") == [(0,)]
    assert query(db, "select count(*) from articles where classifier_version is null") == [(0,)]
    [(stored, indexed)] = query(db, "select (select count(*) from articles), (select count(*) from search_docs)")
    assert stored == indexed > 60
    # The clusters were computed over every signature the batch stored: each has its 25 band keys.
    assert query(db, "select fingerprint from derived_state where name = 'clusters'") == [("bands-v1",)]
    assert query(db, "select count(*) from articles a where minhash is not null and "
                     "(select count(*) from article_bands b where b.article_id = a.id) != 25") == [(0,)]
    assert query(db, "select count(*) from article_bands")[0][0] > 0
