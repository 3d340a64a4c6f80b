"""A recrawl updates, never duplicates: edits on the farm reach the stored row and the feeds."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import feedparser

from crawler.urls import canonicalize
from tests.conftest import CRAWL_ENV, REPO, run_cli, write_sources
from tests.farm import Farm


def test_edit_updates_the_same_row_and_feed_guid_is_stable(fresh_farm: Farm, tmp_path: Path) -> None:
    farm = fresh_farm
    db, out = tmp_path / "pw.db", tmp_path / "feeds"
    sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["sxd-vinhphuc"]))
    assert run_cli("--db", str(db), "--sources", str(sources), "crawl").returncode == 0
    seed = next(a for a in farm.articles.values() if a.seed and a.portal == "sxd-vinhphuc")
    url = canonicalize(farm.url_of(seed))
    con = sqlite3.connect(db)
    (row_id, first_seen, before_hash), = con.execute("select id, first_seen, content_hash from articles where url=?", (url,))
    count = con.execute("select count(*) from articles").fetchone()[0]

    farm.edit("sxd-vinhphuc", seed.item_id, title=seed.title + " (cập nhật)")
    result = run_cli("--db", str(db), "--sources", str(sources), "crawl")
    assert result.returncode == 0 and "1 updated" in result.stdout
    (row_id2, first_seen2, after_hash, title, updated_at), = con.execute(
        "select id, first_seen, content_hash, title, updated_at from articles where url=?", (url,))
    assert (row_id2, first_seen2) == (row_id, first_seen)
    assert after_hash != before_hash and title.endswith("(cập nhật)") and updated_at is not None
    assert con.execute("select count(*) from articles").fetchone()[0] == count
    con.close()

    assert run_cli("--db", str(db), "feeds", "build", "--out", str(out)).returncode == 0
    feed = feedparser.parse((out / "source" / "sxd-vinhphuc.atom").read_bytes())
    [entry] = [e for e in feed.entries if e.id == url]
    assert entry.title.endswith("(cập nhật)")


def test_scrapy_crawl_portal_works_from_the_repo_root(farm: Farm, tmp_path: Path) -> None:
    db = tmp_path / "scrapy.db"
    sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["vpubnd-vinhphuc"]))
    env = {**os.environ, **CRAWL_ENV, "PORTALWATCH_DB": str(db), "PORTALWATCH_SOURCES": str(sources)}
    scrapy_bin = str(Path(os.sys.executable).parent / "scrapy")
    result = subprocess.run([scrapy_bin, "crawl", "portal", "-a", "source=vpubnd-vinhphuc", "-a", "max_pages=2"],
                            cwd=REPO, env=env, text=True, capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from articles").fetchone()[0] == 20
    assert con.execute("select status, list_pages from crawl_runs").fetchall() == [("ok", 2)]
    con.close()
