"""The change monitor, with the farm mutating between crawls: incremental cycles, conditional GET,
re-checks, edits, removals, restorations, republished copies, and a list page that changes behind
an unchanged ETag. Every test crawls through the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from crawler.urls import canonicalize
from tests.conftest import CRAWL_ENV, REPO, query, run_cli, write_sources
from tests.farm import Farm
from tests.farm.content import _filler
from tests.farm.scoring import fetch

MEETING = ["Sáng ngày {d}, UBND tỉnh tổ chức hội nghị sơ kết công tác quý III, triển khai nhiệm vụ quý IV năm nay.",
           "Hội nghị đã nghe báo cáo tình hình thực hiện các chỉ tiêu kinh tế - xã hội và thảo luận nhiều giải pháp cụ thể.",
           "Phát biểu kết luận, đồng chí Chủ tịch UBND tỉnh yêu cầu các sở, ngành tập trung hoàn thành kế hoạch năm."]


def distinct_meeting(i: int) -> list[str]:
    """A meeting report of its own: the farm's prose generator makes bodies that share little."""
    rng = random.Random(1000 + i)
    return [MEETING[0].format(d=f"{i + 2}/10"), *_filler(rng, "cải cách hành chính", 3), MEETING[2]]




# The tests that take `db_target` run on SQLite and PostgreSQL: those whose SQL differs most (re-checks,
# removals and restorations, clustering and folding). The rest stay on SQLite to keep the suite's time.
class Monitor:
    """A farm, a database and a sources file, crawled at chosen moments."""

    def __init__(self, farm: Farm, tmp: Path, only: list[str] | None = None, extra_toml: str = "",
                 db: Path | str | None = None) -> None:
        self.farm, self.db, self.out = farm, db or tmp / "pw.db", tmp / "feeds"
        self.sources = write_sources(tmp / "s.toml", extra_toml or farm.sources_toml(only=only))

    def crawl(self, *args: str, hours_later: float = 0) -> subprocess.CompletedProcess[str]:
        env = {}
        if hours_later:
            env["PORTALWATCH_NOW"] = (datetime.now(UTC) + timedelta(hours=hours_later)).isoformat()
        self.farm.requests.clear()
        result = run_cli("--db", str(self.db), "--sources", str(self.sources), "crawl", *args, env=env)
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    def feeds(self) -> Path:
        result = run_cli("--db", str(self.db), "feeds", "build", "--out", str(self.out), "--limit", "500")
        assert result.returncode == 0, result.stderr
        return self.out

    def article_requests(self) -> list[tuple[str, str, str]]:
        return [r for r in self.farm.requests if self.farm.is_article_path(r[0], r[2])]

    def list_requests(self) -> list[tuple[str, str, str]]:
        return [r for r in self.farm.requests if self.farm.is_list_path(r[0], r[2])]


def _url(farm: Farm, portal: str, item_id: int) -> str:
    return canonicalize(farm.url_of(farm.articles[(portal, item_id)]))


def test_quiet_cycle_fetches_only_list_pages_and_gets_304s(fresh_farm: Farm, tmp_path: Path) -> None:
    m = Monitor(fresh_farm, tmp_path)
    m.crawl("--max-pages", "10")
    rows = query(m.db, "select count(*) from articles")
    out = m.crawl()
    assert m.article_requests() == [], "a quiet cycle requests no article"
    lists = m.list_requests()
    assert len(lists) == len(fresh_farm.portals), "one list page per portal, then stop"
    with_validators = {k for k, p in fresh_farm.portals.items() if p.spec.validators in ("strong", "lastmod")}
    assert {r[0] for r in lists if r[1] == "304"} == with_validators
    assert query(m.db, "select count(*) from articles") == rows
    assert {r for (r,) in query(m.db, "select distinct mode from crawl_runs where id > 5")} == {"routine"}
    assert query(m.db, "select sum(list_not_modified) from crawl_runs where id > 5") == [(len(with_validators),)]
    assert "(routine)" in out.stdout


def test_k_new_articles_cost_k_article_requests(fresh_farm: Farm, tmp_path: Path) -> None:
    m = Monitor(fresh_farm, tmp_path, only=["sxd-vinhphuc", "baohatinh"])
    m.crawl("--max-pages", "10")
    added = [fresh_farm.add("sxd-vinhphuc", f"Hội nghị sơ kết công tác quý III số {i} của Sở Xây dựng",
                            distinct_meeting(i)) for i in range(3)]
    m.crawl()
    fetched = m.article_requests()
    assert sorted(r[2] for r in fetched) == sorted(fresh_farm.portals["sxd-vinhphuc"].article_url(a) for a in added)
    assert len([r for r in m.list_requests() if r[0] == "sxd-vinhphuc"]) == 2, "page 1 had news, page 2 had none"
    new_urls = {canonicalize(fresh_farm.url_of(a)) for a in added}
    stored = {u for (u,) in query(m.db, "select url from articles where is_meeting")}
    assert new_urls <= stored
    feed = feedparser.parse((m.feeds() / "meetings.atom").read_bytes())
    assert new_urls <= {e.id for e in feed.entries}


def test_edit_remove_restore_on_the_recheck_schedule(fresh_farm: Farm, tmp_path: Path, db_target: Path | str) -> None:
    farm = fresh_farm
    m = Monitor(farm, tmp_path, only=["baohatinh"], db=db_target)
    m.crawl("--max-pages", "10")
    a = farm.add("baohatinh", "UBND tỉnh họp phiên thường kỳ tháng 10", distinct_meeting(1))
    b = farm.add("baohatinh", "Đoàn giám sát HĐND tỉnh làm việc tại Sở Y tế", distinct_meeting(2))
    m.crawl()
    url_a, url_b = canonicalize(farm.url_of(a)), canonicalize(farm.url_of(b))
    [(aid, first_seen)] = query(m.db, "select id, first_seen from articles where url = ?", url_a)

    # Edit title, body and date of one; remove the other. Nothing is due yet: nothing is noticed.
    farm.edit("baohatinh", a.item_id, title="UBND tỉnh họp phiên thường kỳ tháng 10 năm 2026",
              paragraphs=[MEETING[0].format(d="30/10"), "Đoạn được bổ sung sau khi đăng.", MEETING[2]],
              published=a.published - timedelta(days=1))
    farm.remove("baohatinh", b.item_id)
    m.crawl(hours_later=0.5)
    assert m.article_requests() == []
    # Past the first re-check (1 h): both are fetched again.
    m.crawl(hours_later=2)
    fetched_ids = {r[2].rsplit("-post", 1)[-1] for r in m.article_requests()}
    # Also due: dateless articles, which may be news (only a known old date marks an archive).
    dateless = {f"{t['item_id']}.html" for t in farm.expected("baohatinh") if t["published"] is None}
    assert {f"{x.item_id}.html" for x in (a, b)} <= fetched_ids <= {f"{x.item_id}.html" for x in (a, b)} | dateless
    [(title, first_seen2, versions)] = query(
        m.db, "select title, first_seen, (select count(*) from article_versions v where v.article_id = articles.id) "
              "from articles where id = ?", aid)
    assert title.endswith("năm 2026") and first_seen2 == first_seen and versions == 2
    [(diff,)] = query(m.db, "select diff from article_versions where article_id = ? order by id desc limit 1", aid)
    assert "{+năm 2026+}" in diff and "bổ sung sau khi đăng" in diff.split("{+", 2)[-1]
    assert re.search(r"Ngày đăng: \[-\d\d/\d\d/\d{4}( \d\d:\d\d)?-\] \{\+\d\d/\d\d/\d{4}( \d\d:\d\d)?\+\}", diff)
    assert query(m.db, "select count(*) from articles where url = ?", url_a) == [(1,)], "same row, same GUID"
    [(removed_at,)] = query(m.db, "select removed_at from articles where url = ?", url_b)
    assert removed_at is not None

    history = run_cli("--db", str(m.db), "history", farm.url_of(a))
    assert history.returncode == 0 and "version 2" in history.stdout and "{+năm 2026+}" in history.stdout
    out = m.feeds()
    meetings = feedparser.parse((out / "meetings.atom").read_bytes())
    ids = {e.id for e in meetings.entries}
    assert url_a in ids and url_b not in ids, "edited keeps its GUID; removed leaves the meeting feed"
    changes = feedparser.parse((out / "changes.atom").read_bytes())
    assert changes.bozo == 0
    kinds = {(e.id.split("#")[0], e.title.split("]")[0] + "]") for e in changes.entries}
    assert (url_a, "[Sửa]") in kinds and (url_b, "[Gỡ bỏ]") in kinds
    edit_entry = next(e for e in changes.entries if e.id.startswith(url_a + "#"))
    assert "năm 2026" in fetch(edit_entry.link), "the entry links a URL that opens the edited article"
    assert "<ins>năm 2026</ins>" in edit_entry.content[0].value
    assert feedparser.parse((out / "changes.xml").read_bytes()).bozo == 0
    assert feedparser.parse((out / "changes" / "source" / "baohatinh.rss").read_bytes()).entries

    # The portal puts it back: the next crawl restores it (it is listed again, and due again).
    farm.restore("baohatinh", b.item_id)
    m.crawl(hours_later=7)
    assert query(m.db, "select removed_at from articles where url = ?", url_b) == [(None,)]
    assert query(m.db, "select kind from article_changes order by id") == [("edited",), ("removed",), ("restored",)]
    exported = [json.loads(line) for line in run_cli("--db", str(m.db), "export").stdout.splitlines()]
    rec_a = next(r for r in exported if r["url"] == url_a)
    assert len(rec_a["versions"]) == 2 and rec_a["removed_at"] is None and rec_a["versions"][1]["diff"]


def test_removal_by_redirect_to_the_home_page(fresh_farm: Farm, tmp_path: Path) -> None:
    farm = fresh_farm
    m = Monitor(farm, tmp_path, only=["sxd-vinhphuc"])
    m.crawl("--max-pages", "10")
    a = farm.add("sxd-vinhphuc", "Sở Xây dựng tổ chức hội nghị giao ban công tác tháng 11", distinct_meeting(7))
    m.crawl()
    farm.remove("sxd-vinhphuc", a.item_id)
    m.crawl(hours_later=2)
    assert ("sxd-vinhphuc", "302", farm.portals["sxd-vinhphuc"].article_url(a)) in farm.requests
    url = canonicalize(farm.url_of(a))
    [(removed_at,)] = query(m.db, "select removed_at from articles where url = ?", url)
    assert removed_at is not None
    [(summary,)] = query(m.db, "select summary from article_changes where kind = 'removed'")
    assert "redirected" in summary


def test_republished_copy_is_clustered_and_shown_once(fresh_farm: Farm, tmp_path: Path, db_target: Path | str) -> None:
    farm = fresh_farm
    m = Monitor(farm, tmp_path, only=["vinhyen", "vpubnd-vinhphuc"], db=db_target)
    m.crawl("--max-pages", "10")
    original = next(a for a in farm.articles.values() if a.portal == "vinhyen" and a.is_meeting and a.seed is None
                    and not a.dup_of and len(a.paragraphs) >= 4)
    paragraphs = ["Thông tin từ UBND thành phố, nội dung được đăng lại kèm theo phần dẫn của cổng."] + original.paragraphs
    # Republished today: it tops the other portal's list, where a routine crawl finds it.
    copy = farm.add("vpubnd-vinhphuc", original.title + " (đăng lại)", paragraphs, is_meeting=True)
    m.crawl()
    url_o, url_c = _url(farm, "vinhyen", original.item_id), canonicalize(farm.url_of(copy))
    [(co,)] = query(m.db, "select cluster_id from articles where url = ?", url_o)
    [(cc,)] = query(m.db, "select cluster_id from articles where url = ?", url_c)
    assert co is not None and co == cc
    out = m.feeds()
    ids = [e.id for e in feedparser.parse((out / "meetings.atom").read_bytes()).entries]
    assert url_o in ids and url_c not in ids, "the cluster shows once, as its earliest copy"
    own = feedparser.parse((out / "source" / "vpubnd-vinhphuc.atom").read_bytes())
    [entry] = [e for e in own.entries if e.id == url_c]
    assert "Cũng đăng tại" in entry.content[0].value


def test_changed_list_behind_unchanged_etag_is_caught_by_content(fresh_farm: Farm, tmp_path: Path) -> None:
    farm = fresh_farm
    assert farm.portals["vpubnd-vinhphuc"].spec.validators == "static"
    m = Monitor(farm, tmp_path, only=["vpubnd-vinhphuc"])
    m.crawl("--max-pages", "10")
    added = farm.add("vpubnd-vinhphuc", "Văn phòng UBND tỉnh giao ban công tác tháng 11", distinct_meeting(3))
    m.crawl()
    assert canonicalize(farm.url_of(added)) in {u for (u,) in query(m.db, "select url from articles")}
    list_url = farm.portals["vpubnd-vinhphuc"].start_urls()[0]
    assert query(m.db, "select etag, trusted from http_validators where url = ?", canonicalize(list_url)) or \
        query(m.db, "select etag, trusted from http_validators where url = ?", list_url)
    [(etag, trusted)] = query(m.db, "select etag, trusted from http_validators where source_id = 'vpubnd-vinhphuc' "
                                "and url like '%/vi/tin-tuc'")
    assert etag == '"static-v1"' and trusted == 0, "an ETag that did not change with the content is not trusted"


def test_id_params_make_two_urls_one_article(fresh_farm: Farm, tmp_path: Path) -> None:
    farm = fresh_farm
    base = farm.portals["vpubnd-langson"].start_urls()[0]
    toml = (f'[[source]]\nid = "vpubnd-langson"\nname = "VP UBND Lạng Sơn"\nprovince = "Lạng Sơn"\n'
            f'agency = "Văn phòng UBND tỉnh"\nstart_urls = ["{base}"]\n\n[source.urls]\nignore_params = ["CategoryID"]\n')
    m = Monitor(farm, tmp_path, extra_toml=toml)
    m.crawl("--max-pages", "10")
    assert query(m.db, "select count(*) from article_urls") == [(0,)]
    urls = [u for (u,) in query(m.db, "select url from articles")]
    assert urls and not any("CategoryID" in u for u in urls)
    assert len(urls) == len(farm.expected("vpubnd-langson"))


def test_backfill_since_walks_back_to_a_date(fresh_farm: Farm, tmp_path: Path) -> None:
    farm = fresh_farm
    m = Monitor(farm, tmp_path, only=["sxd-vinhphuc"])
    m.crawl("--max-pages", "1")
    assert query(m.db, "select count(*) from articles") == [(10,)]
    since = "2023-03-01"
    m.crawl("--backfill", "--since", since)
    dates = [d for (d,) in query(m.db, "select published_at from articles where published_at is not null")]
    want = [t for t in farm.expected("sxd-vinhphuc") if t["published"] and t["published"][:10] >= since]
    assert len(dates) >= len(want)
    assert query(m.db, "select count(*) from articles")[0][0] < len(farm.expected("sxd-vinhphuc")), "stopped at --since"
    bad = run_cli("--db", str(m.db), "--sources", str(m.sources), "crawl", "--since", since)
    assert bad.returncode == 2 and "--since goes with --backfill" in bad.stderr


@pytest.mark.parametrize("steps", [["1h", "6h", "1d", "7d"]])
def test_recheck_schedule_decays_and_skips_archives(steps: list[str]) -> None:
    from crawler.clock import parse_duration
    from store.monitor import next_check_at

    deltas = [parse_duration(s) for s in steps]
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    assert next_check_at(t0, t0, deltas, t0) == t0 + timedelta(hours=1)
    assert next_check_at(t0, t0, deltas, t0 + timedelta(hours=2)) == t0 + timedelta(hours=6)
    assert next_check_at(t0, t0, deltas, t0 + timedelta(days=8)) is None
    archive = t0 - timedelta(days=400)
    assert next_check_at(t0, archive, deltas, t0) is None, "an archive find is never re-checked"


def test_scrapy_crawl_portal_works_from_the_repo_root(farm: Farm, tmp_path: Path) -> None:
    db = tmp_path / "scrapy.db"
    sources = write_sources(tmp_path / "s.toml", farm.sources_toml(only=["vpubnd-vinhphuc"]))
    env = {**os.environ, **CRAWL_ENV, "PORTALWATCH_DB": str(db), "PORTALWATCH_SOURCES": str(sources)}
    scrapy_bin = str(Path(os.sys.executable).parent / "scrapy")
    result = subprocess.run([scrapy_bin, "crawl", "portal", "-a", "source=vpubnd-vinhphuc", "-a", "max_pages=2"],
                            cwd=REPO, env=env, text=True, capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert query(db, "select count(*) from articles") == [(20,)]
    assert query(db, "select status, list_pages, mode from crawl_runs") == [("ok", 2, "first")]
