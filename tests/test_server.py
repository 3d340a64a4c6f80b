"""The readers' server, over real HTTP: `portalwatch serve` on a crawled farm with hostile articles.

Feeds parsed by feedparser (bozo == 0) and json, filters checked against the store, HTTP caching
(ETag, 304, gzip) as readers use it, OPML, Vietnamese search, pages, safety and read-only-ness.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import re
import sqlite3
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlencode

import feedparser
import pytest

from portaltext.text import fold, slugify
from tests.conftest import Served, query, run_cli, write_sources
from tests.farm import Farm
from tests.farm.hostile import CONTROL_TITLE, HIDDEN_TEXT, HOSTILE_TITLE, SCRIPT_MARK

Site = tuple[Farm, Served]


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def feed(site: Site, path: str, **params: str) -> feedparser.FeedParserDict:
    url = f"{site[1].base}/feeds/{path}" + (f"?{urlencode(params)}" if params else "")
    status, _, body = get(url)
    assert status == 200, (url, body[:300])
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return parsed


def categories(entry: feedparser.FeedParserDict, scheme: str) -> list[str]:
    """Slugs of an entry's categories of one scheme (Atom carries the slug, RSS the label)."""
    return [slugify(t["term"]) for t in entry.get("tags", []) if t.get("scheme") == scheme]


# ------------------------------------------------------------------------------------ feeds
def test_every_feed_is_served_in_rss_atom_and_json_and_parses(hostile_site: Site) -> None:
    _, served = hostile_site
    status, headers, body = get(served.base + "/feeds.opml")
    assert status == 200 and headers["content-type"].startswith("text/x-opml")
    urls = [o.attrib["xmlUrl"] for o in ET.fromstring(body).iter("outline") if "xmlUrl" in o.attrib]
    paths = [u.split("/feeds/", 1)[1].removesuffix(".rss") for u in urls]
    assert "meetings" in paths and "changes" in paths and "ops" in paths
    groups = {p.split("/", 1)[0] for p in paths}
    assert {"province", "source", "kind", "agency", "person"} <= groups
    # Every feed as RSS; a sample of each group in Atom and JSON as well.
    sample = set(paths[:12]) | {next(p for p in paths if p.startswith(g + "/")) for g in ("agency", "person", "kind")}
    for path in paths:
        for fmt in ("rss", "atom", "json") if path in sample else ("rss",):
            status, headers, body = get(f"{served.base}/feeds/{path}.{fmt}")
            assert status == 200, (path, fmt, body[:200])
            if fmt == "json":
                doc = json.loads(body)
                assert doc["version"] == "https://jsonfeed.org/version/1.1"
                assert doc["feed_url"] == f"{served.base}/feeds/{path}.json"
                assert all({"id", "url", "title"} <= item.keys() for item in doc["items"])
                # An item has a date only when the report has one (published, else its meeting's day).
                assert all("date_published" in item or item["summary"].startswith("Không rõ ngày")
                           for item in doc["items"])
                assert headers["content-type"].startswith("application/feed+json")
            else:
                parsed = feedparser.parse(body)
                assert parsed.bozo == 0, (path, fmt, parsed.get("bozo_exception"))
                assert headers["content-type"].startswith(f"application/{fmt}+xml")
    # The names `feeds build` writes.
    assert get(served.base + "/feeds/changes.xml")[0] == 200 and get(served.base + "/feeds/ops.xml")[0] == 200


def test_filters_narrow_any_feed_as_the_store_says(hostile_site: Site) -> None:
    farm, served = hostile_site
    db = served.db
    kinds = query(db, "select kind, count(*) from meetings m join articles a on a.id = m.article_id "
                      "where a.removed_at is null group by kind order by count(*) desc")
    kind, n = kinds[0]
    d = feed(hostile_site, "meetings.atom", kind=kind, limit="500")
    assert d.entries and len(d.entries) <= n
    assert all(categories(e, "kind") == [kind] for e in d.entries)

    d = feed(hostile_site, "meetings.rss", province="Hà Tĩnh", limit="500")
    assert d.entries and all(categories(e, "province") == ["ha-tinh"] for e in d.entries)
    by_slug = feed(hostile_site, "meetings.rss", province="ha-tinh", limit="500")
    assert [e.id for e in by_slug.entries] == [e.id for e in d.entries]

    d = feed(hostile_site, "meetings.atom", source="vinhyen", limit="500")
    expected = query(db, "select count(*) from articles where source_id = 'vinhyen' and is_meeting and removed_at is null")
    assert 0 < len(d.entries) <= expected[0][0]
    assert all(categories(e, "source") == ["vinhyen"] for e in d.entries)

    # A per-kind feed narrowed by province holds the intersection.
    both = feed(hostile_site, f"kind/{kind}.atom", province="vinh-phuc", limit="500")
    assert all(categories(e, "province") == ["vinh-phuc"] and categories(e, "kind") == [kind] for e in both.entries)
    # A province feed asked for another province is empty, not the union.
    assert feed(hostile_site, "province/ha-tinh.rss", province="vinh-phuc").entries == []

    name, slug = query(db, "select min(name), name_slug from meeting_people group by name_slug "
                           "order by count(*) desc, name_slug limit 1")[0]
    d = feed(hostile_site, "meetings.atom", person=fold(name))  # diacritics optional
    ids = {r[0] for r in query(db, "select a.url from articles a join meeting_people p on p.article_id = a.id "
                                   "where p.name_slug = ?", slug)}
    assert d.entries and {e.id for e in d.entries} <= ids

    agency = query(db, "select min(agency), agency_slug from meetings where agency is not null group by agency_slug "
                       "order by count(*) desc limit 1")[0]
    d = feed(hostile_site, "meetings.atom", agency=agency[0])
    assert d.entries and all(categories(e, "agency")[0].find(agency[1]) >= 0 for e in d.entries)

    d = feed(hostile_site, "meetings.atom", q="hoi nghi so ket")
    # Every word is in each item (the search matches words, ranks the phrase higher).
    assert d.entries and all(set("hoi nghi so ket".split()) <= set(re.findall(r"[a-z0-9]+", fold(
        e.title + " " + e.get("content", [{"value": ""}])[0]["value"]))) for e in d.entries)

    d = feed(hostile_site, "meetings.atom", since="2026-01-01", limit="500")
    assert d.entries and len(d.entries) < len(feed(hostile_site, "meetings.atom", limit="500").entries)

    assert len(feed(hostile_site, "meetings.rss", limit="3").entries) == 3
    capped = feed(hostile_site, "meetings.rss", limit="100000")  # capped, not refused
    assert len(capped.entries) <= 500
    assert all("content" not in e for e in feed(hostile_site, "meetings.atom", fulltext="0").entries)
    assert all(e.get("content") for e in feed(hostile_site, "meetings.atom", fulltext="1").entries)


@pytest.mark.parametrize("params, message", [
    ("limit=abc", "limit: not a whole number"), ("limit=0", "limit: must be at least 1"),
    ("since=2024-13-01", "since: no such day"), ("since=yesterday", "since: not a date"),
    ("since=2025-02-01&until=2025-01-01", "since: 2025-02-01 is after until"),
    ("kind=party", "kind: not a meeting kind"), ("province=Mars", "province: no source or meeting is in 'Mars'"),
    ("source=nope", "source: no source has the id 'nope'"), ("fulltext=yes", "fulltext: 0 or 1"),
    ("q=%22%22", "q: give at least one word"), ("q=" + "a" * 201, "q: longer than 200 characters"),
    ("kind=hop&kind=giam-sat", "kind: given 2 times"), ("order=1", "order: not a parameter"),
    ("q=%00x", "q: contains control"), ("agency=%21%21", "agency: give a name"),
])
def test_bad_parameters_are_400_with_a_one_line_message(hostile_site: Site, params: str, message: str) -> None:
    status, headers, body = get(f"{hostile_site[1].base}/feeds/meetings.atom?{params}")
    assert status == 400, body[:300]
    text = body.decode()
    assert message in text and text.count("\n") == 1 and "Traceback" not in text
    assert headers["cache-control"] == "no-store"
    # Pages answer the same mistakes with an HTML page carrying the same message.
    if not params.startswith(("limit", "fulltext")):
        status, _, page = get(f"{hostile_site[1].base}/meetings?{params}")
        assert status == 400 and message.split("'")[0] in page.decode()


def test_hostile_and_odd_parameters_never_reach_sql_or_crash(hostile_site: Site) -> None:
    _, served = hostile_site
    before = query(served.db, "select count(*), sum(length(text)) from articles")
    odd = ["' OR 1=1 --", "\"; DROP TABLE articles; --", "NEAR(a b)", "*", "a OR b", "title:x", "%", "_", "\\",
           "🦀", "hội nghị' --", "x" * 200, "đ", "(", ")", "^", "\"unterminated"]
    for value in odd:
        for name in ("q", "agency", "person", "province", "source", "kind", "since", "limit", "fulltext"):
            for path in ("/feeds/meetings.atom", "/meetings", "/search"):
                if path != "/feeds/meetings.atom" and name in ("limit", "fulltext"):
                    continue
                status, _, body = get(f"{served.base}{path}?{name}={quote(value)}")
                assert status in (200, 400), (path, name, value, status, body[:300])
    for path in ("/articles/abc", "/articles/-1", "/articles/99999999", "/feeds/../../etc/passwd", "/feeds/meetings.exe",
                 "/feeds/person/%00.rss", "/%2e%2e/", "/feeds/meetings.rss/extra"):
        status, _, _ = get(served.base + path)
        assert status == 404, path
    assert query(served.db, "select count(*), sum(length(text)) from articles") == before


def test_server_is_read_only(hostile_site: Site) -> None:
    _, served = hostile_site
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        req = urllib.request.Request(served.base + "/feeds/meetings.rss", method=method, data=b"x")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(req, timeout=10)
        assert info.value.code == 405 and info.value.headers["Allow"] == "GET, HEAD"
    # The connections the server reads through refuse writes outright.
    from store.db import open_db

    ro = open_db(str(served.db), upgrade=False, read_only=True)
    try:
        with pytest.raises(Exception, match="readonly|read-only|query_only|attempt to write"), ro.session() as s:
            from sqlalchemy import text

            s.execute(text("delete from articles"))
    finally:
        ro.dispose()
    assert query(served.db, "select count(*) from articles")[0][0] > 0


def test_serve_binds_loopback_by_default() -> None:
    help_text = run_cli("serve", "--help").stdout
    assert "--host TEXT" in help_text and "[default: 127.0.0.1]" in help_text


# ------------------------------------------------------------------------------ HTTP caching
def test_etag_last_modified_304_and_gzip(hostile_site: Site) -> None:
    url = hostile_site[1].base + "/feeds/meetings.atom?province=vinh-phuc"
    status, headers, body = get(url)
    etag, modified = headers["etag"], headers["last-modified"]
    assert status == 200 and re.fullmatch(r'"[0-9a-f]{32}"', etag), "a strong ETag"
    assert re.match(r"public, max-age=\d+", headers["cache-control"]) and headers["vary"] == "Accept-Encoding"
    assert get(url)[1]["etag"] == etag, "the same content, the same ETag"
    status, h304, empty = get(url, {"If-None-Match": etag})
    assert status == 304 and empty == b"" and h304["etag"] == etag
    assert get(url, {"If-None-Match": f'"other", {etag}'})[0] == 304
    assert get(url, {"If-None-Match": '"other"'})[0] == 200
    assert get(url, {"If-Modified-Since": modified})[0] == 304
    assert get(url, {"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})[0] == 200
    assert get(url, {"If-Modified-Since": "not a date"})[0] == 200
    # If-None-Match wins over If-Modified-Since.
    assert get(url, {"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200

    status, gz_headers, compressed = get(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and gz_headers["content-encoding"] == "gzip"
    assert gzip.decompress(compressed) == body and len(compressed) < len(body) / 3
    assert gz_headers["etag"] != etag, "another representation, another strong ETag"
    assert get(url, {"Accept-Encoding": "gzip", "If-None-Match": gz_headers["etag"]})[0] == 304
    assert "content-encoding" not in get(url, {"Accept-Encoding": "gzip;q=0"})[1]

    # feedparser as a reader: the second poll is a 304.
    first = feedparser.parse(url)
    assert first.bozo == 0 and first.status == 200 and first.etag
    second = feedparser.parse(url, etag=first.etag, modified=first.modified)
    assert second.status == 304 and second.bozo == 0 and not second.entries
    assert feedparser.parse(url, modified=first.modified).status == 304


def test_self_links_ttl_and_update_period_follow_the_schedule(hostile_site: Site) -> None:
    base = hostile_site[1].base
    body = get(f"{base}/feeds/meetings.rss?kind=hoi-nghi&limit=5")[2].decode()
    assert f'<atom:link href="{base}/feeds/meetings.rss?kind=hoi-nghi&amp;limit=5" rel="self"' in body
    # The farm's sources are crawled every 30 minutes.
    assert "<ttl>30</ttl>" in body
    assert "<sy:updatePeriod>hourly</sy:updatePeriod>" in body and "<sy:updateFrequency>2</sy:updateFrequency>" in body
    atom = feedparser.parse(get(f"{base}/feeds/source/baohatinh.atom")[2])
    assert {ln.rel: ln.href for ln in atom.feed.links}["self"] == f"{base}/feeds/source/baohatinh.atom"
    status, headers, _ = get(f"{base}/feeds/meetings.rss")
    assert headers["cache-control"] == "public, max-age=600"  # capped below the 30-minute ttl


def test_a_change_in_the_store_changes_the_etag_and_shows_in_history(fresh_farm: Farm, tmp_path: Path,
                                                                   db_target: Path | str) -> None:
    sources = write_sources(tmp_path / "s.toml", fresh_farm.sources_toml(only=["vinhyen"]))
    db = db_target

    def crawl(hours_later: float = 0) -> None:
        env = {"PORTALWATCH_NOW": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours_later)).isoformat()}
        assert run_cli("--db", str(db), "--sources", str(sources), "crawl", env=env).returncode == 0

    crawl()
    served = Served(db, sources)
    try:
        url = f"{served.base}/feeds/source/vinhyen.atom"
        first = feedparser.parse(url)
        assert first.status == 200 and feedparser.parse(url, etag=first.etag).status == 304
        paragraphs = ["Sáng ngày 18/11/2026, UBND thành phố Vĩnh Yên tổ chức hội nghị sơ kết công tác cải cách hành chính.",
                      "Hội nghị đã nghe báo cáo kết quả thực hiện nhiệm vụ và thảo luận nhiều giải pháp cụ thể.",
                      "Phát biểu kết luận, đồng chí Chủ tịch UBND thành phố yêu cầu các phòng, ban hoàn thành kế hoạch năm."]
        added = fresh_farm.add("vinhyen", "UBND thành phố Vĩnh Yên sơ kết cải cách hành chính", paragraphs, is_meeting=True)
        crawl()
        again = feedparser.parse(url, etag=first.etag)
        assert again.status == 200 and again.etag != first.etag, "a crawl by another process is seen at once"
        assert again.entries[0].title == added.title
        # An edit, noticed at the article's first re-check (crawler.sources recheck), is in its history.
        fresh_farm.edit("vinhyen", added.item_id, paragraphs=[*paragraphs[:2], "Đoạn kết luận đã được sửa lại hoàn toàn."])
        crawl(hours_later=2)
        [(article_id,)] = query(db, "select id from articles where title = ?", added.title)
        status, _, page = get(f"{served.base}/articles/{article_id}")
        text = page.decode()
        assert status == 200 and "Lịch sử phiên bản" in text and text.count('<p class="meta">') >= 3
        assert "<ins>" in text and "sửa lại hoàn toàn" in text and "<del>" in text
    finally:
        code, err = served.stop()
    assert code == 0, err


# ------------------------------------------------------------------------------------ search
def test_search_folds_vietnamese_including_d(hostile_site: Site) -> None:
    farm, served = hostile_site
    titled = [a for a in farm.articles.values() if a.status == "live" and fold("hội nghị sơ kết") in fold(a.title)]
    assert titled
    for q in ("hoi nghi so ket", "Hội nghị sơ kết", "HOI NGHI SO KET"):
        status, _, body = get(f"{served.base}/search?q={quote(q)}")
        page = body.decode()
        assert status == 200
        assert any(re.sub(r"\s+", " ", a.title) in _unmark(page) for a in titled), q
        assert re.search(r"<mark>[Hh]ội</mark> <mark>nghị</mark> <mark>sơ</mark> <mark>kết</mark>", page), q
    page = get(f"{served.base}/search?q=dang+uy")[2].decode()
    assert "<mark>Đảng</mark> <mark>ủy</mark>" in page or "<mark>Đảng</mark> <mark>Ủy</mark>" in page
    # FTS5's own folding leaves đ alone: without ours, "dang" would not find "Đảng".
    con = sqlite3.connect(":memory:")
    con.execute("create virtual table t using fts5(x, tokenize='unicode61 remove_diacritics 2')")
    con.execute("insert into t values ('Đảng ủy khối')")
    assert con.execute("select count(*) from t where t match 'dang'").fetchone()[0] == 0
    # Best match first: an article with the phrase in its title outranks one that merely has the words.
    first = re.search(r'<li class="result">\s*<h2><a href="/articles/\d+">(.*?)</a>', get(
        f"{served.base}/search?q=hoi+nghi+so+ket")[2].decode(), re.S)
    assert first and "sơ kết" in _unmark(first.group(1)).lower()


def _unmark(page: str) -> str:
    return re.sub(r"</?mark>", "", page).replace("&#34;", '"').replace("&quot;", '"').replace("&#39;", "'")


def test_search_snippets_and_highlight_keep_the_original_text() -> None:
    from portaltext.text import fold_chars
    from store.search import highlight, snippet, terms

    text = "Sáng ngày 19/10, Đảng ủy Khối tổ chức Hội nghị sơ kết <công tác> & năm 2023. " + "Nội dung khác. " * 40
    assert len(fold_chars(text)) == len(text) and fold_chars("Đảng ỦY") == "dang uy"
    words = terms('Hội nghị "sơ kết" đảng')
    assert words == ["hoi", "nghi", "so", "ket", "dang"]
    marked = snippet(text, words)
    assert "<mark>Đảng</mark>" in marked and "<mark>Hội</mark> <mark>nghị</mark>" in marked
    assert "&lt;công tác&gt; &amp;" in marked and "<công" not in marked
    assert highlight("Đảng ủy", ["dang"]) == "<mark>Đảng</mark> ủy"
    assert highlight("Hội nghị hội", ["hoi"]).count("<mark>") == 2


# ------------------------------------------------------------------------------------- pages
def test_pages_index_list_article_and_sources(hostile_site: Site) -> None:
    farm, served = hostile_site
    status, headers, body = get(served.base + "/")
    index = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert '<link rel="alternate" type="application/atom+xml"' in index and 'href="/feeds/meetings.atom"' in index
    assert 'href="/feeds/province/ha-tinh.rss"' in index and 'href="/feeds.opml"' in index
    assert '<meta name="viewport"' in index

    kind = query(served.db, "select kind from meetings group by kind order by count(*) desc limit 1")[0][0]
    page = get(f"{served.base}/meetings?kind={kind}")[2].decode()
    from portaltext.meeting.kinds import KINDS

    lines = re.findall(r'<p class="record">(.*?)</p>', page)
    assert lines and all(line.startswith(KINDS[kind].replace("&", "&amp;")) for line in lines)
    assert f'href="/feeds/meetings.atom?kind={kind}"' in page, "the filtered list can be subscribed to"
    total = int(re.search(r'id="total">(\d+)', page).group(1))
    # The list counts what the feed it offers holds: republished copies folded the same way.
    offered = feedparser.parse(get(f"{served.base}/feeds/meetings.atom?kind={kind}&limit=500")[2])
    assert 0 < total == len(offered.entries) <= query(
        served.db, "select count(*) from meetings m join articles a on a.id = m.article_id "
                   "where kind = ? and a.removed_at is null", kind)[0][0]

    first, second = (get(f"{served.base}/meetings{q}")[2].decode() for q in ("", "?page=2"))
    assert 'rel="next" href="?page=2"' in first and 'rel="prev" href="?page=1"' in second
    ids = [re.findall(r'href="/articles/(\d+)"', p) for p in (first, second)]
    assert len(ids[0]) == 20 and ids[1] and not set(ids[0]) & set(ids[1])

    dated = get(f"{served.base}/meetings?since=2026-01-01&until=2026-12-31")[2].decode()
    # Filtered by the date the page shows (published in Vietnam, else the meeting's day), never the crawl's.
    vn_day = ("date(a.published_at, '+7 hours')" if isinstance(served.db, Path)
              else "cast(a.published_at + interval '7 hours' as date)")
    in_2026 = query(served.db, "select count(distinct coalesce(a.cluster_id, -a.id)) from meetings m "
                               "join articles a on a.id = m.article_id where a.removed_at is null and "
                               f"coalesce({vn_day}, m.event_date) between '2026-01-01' and '2026-12-31'")[0][0]
    assert 0 < in_2026 == int(re.search(r'id="total">(\d+)', dated).group(1))

    [(article_id, url)] = query(served.db, "select a.id, a.fetched_url from articles a join meetings m on m.article_id = a.id "
                                           "where a.title like 'Sở Xây dựng tỉnh Vĩnh Phúc tổ chức Hội nghị sơ kết%' limit 1")
    article = get(f"{served.base}/articles/{article_id}")[2].decode()
    assert 'id="record"' in article and "Thông tin cuộc họp" in article and "Hội nghị sơ kết" in article
    assert f'href="{url}"' in article and "Lịch sử phiên bản" in article
    # The verdict with its score and reason, as stored.
    [(score, reason)] = query(served.db, "select meeting_score, meeting_reason from articles where id = ?", article_id)
    verdict = re.search(r'<p class="verdict" id="verdict">(.*?)</p>', article, re.S).group(1)
    assert f"meeting report, score {score:.2f}" in verdict and html.escape(reason, quote=False) in verdict
    other = query(served.db, "select id from articles where not is_meeting and meeting_score is not null limit 1")[0][0]
    assert "not a meeting report, score" in get(f"{served.base}/articles/{other}")[2].decode()

    sources_page = get(f"{served.base}/sources")[2].decode()
    for key in farm.portals:
        assert key in sources_page
    assert sources_page.count('<span class="badge">') == len(farm.portals)


# ------------------------------------------------------------------------------------ safety
LIVE_MARKUP = re.compile(r"<script|<iframe|<object|<embed|<form|<style|<svg|<meta http-equiv|<base |\son[a-z]+\s*=|"
                         r"javascript:|vbscript:|data:text|style=", re.I)


def test_hostile_articles_stay_inert_in_feeds_and_pages(hostile_site: Site) -> None:
    farm, served = hostile_site
    hostile = query(served.db, "select id, title, fetched_url from articles where title like 'Hội nghị <script>%' "
                               "or title like 'Kỳ họp thứ 7 HĐND tỉnh khóa XVIII%' or title like 'Toàn văn biên bản%'")
    assert len(hostile) == 5, hostile
    for path in ("meetings", "source/baohatinh", "source/vpubnd-vinhphuc", "province/ha-tinh"):
        for fmt in ("rss", "atom"):
            status, _, body = get(f"{served.base}/feeds/{path}.{fmt}?limit=500")
            parsed = feedparser.parse(body)
            assert status == 200 and parsed.bozo == 0, (path, fmt, parsed.get("bozo_exception"))
            titles = {e.title for e in parsed.entries}
            assert HOSTILE_TITLE in titles or path == "province/ha-tinh" and not any("<script" in t for t in titles)
            for e in parsed.entries:
                for content in e.get("content", []):
                    assert not LIVE_MARKUP.search(content["value"]), (path, e.title, LIVE_MARKUP.search(content["value"]))
                    assert "evil.example" not in content["value"] and SCRIPT_MARK not in content["value"]
                    assert HIDDEN_TEXT not in content["value"]
        doc = json.loads(get(f"{served.base}/feeds/{path}.json?limit=500")[2])
        assert not any(LIVE_MARKUP.search(item.get("content_html", "")) for item in doc["items"])
    entry = next(e for e in feed(hostile_site, "source/baohatinh.atom", limit="500").entries if e.title == HOSTILE_TITLE)
    body = entry.content[0]["value"]
    portal = farm.portals["baohatinh"].base_url
    assert f'href="{portal}/van-ban/ke-hoach-12.html"' in body and f'src="{portal}/img/hostile-1.jpg"' in body
    assert "Kết luận hội nghị" in body, "the paragraphs after the hostile blocks survive"
    control = [e for e in feed(hostile_site, "meetings.rss", limit="500").entries if e.title.startswith("Kỳ họp thứ 7 HĐND")]
    assert control and all(e.title == re.sub(r"[\x00-\x1f]", "", CONTROL_TITLE) for e in control)
    huge = next(e for e in feed(hostile_site, "source/baohatinh.atom", limit="500").entries if e.title.startswith("Toàn văn"))
    assert len(huge.content[0]["value"]) < 150_000 and "toàn văn tại nguồn" in huge.content[0]["value"]

    for article_id, title, _ in hostile:
        status, headers, body = get(f"{served.base}/articles/{article_id}")
        page = body.decode()
        assert status == 200 and "script-src" not in headers["content-security-policy"]
        assert headers["content-security-policy"].startswith("default-src 'none'")
        assert not LIVE_MARKUP.search(page), (title, LIVE_MARKUP.search(page))
        if title == HOSTILE_TITLE:
            assert "Hội nghị &lt;script&gt;alert(&#34;tiêu đề&#34;)&lt;/script&gt; &amp;" in page
    for path in ("/meetings?q=hoi+nghi", "/search?q=script", "/search?q=dang+uy", "/"):
        page = get(served.base + path)[2].decode()
        # Our own search and filter forms are the only forms.
        page = page.replace('<form class="filters"', "").replace('<form class="search"', "")
        assert not LIVE_MARKUP.search(page), (path, LIVE_MARKUP.search(page))


def test_every_feed_name_leads_to_its_html_list(hostile_site: Site) -> None:
    """A feed's name on `/`, its channel <link> and its OPML htmlUrl open the page listing what it
    holds, and that page answers."""
    _, served = hostile_site
    index = get(served.base + "/")[2].decode()
    named = [(html.unescape(t), served.base + html.unescape(h))
             for h, t in re.findall(r'<a class="feed-title" href="([^"]+)">([^<]+)</a>', index)]
    outlines = [o.attrib for o in ET.fromstring(get(served.base + "/feeds.opml")[2]).iter("outline") if "xmlUrl" in o.attrib]
    assert sorted(named) == sorted((o["title"], o["htmlUrl"]) for o in outlines) and len(named) > 10
    for o in outlines:
        page = o["htmlUrl"]
        assert page.startswith(served.base + "/") and page != served.base + "/", o
        path = o["xmlUrl"].split("/feeds/", 1)[1].removesuffix(".rss")
        if path.startswith(("province/", "kind/", "source/", "changes", "ops")) or path == "meetings":
            channel = feed(hostile_site, f"{path}.atom").feed
            assert channel.link == page, path
            assert get(page)[0] == 200, page
    # The per-kind list holds what the per-kind feed holds.
    kind_page = next(o for o in outlines if "/feeds/kind/" in o["xmlUrl"])
    listed = re.findall(r'href="/articles/(\d+)"', get(kind_page["htmlUrl"])[2].decode())
    entries = feed(hostile_site, kind_page["xmlUrl"].split("/feeds/", 1)[1].replace(".rss", ".atom")).entries
    assert len(listed) == min(20, len(entries))
    changes = get(served.base + "/changes")[2].decode()
    assert 'id="changes"' in changes and "/feeds/changes.atom" in changes
