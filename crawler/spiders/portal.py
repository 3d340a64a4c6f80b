"""`portal`: one generic spider for every source. `scrapy crawl portal -a source=ID [-a max_pages=N]`.

List pages → article links (zero-config discovery, or the source's `[source.list]` selectors) and
the next page, up to `max_pages`; article pages → `ArticleItem`. Nothing is written here: the
pipelines store items and the RunRecorder extension records the run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.extract import extract_article, parse_html
from crawler.items import ArticleItem
from crawler.links import find_article_links, find_next_page
from crawler.sources import get_source, load_sources
from crawler.urls import canonicalize

MAX_ERRORS_KEPT = 50


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, source: str | None = None, max_pages: int | str = 5, sources_file: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not source:
            raise ValueError("spider 'portal' needs a source: scrapy crawl portal -a source=ID")
        self.source = get_source(load_sources(sources_file), source)
        self.max_pages = int(max_pages)
        if self.max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, got {max_pages}")
        self.errors: list[str] = []
        self.seen_articles: set[str] = set()
        self.shapes: dict[str, set[str]] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        for url in self.source.start_urls:
            yield scrapy.Request(url, callback=self.parse_list, errback=self.on_error,
                                 meta={"page": 1, "start_url": url, "kind": "list"})

    def _record(self, message: str, key: str) -> None:
        self.crawler.stats.inc_value(f"portalwatch/{key}")
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(message)
        self.logger.warning(message)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, HtmlResponse):
            ctype = (response.headers.get("Content-Type") or b"").decode("latin-1")
            self._record(f"{response.url}: list page is not HTML ({ctype or 'no Content-Type'})", "list_errors")
            return
        self.crawler.stats.inc_value("portalwatch/list_pages")
        root = parse_html(response.text, response.url)
        start = response.meta["start_url"]
        links, shapes = find_article_links(root, response.url, self.source.list.item, self.shapes.get(start))
        self.shapes[start] = shapes
        if not links:
            self._record(f"{response.url}: list page yields no article links", "empty_lists")
        for link in links:
            if link.url in self.seen_articles:
                continue
            self.seen_articles.add(link.url)
            yield scrapy.Request(link.url, callback=self.parse_article, errback=self.on_error,
                                 meta={"kind": "article", "list_url": response.url})
        page = response.meta["page"]
        if page >= self.max_pages:
            return
        next_url = find_next_page(root, response.url, page, self.source.list.next)
        if next_url:
            yield scrapy.Request(next_url, callback=self.parse_list, errback=self.on_error,
                                 meta={"page": page + 1, "start_url": start, "kind": "list"})

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        if not isinstance(response, HtmlResponse):
            self._record(f"{response.url}: article is not HTML", "article_errors")
            return
        x = extract_article(response.text, response.url, self.source.article)
        for problem in x.problems:
            self.logger.info("%s: %s", response.url, problem)
        yield ArticleItem(
            source_id=self.source.id, url=canonicalize(response.request.url if response.request else response.url),
            fetched_url=response.url, title=x.title, published=x.published, author=x.author, lead=x.lead,
            paragraphs=x.paragraphs, captions=x.captions, html=x.html, problems=x.problems,
        )

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("kind", "article")
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif "robots.txt" in (failure.getErrorMessage() or "").lower() or failure.check(scrapy.exceptions.IgnoreRequest):
            reason = f"not fetched: {failure.getErrorMessage() or 'forbidden by robots.txt'}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self._record(f"{request.url}: {reason}", f"{kind}_errors")
