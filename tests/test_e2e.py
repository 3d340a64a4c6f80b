"""End to end in real subprocesses: farm on 127.0.0.1 → `portalwatch crawl` → SQLite →
`portalwatch feeds build` → feedparser, and `portalwatch export`."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import feedparser

from crawler.urls import canonicalize
from tests.conftest import query, run_cli, write_sources
from tests.farm import Farm
from tests.farm.dupes import precision_recall, predicted_pairs, truth_pairs


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from store.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head




def test_crawl_store_feeds_export(farm: Farm, tmp_path: Path) -> None:
    db = tmp_path / "pw.db"
    sources = write_sources(tmp_path / "sources.toml", farm.sources_toml())
    result = run_cli("--db", str(db), "--sources", str(sources), "crawl", "--max-pages", "10")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr

    # Counts match the farm's own list: every live article stored once, under its canonical URL or,
    # when the portal links it under a second URL too, under either one with the other as an alias.
    live = {canonicalize(t["url"]): t for t in farm.expected()}
    aliases = {canonicalize(a): canonicalize(u) for p in farm.portals for a, u in farm.aliases(p).items()}
    assert aliases, "the farm serves at least one article under two URLs"
    stored = {aliases.get(u, u): title for u, title in query(db, "select url, title from articles")}
    assert set(stored) == set(live)
    assert query(db, "select count(*) from articles") == [(len(live),)]
    assert all(stored[u] == live[u]["title"] for u in live)
    [(alias_count,)] = query(db, "select count(*) from article_urls")
    assert alias_count == len(aliases), "the second URL is linked to the article, not stored twice"
    assert query(db, "pragma journal_mode") == [("wal",)]
    assert query(db, "select version_num from alembic_version") == [(head_revision(),)]
    runs = query(db, "select source_id, status, list_pages, articles_new from crawl_runs order by id")
    assert {r[0] for r in runs} == set(farm.portals)
    assert all(r[2] >= 4 for r in runs)
    assert sum(r[3] for r in runs) == len(live)

    # A second crawl adds no rows and reports nothing new.
    again = run_cli("--db", str(db), "--sources", str(sources), "crawl", "--max-pages", "10")
    assert again.returncode == 0, again.stderr
    assert query(db, "select count(*) from articles") == [(len(live),)]
    assert query(db, "select sum(articles_new), sum(articles_updated) from crawl_runs where id > 5") == [(0, 0)]

    # Feeds: every file parses cleanly; the all-meetings feed holds exactly the meeting reports.
    out = tmp_path / "feeds"
    built = run_cli("--db", str(db), "feeds", "build", "--out", str(out), "--limit", "500")
    assert built.returncode == 0, built.stderr
    files = sorted(p for p in out.rglob("*") if p.suffix in (".rss", ".atom"))
    names = {str(p.relative_to(out)) for p in files}
    assert {"meetings.rss", "meetings.atom", "province/vinh-phuc.rss", "province/ha-tinh.atom",
            "source/baohatinh.atom", "source/vpubnd-langson.rss"} <= names
    for path in files:
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    meetings = feedparser.parse((out / "meetings.atom").read_bytes())
    all_meetings = {u for u, t in live.items() if t["is_meeting"]}
    # A press release republished on another portal shows once: the earlier (original) copy.
    copies = {u for u, t in live.items() if t["dup_of"]}
    assert copies
    want_meetings = all_meetings - copies
    assert {aliases.get(e.id, e.id) for e in meetings.entries} == want_meetings
    rss = feedparser.parse((out / "meetings.rss").read_bytes())
    assert {aliases.get(e.id, e.id) for e in rss.entries} == want_meetings
    entry = next(e for e in rss.entries if "257412" in e.id)  # seed 002, Báo Hà Tĩnh
    assert entry.published.endswith("+0700")
    # RSS categories carry their labels: province, kind, host agency and source.
    assert {t.term for t in entry.tags} == {"Hà Tĩnh", "Giám sát", "HĐND tỉnh Hà Tĩnh", "Báo Hà Tĩnh"}
    assert "Sáng 18/10, Đoàn giám sát" in entry.content[0].value
    assert "Đọc thêm" not in entry.content[0].value
    copy_url = sorted(copies)[0]
    copy = live[copy_url]
    own_feed = feedparser.parse((out / "source" / f"{copy['portal']}.atom").read_bytes())
    [copy_entry] = [e for e in own_feed.entries if aliases.get(e.id, e.id) == copy_url]
    original = next(u for u, t in live.items() if [t["portal"], t["item_id"]] == copy["dup_of"])
    assert "Cũng đăng tại" in copy_entry.content[0].value
    assert original.replace("&", "&amp;") in copy_entry.content[0].value
    dated = [e.published_parsed for e in meetings.entries if "published_parsed" in e]
    assert dated == sorted(dated, reverse=True), "newest first"
    undated = [i for i, e in enumerate(meetings.entries) if "published_parsed" not in e]
    assert undated == list(range(len(dated), len(meetings.entries))), "undated reports last, never dated by the crawl"

    # Export: one JSON object per article, with the contract's fields.
    exported = run_cli("--db", str(db), "export", "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(records) == len(live)
    assert sum(len(r["aliases"]) for r in records) == len(aliases)
    for r in records:
        assert {"url", "source", "title", "published", "author", "text", "is_meeting", "first_seen"} <= set(r)
        assert r["published"] is None or r["published"].endswith("+07:00")
    seed001 = next(r for r in records if "ItemID=2461" in r["url"])
    assert seed001["published"] == "2017-10-20T00:33:00+07:00" and seed001["author"] == "Bích Diệp"
    only_meetings = run_cli("--db", str(db), "export", "--format", "jsonl", "--meetings")
    assert len(only_meetings.stdout.splitlines()) == len(all_meetings)
    clustered = [r for r in records if r["cluster"]]
    assert len(clustered) == 2 * len(copies)
    # Near-duplicate clustering against the farm's republications: pair precision and recall.
    cluster_of = {aliases.get(r["url"], r["url"]): (r["cluster"] or {}).get("id") for r in records}
    truth = truth_pairs([{**t, "url": u} for u, t in live.items()])
    precision, recall = precision_recall(truth, predicted_pairs(cluster_of))
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    assert all(r["cluster"]["representative"] and r["cluster"]["also_published_at"] for r in clustered)
    # Links answer: the canonical URL is an identity (a newspaper's slug removed answers 404), so
    # every link readers are given is the fetched one, and each copy names its portal.
    names = {r["source"]: None for r in records}
    links = {r["link"] for r in records} | {c["link"] for r in clustered for c in r["cluster"]["also_published_at"]}
    assert all(c["source_name"] and c["source"] in names for r in clustered for c in r["cluster"]["also_published_at"])
    assert any(r["url"] != r["link"] for r in records), "the farm has slug URLs whose identity differs"
    for link in links:
        with urllib.request.urlopen(link, timeout=30) as resp:
            assert resp.status == 200, link


def test_dateless_article_is_stored_without_date_and_404_is_recorded(farm: Farm, tmp_path: Path) -> None:
    db = tmp_path / "pw.db"
    sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["vpubnd-vinhphuc", "vpubnd-langson"]))
    result = run_cli("--db", str(db), "--sources", str(sources), "crawl", "--max-pages", "10")
    assert result.returncode == 0, result.stderr
    dateless = {canonicalize(t["url"]) for t in farm.expected("vpubnd-vinhphuc") if t["published"] is None}
    assert len(dateless) >= 2
    stored = dict(query(db, "select url, published_at from articles where source_id = 'vpubnd-vinhphuc'"))
    assert all(stored[u] is None for u in dateless)
    assert sum(v is not None for v in stored.values()) == len(stored) - len(dateless)
    # The list links to an article that answers 404: recorded in the run, not stored, others fine.
    missing = [canonicalize(t["url"]) for t in farm.expected("vpubnd-langson", status="listed-missing")]
    assert missing and not set(missing) & {u for (u,) in query(db, "select url from articles")}
    [(status, errors)] = query(db, "select status, errors from crawl_runs where source_id = 'vpubnd-langson'")
    assert status == "partial"
    assert any(missing[0].split("?")[1].split("&")[1] in e and "HTTP 404" in e for e in json.loads(errors))
    assert "vpubnd-langson: partial" in result.stdout


def test_unreachable_source_is_recorded_and_others_go_on(farm: Farm, tmp_path: Path) -> None:
    db = tmp_path / "pw.db"
    dead = ('[[source]]\nid = "dead"\nname = "Cổng đã tắt"\nprovince = "Hà Giang"\nagency = "UBND tỉnh"\n'
            'start_urls = ["http://127.0.0.1:9/tin-tuc"]\n\n')
    sources = write_sources(tmp_path / "s.toml", dead + farm.sources_toml(only=["baohatinh"]))
    result = run_cli("--db", str(db), "--sources", str(sources), "crawl")
    assert result.returncode == 0, result.stderr
    runs = dict(query(db, "select source_id, status from crawl_runs"))
    assert runs == {"dead": "failed", "baohatinh": "ok"}
    [(error,)] = query(db, "select error from crawl_runs where source_id = 'dead'")
    assert "127.0.0.1:9" in error
    assert "dead: failed" in result.stdout
    assert query(db, "select count(*) from articles where source_id = 'baohatinh'")[0][0] == len(farm.expected("baohatinh"))

    # Every source failing is a non-zero exit; nothing stored earlier is lost.
    only_dead = write_sources(tmp_path / "dead.toml", dead)
    failed = run_cli("--db", str(db), "--sources", str(only_dead), "crawl")
    assert failed.returncode == 1
    assert query(db, "select count(*) from articles")[0][0] == len(farm.expected("baohatinh"))


def test_selector_overrides_on_one_source(farm: Farm, tmp_path: Path) -> None:
    """A source with its own selectors: they win over zero-config discovery and extraction."""
    db = tmp_path / "pw.db"
    base = farm.portals["vinhyen"].start_urls()[0]
    toml = f"""[[source]]
id = "vinhyen"
name = "UBND thành phố Vĩnh Yên"
province = "Vĩnh Phúc"
agency = "UBND thành phố Vĩnh Yên"
start_urls = ["{base}"]

[source.list]
item = ".news-list a.news-title"
next = ".paging a.next"

[source.article]
title = ".ct-title h2"
date = ".ct-date"
body = ".ct-content"
author = ".ct-content p[style*=right]"
"""
    sources = write_sources(tmp_path / "s.toml", toml)
    listed = run_cli("--sources", str(sources), "sources")
    assert listed.returncode == 0 and "selectors" in listed.stdout
    result = run_cli("--db", str(db), "--sources", str(sources), "crawl", "--max-pages", "2")
    assert result.returncode == 0, result.stderr
    truth = {canonicalize(t["url"]): t for t in farm.expected("vinhyen")}
    rows = query(db, "select url, title, author, published_at, text from articles")
    assert len(rows) == 20, "two list pages of ten, as --max-pages 2 asks"
    for url, title, author, published, text in rows:
        t = truth[url]
        assert title == t["title"] and author == t["author"]
        assert published is not None
        assert text == "\n\n".join(t["paragraphs"])
