"""Property-based tests (hypothesis) over the readers of outside input added for unseen markup: list
pages, pagers, feeds, JSON list endpoints, metadata dates and URL shapes take anything without raising."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract import extract_article, parse_html
from crawler.history import MAX_DIFF_CHARS, describe_change, word_diff
from crawler.links import find_article_links, find_feeds, find_next, links_from_feed, links_from_json, next_by_parameter
from crawler.urls import canonicalize, url_shape
from portaltext.dates import parse_meta_date
from portaltext.dedupe import minhash_of, signature, text_hash

PAGE = "http://127.0.0.1:8000/tin-tuc?page=2"
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TAGS = st.sampled_from(["a", "div", "li", "ul", "span", "p", "b", "h3", "nav", "header", "article", "button", "link", "img",
                        "time", "table", "td", "form", "input", "script"])
ATTRS = st.sampled_from(['href="/tin/1.html"', 'href="javascript:__doPostBack(\'x$pager\',\'Page$2\')"', 'class="active"',
                         'rel="next"', 'data-url="/api?page=2"', 'alt="Trang sau"', 'href="?page=3"', 'datetime="2024-13-45"',
                         'type="application/ld+json"', 'href="http://other.example/x"', 'name="__VIEWSTATE"', ""])
TEXT = st.one_of(st.sampled_from(["Trang sau »", "»", "›", "[Tiếp]", "1", "2", "3", "Xem thêm", "Kỳ họp thứ 9", "Trước", "Cuối",
                                  "Hội nghị sơ kết công tác 6 tháng đầu năm 2024 của tỉnh", "09/05/2026 10:17 PM", "{\"a\":"]),
                 st.text(max_size=30))
ELEMENT = st.builds(lambda tag, attr, text, inner: f"<{tag} {attr}>{text}{inner}</{tag}>", TAGS, ATTRS, TEXT,
                    st.one_of(st.just(""), st.builds(lambda t, a, x: f"<{t} {a}>{x}</{t}>", TAGS, ATTRS, TEXT)))
HTML = st.lists(ELEMENT, max_size=30).map(lambda parts: "<html><body>" + "".join(parts) + "</body></html>")


@FAST
@given(HTML)
def test_list_page_readers_take_any_markup(html: str) -> None:
    root = parse_html(html, PAGE)
    links, shapes = find_article_links(root, PAGE)
    assert all(link.url.startswith("http://127.0.0.1:8000") for link in links)
    found = find_next(root, PAGE, 2)
    assert found is None or found.url or found.postback
    find_feeds(root, PAGE)
    extract_article(html, PAGE)


@FAST
@given(st.one_of(st.binary(max_size=400), st.lists(ELEMENT, max_size=10).map(
    lambda parts: '<?xml version="1.0"?><rss><channel><item><link>http://127.0.0.1:8000/tin/9.html</link>'
                  "<pubDate>Tue, 99 Foo 2024</pubDate></item>" + "".join(parts) + "</channel></rss>")))
def test_feed_reader_takes_any_bytes(data: bytes | str) -> None:
    for link in links_from_feed(data, PAGE):
        assert link.url.startswith("http://127.0.0.1:8000")


JSONS = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                               st.sampled_from(["/tin/1.html", "http://127.0.0.1:8000/tin/2", "http://x.example/3",
                                                "2024-05-12"])),
                     lambda children: st.lists(children, max_size=5) | st.dictionaries(
                         st.sampled_from(["url", "title", "date", "next", "data", "items", "link", "x"]), children, max_size=5),
                     max_leaves=30)


@FAST
@given(JSONS)
def test_json_list_reader_takes_any_json(data: object) -> None:
    json.dumps(data)
    links, next_url = links_from_json(data, PAGE)
    assert next_url is None or next_url.startswith("http://127.0.0.1:8000")


@FAST
@given(st.one_of(st.text(max_size=40), st.sampled_from(["9/5/2026 10:17:01 PM", "13/13/2026", "05/09/2026 22:17", "2026-09-05"])))
def test_meta_dates_take_any_text(text: str) -> None:
    value = parse_meta_date(text)
    assert value is None or value.tzinfo is not None


@FAST
@given(st.text(max_size=80))
def test_urls_take_any_text(tail: str) -> None:
    url = "http://127.0.0.1:8000/" + tail
    try:
        canonical = canonicalize(url)
    except ValueError:
        return  # urllib refuses it (an invalid port or IPv6 literal); so does every client
    assert canonicalize(canonical) == canonical
    url_shape(canonical)
    next_by_parameter(url)


GOLDEN = sorted((Path(__file__).parent / "resources" / "golden").glob("*.html"))


@FAST
@given(st.sampled_from(GOLDEN), st.floats(min_value=0.0, max_value=1.0), st.text(max_size=20))
def test_extraction_takes_truncated_pages(path: Path, fraction: float, tail: str) -> None:
    # A connection reset mid-body leaves a page cut anywhere: inside a tag, an entity, a script.
    page = path.read_text(encoding="utf-8")
    cut = page[: int(len(page) * fraction)] + tail
    article = extract_article(cut, "http://127.0.0.1:8000/tin/1.html")
    assert article.title is None or len(article.title) <= 300
    assert article.published is None or article.published.tzinfo is not None


WORDS = st.lists(st.sampled_from(["Hội", "nghị", "tỉnh", "UBND", "ngày", "19/10", "-]", "{+", "[-", "+}", "…", " ", "\n"])
                 | st.text(max_size=8), max_size=60).map(" ".join)


@FAST
@given(WORDS, WORDS, st.one_of(st.none(), WORDS), st.one_of(st.none(), st.text(max_size=25)))
def test_diffs_take_any_text(old: str, new: str, title: str | None, date: str | None) -> None:
    diff = word_diff(old, new)
    assert len(diff) <= MAX_DIFF_CHARS
    assert (diff == "") == (old.split() == new.split())
    change = describe_change(title, title, date, date, old, new)
    assert (change == "") == (old == new)


@FAST
@given(WORDS)
def test_dedupe_takes_any_text(text: str) -> None:
    # The same words in another spacing or punctuation are the same body to the fingerprint.
    assert text_hash(text) == text_hash("  " + text.replace(" ", " , ") + "\n")
    sig = signature(text)
    assert sig is None or minhash_of(sig).jaccard(minhash_of(sig)) == 1.0
