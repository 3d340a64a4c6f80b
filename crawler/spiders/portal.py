"""`portal`: one generic spider for every source.

    scrapy crawl portal -a source=ID [-a max_pages=N] [-a mode=backfill] [-a since=YYYY-MM-DD]

A source's first crawl walks its lists up to `max_pages`. A routine crawl of a known source sends
conditional GETs for list pages, requests only article URLs it has not stored, and stops at the
first list page holding no new article; it also re-fetches known articles that are due on the
re-check schedule, to catch edits and removals. `mode=backfill` walks the lists on purpose, up to
`max_pages`, optionally stopping at list entries older than `since`.

Nothing is written here: items go to the pipelines; the RunRecorder extension records the run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from lxml.html import HtmlElement
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.clock import now
from crawler.encoding import page_text
from crawler.extract import extract_article, parse_html
from crawler.items import ArticleGoneItem, ArticleItem, ListPageItem
from crawler.links import (
    Link,
    NextPage,
    find_article_links,
    find_feeds,
    find_next,
    links_from_feed,
    links_from_json,
    next_by_parameter,
    sitemap_index,
    sitemaps_in_robots,
)
from crawler.sources import get_source, load_sources
from crawler.urls import canonicalize, same_site
from portaltext.dates import VN_TZ, parse_iso
from store.db import shared_db
from store.monitor import CrawlState, conditional_headers, crawl_state

MAX_ERRORS_KEPT = 50
GONE_STATUSES = [404, 410]
HOME_PATHS = {"", "/", "/index.html", "/index.php", "/default.aspx", "/trang-chu", "/home", "/vi", "/vi/"}
Item = ArticleItem | ArticleGoneItem | ListPageItem | scrapy.Request


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, source: str | None = None, max_pages: int | str = 5, sources_file: str | None = None,
                 mode: str = "auto", since: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not source:
            raise ValueError("spider 'portal' needs a source: scrapy crawl portal -a source=ID")
        self.source = get_source(load_sources(sources_file), source)
        self.max_pages = int(max_pages)
        if self.max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, got {max_pages}")
        if mode not in ("auto", "backfill"):
            raise ValueError(f"mode must be 'auto' or 'backfill', got {mode!r}")
        self.mode = mode
        self.since: datetime | None = parse_iso(since) if since else None
        if since and self.since is None:
            raise ValueError(f"since: not a date (use YYYY-MM-DD): {since!r}")
        self.errors: list[str] = []
        # List pages an article of which was not fetched or not stored: their validators are not kept.
        self.unsettled_lists: set[str] = set()
        self.seen_articles: set[str] = set()
        self.listed: set[str] = set()  # article URLs the list pages of this run showed
        self.feeds_requested: set[str] = set()
        self.last_lists: dict[str, str] = {}  # start URL → what its last list page listed (a hash)
        self.shapes: dict[str, set[str]] = {}
        self.state = CrawlState()
        self.routine = False

    # ------------------------------------------------------------------ helpers
    def canon(self, url: str) -> str:
        return canonicalize(url, self.source.urls.id_params, self.source.urls.ignore_params)

    def _record(self, message: str, key: str) -> None:
        self.crawler.stats.inc_value(f"portalwatch/{key}")
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(message)
        self.logger.warning(message)

    def _text(self, response: HtmlResponse) -> str:
        text, repaired = page_text(response)
        if repaired:
            self.crawler.stats.inc_value("portalwatch/charset_repaired")
            label = (response.headers.get("Content-Type") or b"").decode("latin-1")
            self.logger.warning("%s: labelled %r but decodes as %s; read as %s", response.url, label, repaired, repaired)
        return text

    def _list_request(self, url: str, page: int, start: str, how: str = "start") -> scrapy.Request:
        headers = conditional_headers(self.state.validators.get(url), now()) if self.routine else {}
        return scrapy.Request(url, callback=self.parse_list, errback=self.on_error, headers=headers,
                              meta={"page": page, "start_url": start, "kind": "list", "handle_httpstatus_list": [304],
                                    "next_how": how},
                              dont_filter=page == 1)

    def _next_request(self, response: Response, found: NextPage, page: int, start: str) -> scrapy.Request | None:
        if found.url:
            return self._list_request(found.url, page, start, found.how)
        if not found.postback or not isinstance(response, TextResponse):
            return None
        # An ASP.NET pager: post the page's own form back with the pager's event, ViewState and all.
        target, argument = found.postback
        try:
            return scrapy.FormRequest.from_response(
                response, formxpath="//form[.//input[@name='__VIEWSTATE']]", dont_click=True,
                formdata={"__EVENTTARGET": target, "__EVENTARGUMENT": argument}, callback=self.parse_list,
                errback=self.on_error, dont_filter=True,
                meta={"page": page, "start_url": start, "kind": "list", "next_how": "postback", "postback": True})
        except ValueError:
            self._record(f"{response.url}: the pager posts back ({target}, {argument}) but the page has no ASP.NET form",
                         "list_errors")
            return None

    # ------------------------------------------------------------------ start
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        if getattr(self, "locked_out", None):
            return  # another process is crawling this source (crawler.extensions.RunRecorder)
        # The RunRecorder extension migrated the schema when the crawler was built.
        self.state = crawl_state(shared_db(self.crawler.settings.get("PORTALWATCH_DB")), self.source.id, now())
        self.routine = self.mode == "auto" and self.state.has_articles and self.state.walked
        self.crawler.stats.set_value("portalwatch/mode", "routine" if self.routine else
                                     ("backfill" if self.mode == "backfill" else "first"))
        for url in self.source.start_urls:
            yield self._list_request(url, 1, url)
        for canonical, fetch_url in self.state.due:
            self.seen_articles.add(canonical)
            self.crawler.stats.inc_value("portalwatch/rechecks")
            yield scrapy.Request(fetch_url, callback=self.parse_article, errback=self.on_error,
                                 meta={"kind": "article", "recheck": True, "canonical": canonical,
                                       "handle_httpstatus_list": GONE_STATUSES})

    # ------------------------------------------------------------------ list pages
    def parse_list(self, response: Response) -> Iterator[Item]:
        if response.status == 304:
            self.crawler.stats.inc_value("portalwatch/list_not_modified")
            self.crawler.stats.inc_value("portalwatch/list_pages")
            yield ListPageItem(self.source.id, response.url, 304)
            return  # unchanged since the last crawl: nothing new here, nor further on
        start = response.meta["start_url"]
        page = response.meta["page"]
        read = self._read_list(response, start, page)
        if read is None:
            return
        links, root, feeds = read
        how = response.meta.get("next_how")
        if how not in ("robots", "feed"):
            # A feed, a sitemap or robots.txt is not a list page: "every list page yields nothing" (a
            # redesign) must still read as such when the portal also has them.
            self.crawler.stats.inc_value("portalwatch/list_pages")
        if not links and not feeds and how == "start" and isinstance(response, HtmlResponse):
            # Nothing readable on the start page: its host's robots.txt may name a news sitemap.
            parts = urlsplit(response.url)
            yield self._list_request(f"{parts.scheme}://{parts.netloc}/robots.txt", 1, start, "robots")
        elif not links and not feeds:
            where = f"{start}: list page yields no article links, and robots.txt names no sitemap" if how == "robots" \
                else f"{response.url}: list page yields no article links"
            self._record(where, "empty_lists")
        for feed in feeds:
            # The page's own feed lists its newest articles with their dates, for one request.
            if feed not in self.feeds_requested and len(self.feeds_requested) < 10:
                self.feeds_requested.add(feed)
                yield self._list_request(feed, 1, start, "feed")
        header = response.headers.get
        links_hash = hashlib.sha256("\n".join(sorted(link.url for link in links)).encode()).hexdigest()
        postback = bool(response.meta.get("postback"))
        # A posted-back page shares its URL with page 1: its validators would stand for the wrong page.
        yield ListPageItem(
            self.source.id, response.url, response.status,
            etag=None if postback else (header("ETag") or b"").decode("latin-1") or None,
            last_modified=None if postback else (header("Last-Modified") or b"").decode("latin-1") or None,
            links_hash=None if postback else links_hash,
        )
        if response.meta.get("next_how") == "feed":
            # A feed's links are fetched like a list page's; the list's own pages and where they end
            # stay the list's business.
            for link in links:
                if link.url not in self.seen_articles and link.url not in self.state.known_urls:
                    self.seen_articles.add(link.url)
                    yield scrapy.Request(link.href, callback=self.parse_article, errback=self.on_error,
                                         meta={"kind": "article", "canonical": link.url, "list_url": response.url})
            return
        fresh = 0
        too_old = 0
        for link in links:
            if self.since and link.listed_date and link.listed_date < self.since.astimezone(VN_TZ):
                too_old += 1
                continue
            if link.url in self.seen_articles:
                continue
            self.seen_articles.add(link.url)
            if link.url in self.state.known_urls:
                continue
            fresh += 1
            yield scrapy.Request(link.href, callback=self.parse_article, errback=self.on_error,
                                 meta={"kind": "article", "canonical": link.url, "list_url": response.url})
        previous = self.last_lists.get(start)
        self.last_lists[start] = links_hash
        if self.routine and not fresh:
            return  # a routine crawl stops at the first list page with nothing new
        if links and too_old == len(links):
            return  # the whole page is older than --since
        if page > 1 and (not links or links_hash == previous or not any(link.url not in self.listed for link in links)):
            return  # past the last page: nothing listed, or what an earlier page listed
        self.listed.update(link.url for link in links)
        if page >= self.max_pages:
            return
        # A list that led here by a label, a pager or a postback ends where that stops; only a list that
        # shows no way of paging (or already pages by its parameter) has its page number guessed.
        guess = response.meta.get("next_how") in ("start", "parameter")
        if root is not None and isinstance(response, HtmlResponse):
            found = find_next(root, response.url, page, self.source.list.next, guess=guess)
        elif response.meta.get("json_next"):  # a JSON list names its next page
            found = NextPage("json", url=response.meta["json_next"])
        else:  # ... or pages by its own parameter
            found = next_by_parameter(response.url) if links else None
        request = self._next_request(response, found, page + 1, start) if found else None
        if request is not None:
            yield request

    def _read_list(self, response: Response, start: str, page: int) -> tuple[list[Link], HtmlElement | None, list[str]] | None:
        """A list's entries, whatever it came as: an HTML page (and the feeds it offers), a JSON list
        endpoint (a "Xem thêm" button's), or an RSS/Atom feed or sitemap."""
        ctype = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
        head = response.body[:200].lstrip()
        if response.meta.get("next_how") == "robots":
            text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
            return [], None, sitemaps_in_robots(text, response.url)[:3]
        if response.meta.get("next_how") == "feed" and (index := sitemap_index(response.body)):
            return [], None, [u for u in index if same_site(u, response.url)][:5]
        if "json" in ctype or (head[:1] in (b"{", b"[") and not isinstance(response, HtmlResponse)):
            try:
                data = json.loads(response.text if isinstance(response, TextResponse) else response.body)
            except ValueError as exc:
                self._record(f"{response.url}: list endpoint answered no JSON ({exc})", "list_errors")
                return None
            links, next_url = links_from_json(data, response.url, self.canon)
            response.meta["json_next"] = next_url
            return links, None, []
        if "xml" in ctype or "rss" in ctype or "atom" in ctype or head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset")):
            return links_from_feed(response.body, response.url, self.canon), None, []
        if not isinstance(response, HtmlResponse):
            self._record(f"{response.url}: list page is not HTML ({ctype or 'no Content-Type'})", "list_errors")
            return None
        root = parse_html(self._text(response), response.url)
        links, shapes = find_article_links(root, response.url, self.source.list.item, self.shapes.get(start), self.canon)
        self.shapes[start] = shapes
        feeds = find_feeds(root, response.url) if page == 1 and response.meta.get("next_how") == "start" else []
        return links, root, feeds

    # ------------------------------------------------------------------ articles
    def _gone_by_redirect(self, response: Response) -> bool:
        """A re-check redirected to the portal's home or a list page: the article is gone."""
        if not response.meta.get("redirect_urls"):
            return False
        final = urlsplit(response.url)
        starts = {self.canon(u) for u in self.source.start_urls}
        return final.path.lower() in HOME_PATHS or self.canon(response.url) in starts

    def parse_article(self, response: Response) -> Iterator[Item]:
        recheck = bool(response.meta.get("recheck"))
        canonical = response.meta.get("canonical") or self.canon(response.url)
        if response.status in GONE_STATUSES:
            yield ArticleGoneItem(self.source.id, canonical, f"HTTP {response.status} at {response.url}")
            return
        if recheck and self._gone_by_redirect(response):
            yield ArticleGoneItem(self.source.id, canonical, f"redirected to {response.url}")
            return
        if not isinstance(response, HtmlResponse):
            self._record(f"{response.url}: article is not HTML", "article_errors")
            return
        try:
            x = extract_article(self._text(response), response.url, self.source.article)
        except Exception as exc:  # noqa: BLE001 - one page we cannot read must not stop the others
            if response.meta.get("list_url"):
                self.unsettled_lists.add(response.meta["list_url"])
            self._record(f"{response.url}: extraction failed: {type(exc).__name__}: {exc}", "article_errors")
            return
        for problem in x.problems:
            self.logger.info("%s: %s", response.url, problem)
        if recheck and not x.title and not x.paragraphs:
            self._record(f"{response.url}: re-check found no article on the page", "article_errors")
            return
        yield ArticleItem(
            source_id=self.source.id, url=canonical, fetched_url=response.url, title=x.title, published=x.published,
            author=x.author, lead=x.lead, paragraphs=x.paragraphs, captions=x.captions, html=x.html,
            recheck=recheck, problems=x.problems, list_url=response.meta.get("list_url"),
        )

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("kind", "article")
        if request.meta.get("list_url"):
            self.unsettled_lists.add(request.meta["list_url"])
        if request.meta.get("next_how") == "parameter" and failure.check(HttpError):
            # A page number guessed one past the last page: the list ended there.
            self.logger.info("%s: %s; the list ends before it", request.url, describe_failure(failure, self.crawler.settings))
            return
        if request.meta.get("next_how") == "robots":
            # The start page listed nothing and its host has no robots.txt to name a sitemap: that is the error.
            self._record(f"{request.meta['start_url']}: list page yields no article links "
                         f"(robots.txt: {describe_failure(failure, self.crawler.settings)})", "empty_lists")
            return
        self._record(f"{request.url}: {describe_failure(failure, self.crawler.settings)}", f"{kind}_errors")


def describe_failure(failure: Failure, settings: Any) -> str:
    """An operator's reading of a failed request, with the exception type for searching logs."""
    name = failure.type.__name__ if failure.type else "error"
    message = failure.getErrorMessage() or ""
    if failure.check(HttpError):
        response = failure.value.response
        location = (response.headers.get("Location") or b"").decode("latin-1").strip()
        if 300 <= response.status < 400 and location:
            scheme = urlsplit(location).scheme.lower()
            if scheme and scheme not in ("http", "https"):
                return f"redirected to a {scheme}: URL, which is not followed (HTTP {response.status})"
            return f"HTTP {response.status}: redirect to {location[:200]} not followed"
        return f"HTTP {response.status}"
    if "max redirections" in message:
        return f"redirect loop: more than {settings.getint('REDIRECT_MAX_TIMES')} redirections"
    if failure.check(scrapy.exceptions.IgnoreRequest):
        return f"not fetched: {message or 'forbidden by robots.txt'}"
    lowered = f"{name} {message}".lower()
    # Scrapy cancels a body that grows past the cap (no Content-Length, chunked forever) with an
    # empty CancelledError; with a Content-Length it says so in the message.
    if "maxsize" in lowered or "max size" in lowered or "exceeds" in lowered or ("cancel" in name.lower() and not message):
        return f"page larger than the {settings.getint('DOWNLOAD_MAXSIZE') // (1024 * 1024)} MB cap ({name})"
    if "dataloss" in lowered:
        return f"truncated response: the portal closed the connection before the announced length ({name})"
    if "timeout" in lowered:
        return f"timed out after {settings.getint('DOWNLOAD_TIMEOUT')} s ({name})"
    if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
        return f"TLS error (set tls_verify = false for this source only if you trust it): {message[:200]} ({name})"
    if "refused" in lowered:
        return f"connection refused ({name})"
    if "dns" in lowered or "lookup" in lowered:
        return f"host not found ({name})"
    if "connectiondone" in lowered or "connectionlost" in lowered or "reset" in lowered or "downloadfailed" in lowered:
        return f"connection closed or reset by the portal ({name})"
    return f"{name}: {message[:300]}"
