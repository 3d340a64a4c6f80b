"""The readers' server (`portalwatch serve`): feeds with filters, OPML, search and web pages.

A Starlette application on uvicorn, reading the database read-only (SQLite connections refuse
writes outright). Routes, all GET (HEAD follows):

    /                       index of feeds, with subscribe links and feed autodiscovery
    /meetings               meeting reports, with filters and a search box
    /search?q=              every article, best match first, with highlighted snippets
    /articles/<id>          one article: its meeting record, the original link, its versions
    /sources                each source's health, for operators
    /changes                edits, removals and restorations (the changes feeds as a page)
    /feeds/<name>.rss|.atom|.json   every feed `feeds build` writes, under the same names,
                            filtered by province, source, agency, kind, person, q, since,
                            until, limit and fulltext
    /feeds.opml             all feeds, for one-click import into a reader

Every parameter is validated (feeds.params); a bad one is a 400 with a one-line message.
"""

from __future__ import annotations

import html
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from crawler.sources import Source as SourceConfig
from portaltext.dates import ReportDate, iso, report_date, show_moment, show_published
from portaltext.meeting.kinds import KINDS
from store.browse import Found, Order, count, find, provinces
from store.db import Database, error_line
from store.health import SourceStatus, source_status
from store.history import article_extras
from store.meetings import facets
from store.models import Article, ArticleChange, Meeting, Source
from store.repo import counts_by_source, next_runs, sources
from store.search import body_of, highlight, snippet

from .build import DEFAULT_LIMIT, FeedSpec, body_html, catalog, interval_of, list_url, make_feed, meeting_line
from .changes import KIND_LABEL, day_start, diff_html, source_scope
from .formats import MEDIA_TYPES, Format, render
from .http import DEFAULT_CACHE_BYTES, PAGE_CSP, SECURITY_HEADERS, DataVersion, Rendered, ResponseCache, cache_key, respond
from .params import FAMILY_PARAMS, FEED_PARAMS, PAGE_PARAMS, BadParameter, Known, parse

log = logging.getLogger("portalwatch.server")
PER_PAGE = 20
CHANGES_PAGE_PARAMS = ("province", "source", "since", "until", "page")
REQUEST_SECONDS = 15  # a query still running after this is interrupted: 503 with one line
MAX_ROW_ID = 2**63 - 1
PAGE_BODY_CHARS = 500_000  # an article page shows this much of a body, then links to the original
PAGE_MAX_AGE = 60
FEED_MAX_AGE_CAP = 600
STATIC = Path(__file__).parent / "static"
GROUP_LABELS = {
    "meetings": "Tất cả báo cáo hội nghị (all meeting reports)", "province": "Theo tỉnh, thành phố (by province)",
    "source": "Theo nguồn tin (by source)", "kind": "Theo loại cuộc họp (by kind)",
    "agency": "Theo cơ quan chủ trì (by host agency)", "person": "Theo người tham dự (by person)",
    "changes": "Bài bị sửa, gỡ, khôi phục (changes)", "ops": "Tình trạng nguồn tin (source health)",
}


class NotFound(Exception):
    pass


@dataclass
class ServerConfig:
    db: Database
    base_url: str | None = None  # public URL of the server; None: from each request's Host
    source_configs: list[SourceConfig] | None = None  # from the sources file, for health and schedules
    cache_size: int = 512
    cache_bytes: int = DEFAULT_CACHE_BYTES


def _templates() -> Environment:
    env = Environment(loader=PackageLoader("feeds", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    # One clock for people (portaltext.dates): a recorded moment always with its time, a portal's
    # date with its time only when the portal printed one; machine-readable ISO in <time datetime>.
    env.filters["vn_datetime"] = show_moment
    env.filters["vn_published"] = show_published
    env.filters["vn_date"] = lambda d: d.strftime("%d/%m/%Y") if d else ""
    env.filters["iso"] = iso
    env.globals["KINDS"] = KINDS
    return env


class Server:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.db = config.db
        self.version = DataVersion(config.db)
        self.cache = ResponseCache(config.cache_size, config.cache_bytes)
        self.intervals = {s.id: s.interval for s in config.source_configs or [] if s.enabled}
        self.env = _templates()
        self.catalog_cache: tuple[int | None, dict[str, FeedSpec], Known] | None = None
        self._deadline = threading.local()
        # SQLite calls this every few thousand virtual-machine steps of a query; past the request's
        # deadline it interrupts the query, so no request holds a worker (or Ctrl-C) for minutes.
        event.listen(config.db.engine, "connect", self._watch_queries)

    def _watch_queries(self, dbapi_conn: Any, _record: Any) -> None:
        if hasattr(dbapi_conn, "set_progress_handler"):
            dbapi_conn.set_progress_handler(self._over_time, 10_000)

    def _over_time(self) -> int:
        at = getattr(self._deadline, "at", None)
        return 1 if at is not None and time.monotonic() > at else 0

    # ------------------------------------------------------------------ shared lookups
    def feeds(self, version: int | None) -> tuple[dict[str, FeedSpec], Known]:
        """The catalog and the known provinces and sources, recomputed when the data changes."""
        cached = self.catalog_cache
        if cached is not None and version is not None and cached[0] == version:
            return cached[1], cached[2]
        specs = {s.path: s for s in catalog(self.db)}
        with self.db.session() as s:
            known = Known(provinces=provinces(s), sources=[src.id for src in sources(self.db)])
        self.catalog_cache = (version, specs, known)
        return specs, known

    def base(self, request: Request) -> str:
        return (self.config.base_url or str(request.base_url)).rstrip("/")

    def cached(self, request: Request, version: int | None, build: Callable[[], Rendered]) -> Response:
        """The response for this URL at this data version: from memory, else built and kept."""
        key = cache_key(self.base(request), request.url.path, request.query_params.multi_items())
        hit = self.cache.get(key, version)
        if hit is None:
            hit = self.cache.put(key, build(), version)
        return respond(request, hit)

    def page(self, template: str, max_age: int = PAGE_MAX_AGE, **context: Any) -> Rendered:
        body = self.env.get_template(template).render(**context).encode("utf-8")
        return Rendered(body, "text/html; charset=utf-8", max_age, csp=PAGE_CSP)

    # ------------------------------------------------------------------ feeds
    def feed(self, request: Request) -> Response:
        name = request.path_params["name"]
        stem, dot, ext = name.rpartition(".")
        version = self.version.current()
        specs, known = self.feeds(version)
        spec = specs.get(stem) if dot else None
        if spec is None or ext not in ("rss", "atom", "json", "xml") or (ext == "xml" and spec.family == "meetings"):
            raise NotFound(f"no feed named /feeds/{name}; the index lists every feed")
        fmt: Format = "rss" if ext == "xml" else ext
        accepted = FAMILY_PARAMS.get(spec.family, FEED_PARAMS)
        parsed = parse(request.query_params, accepted, known, DEFAULT_LIMIT, meetings_only=spec.family == "meetings",
                       where=f"the {spec.family} feeds")
        base = self.base(request)

        def build() -> Rendered:
            interval = interval_of(spec, self.intervals)
            fg = make_feed(self.db, spec, f"{base}/feeds", parsed.query, parsed.limit or DEFAULT_LIMIT, parsed.fulltext,
                           interval)
            self_url = f"{base}/feeds/{name}" + (f"?{parsed.canonical}" if parsed.canonical else "")
            body = render(fg, fmt, self_url, base + list_url(spec))
            return Rendered(body, MEDIA_TYPES[fmt], min(int(interval.total_seconds()), FEED_MAX_AGE_CAP))

        return self.cached(request, version, build)

    def opml(self, request: Request) -> Response:
        version = self.version.current()
        specs, _ = self.feeds(version)
        base = self.base(request)

        def build() -> Rendered:
            groups: dict[str, list[FeedSpec]] = {}
            for spec in specs.values():
                groups.setdefault(spec.group, []).append(spec)
            lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
                     "<head><title>portalwatch feeds</title></head>", "<body>"]
            for group, members in groups.items():
                lines.append(f"<outline text={quoteattr(GROUP_LABELS.get(group, group))}>")
                for spec in members:
                    xml_url, html_url = f"{base}/feeds/{spec.path}.rss", base + list_url(spec)
                    lines.append(f'<outline type="rss" text={quoteattr(spec.title)} title={quoteattr(spec.title)} '
                                 f'xmlUrl={quoteattr(xml_url)} htmlUrl={quoteattr(html_url)}/>')
                lines.append("</outline>")
            lines += ["</body>", "</opml>"]
            return Rendered("\n".join(lines).encode("utf-8"), "text/x-opml; charset=utf-8", PAGE_MAX_AGE)

        return self.cached(request, version, build)

    # ------------------------------------------------------------------ pages
    def index(self, request: Request) -> Response:
        version = self.version.current()
        specs, _ = self.feeds(version)

        def build() -> Rendered:
            groups: dict[str, list[FeedSpec]] = {}
            for spec in specs.values():
                groups.setdefault(spec.group, []).append(spec)
            counts = counts_by_source(self.db)
            return self.page("index.html", groups=groups, labels=GROUP_LABELS, list_url=list_url,
                             articles=sum(n for n, _ in counts.values()), meetings=sum(m for _, m in counts.values()),
                             sources=len(counts))

        return self.cached(request, version, build)

    def _list(self, request: Request, meetings_only: bool) -> Response:
        version = self.version.current()
        specs, known = self.feeds(version)
        where = "the meeting list" if meetings_only else "search"
        parsed = parse(request.query_params, PAGE_PARAMS, known, meetings_only=meetings_only, where=where)

        def build() -> Rendered:
            query = parsed.query
            searching = bool(query.q)
            if not meetings_only and not searching:
                found, total = [], 0
            else:
                order: Order = "rank" if searching else "date"
                # The meeting list folds republished copies exactly as the feed it offers does.
                query = replace(query, fold=meetings_only)
                found = find(self.db, query, limit=PER_PAGE, offset=(parsed.page - 1) * PER_PAGE, order=order)
                total = count(self.db, query)
            words = query.words
            rows = [_row(f, words) for f in found]
            agencies = facets(self.db)["agency"] if meetings_only else []
            feed_query = _without(parsed.canonical, "page")
            return self.page("list.html", rows=rows, total=total, page=parsed.page, pages=max(1, -(-total // PER_PAGE)),
                             query=query, meetings_only=meetings_only, provinces=known.provinces, agencies=agencies,
                             feed_query=feed_query,
                             title="Báo cáo hội nghị (meeting reports)" if meetings_only else "Tìm kiếm (search)")

        return self.cached(request, version, build)

    def meetings(self, request: Request) -> Response:
        return self._list(request, meetings_only=True)

    def search(self, request: Request) -> Response:
        return self._list(request, meetings_only=False)

    def changes(self, request: Request) -> Response:
        """The changes feeds' HTML list: edits, removals and restorations, newest first."""
        version = self.version.current()
        _, known = self.feeds(version)
        parsed = parse(request.query_params, CHANGES_PAGE_PARAMS, known, meetings_only=False, where="the changes list")

        def build() -> Rendered:
            from store.repo import changes

            query = parsed.query
            rows = changes(self.db, PER_PAGE + 1, source_scope(self.db, query), day_start(query.since),
                           day_start(query.until, next_day=True), offset=(parsed.page - 1) * PER_PAGE)
            feed_query = _without(parsed.canonical, "page")
            return self.page("changes.html", rows=[(c, a, src, KIND_LABEL.get(c.kind, c.kind), Markup(diff_html(c.summary)))
                                                   for c, a, src in rows[:PER_PAGE]],
                             page=parsed.page, more=len(rows) > PER_PAGE, query=query, feed_query=feed_query,
                             provinces=known.provinces)

        return self.cached(request, version, build)

    def article(self, request: Request) -> Response:
        given = request.path_params["id"]
        # Parsed here rather than by the route's int converter, which turns 5,000 digits (past Python's
        # int-from-string limit) or 2**63 (past SQLite's integers) into a 500.
        if not (given.isascii() and given.isdigit()) or len(given) > 19 or int(given) > MAX_ROW_ID:
            raise NotFound(f"no article {given[:30]!r}")
        article_id = int(given)
        version = self.version.current()

        def build() -> Rendered:
            with self.db.session() as s:
                a = s.get(Article, article_id)
                if a is None:
                    raise NotFound(f"no article {article_id}")
                src = s.get(Source, a.source_id)
                changes = list(s.scalars(select(ArticleChange).where(ArticleChange.article_id == a.id)
                                         .order_by(ArticleChange.id)))
            record = _record(self.db, a.id)
            extras = article_extras(self.db, [a.id])[a.id]
            history = [{"at": v.fetched_at, "title": v.title, "diff": Markup(diff_html(v.diff)) if v.diff else None,
                        "first": i == 0} for i, v in enumerate(extras.versions)]
            shown = report_date(a.published_at, record.event_date if record else None)
            return self.page("article.html", a=a, src=src, record=record, shown=shown,
                             line=meeting_line(record) if record else None,
                             body=Markup(body_html(a, PAGE_BODY_CHARS)), history=history,
                             changes=[(c, KIND_LABEL.get(c.kind, c.kind)) for c in changes], extras=extras)

        return self.cached(request, version, build)

    def status(self, request: Request) -> Response:
        version = self.version.current()

        def build() -> Rendered:
            from crawler.clock import now

            configs = self.config.source_configs
            if configs is None:
                configs = [SourceConfig(id=s.id, name=s.name, province=s.province, agency=s.agency,
                                        start_urls=tuple(s.start_urls)) for s in sources(self.db)]
            upcoming = next_runs(self.db)
            counts = counts_by_source(self.db)
            rows: list[tuple[SourceStatus, SourceConfig, tuple[int, int]]] = [
                (source_status(self.db, c, now(), upcoming.get(c.id)), c, counts.get(c.id, (0, 0))) for c in configs]
            return self.page("sources.html", rows=rows)

        return self.cached(request, version, build)

    # ------------------------------------------------------------------ app
    def app(self) -> Starlette:
        def handle(fn: Callable[[Request], Response], html_errors: bool = True) -> Callable[[Request], Any]:
            def endpoint(request: Request) -> Response:
                self._deadline.at = time.monotonic() + REQUEST_SECONDS
                try:
                    return fn(request)
                except OperationalError as exc:
                    if "interrupted" not in str(exc):
                        log.error("error serving %s: %s", request.url, error_line(exc))
                        return self.error(500, "internal error; the server log has the details", html_errors)
                    log.warning("%s: interrupted after %d s", request.url, REQUEST_SECONDS)
                    return self.error(503, f"this request took longer than {REQUEST_SECONDS} s; narrow it down "
                                      "(fewer words, a province, a date range)", html_errors)
                except BadParameter as exc:
                    return self.error(400, str(exc), html_errors)
                except NotFound as exc:
                    return self.error(404, str(exc), html_errors)
                except Exception:  # noqa: BLE001 - a reader gets one line, the operator the traceback
                    log.exception("error serving %s", request.url)
                    return self.error(500, "internal error; the server log has the details", html_errors)
                finally:
                    self._deadline.at = None

            return endpoint

        routes = [
            Route("/", handle(self.index)),
            Route("/meetings", handle(self.meetings)),
            Route("/search", handle(self.search)),
            Route("/articles/{id}", handle(self.article)),
            Route("/sources", handle(self.status)),
            Route("/changes", handle(self.changes)),
            Route("/feeds.opml", handle(self.opml, html_errors=False)),
            Route("/feeds", lambda r: RedirectResponse("/", status_code=301)),
            Route("/feeds/", lambda r: RedirectResponse("/", status_code=301)),
            Route("/feeds/{name:path}", handle(self.feed, html_errors=False)),
            Route("/static/style.css", handle(self.stylesheet, html_errors=False)),
        ]
        app = Starlette(routes=routes)
        # Whatever escapes an endpoint still gets one line and the security headers, never a bare 500.
        app.add_exception_handler(500, self.crash)
        app.add_exception_handler(Exception, self.crash)
        app.add_exception_handler(404, lambda r, e: self.error(404, "no such page", True))
        app.add_exception_handler(405, lambda r, e: self.error(405, "this server is read-only: GET and HEAD only", False))
        return app

    def crash(self, request: Request, exc: Exception) -> Response:
        log.error("error serving %s: %s: %s", request.url, type(exc).__name__, exc)
        return self.error(500, "internal error; the server log has the details", False)

    def stylesheet(self, request: Request) -> Response:
        return respond(request, Rendered((STATIC / "style.css").read_bytes(), "text/css; charset=utf-8", 3600))

    def error(self, status: int, message: str, as_html: bool) -> Response:
        headers = {"Cache-Control": "no-store", **SECURITY_HEADERS}
        if status == 405:
            headers["Allow"] = "GET, HEAD"
        if not as_html:
            return PlainTextResponse(f"{status}: {message}\n", status_code=status, headers=headers)
        body = self.env.get_template("error.html").render(status=status, message=message)
        return Response(body, status_code=status, media_type="text/html; charset=utf-8",
                        headers={**headers, "Content-Security-Policy": PAGE_CSP})


# ------------------------------------------------------------------------------------ helpers
@dataclass(frozen=True)
class Row:
    id: int
    title: str
    title_html: Markup
    url: str
    source: str
    province: str
    date: ReportDate
    line: str | None
    snippet: Markup
    is_meeting: bool


def _row(f: Found, words: list[str]) -> Row:
    a = f.article
    title = a.title or a.url
    text = body_of(a)
    shown = snippet(text, words) if words else html.escape(excerpt(text))
    return Row(a.id, title, Markup(highlight(title, words) if words else html.escape(title)), a.fetched_url,
               f.source.name, f.source.province, f.date, meeting_line(f.meeting) if f.meeting else None,
               Markup(shown), a.is_meeting)


def excerpt(text: str, width: int = 240) -> str:
    """The text's start, cut at a word boundary only when it is longer than `width`."""
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0] + "…"


def _record(db: Database, article_id: int) -> Meeting | None:
    from store.meetings import records

    return records(db, [article_id]).get(article_id)


def _without(canonical: str, name: str) -> str:
    return "&".join(p for p in canonical.split("&") if p and not p.startswith(f"{name}="))


def create_app(config: ServerConfig) -> Starlette:
    return Server(config).app()
