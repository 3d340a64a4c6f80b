"""The portal farm: several realistic Vietnamese government portals served on 127.0.0.1.

Each portal listens on its own port (so each is its own host, as real portals are) and renders
with one of the CMS templates. An admin server on a further port exposes the farm's ground truth
and lets tests add, edit, remove and restore articles while the farm runs.
"""

from __future__ import annotations

import hashlib
import json
import re
import ssl
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .content import VN_TZ, Block, FarmArticle, generate
from .hostile import HOSTILE_PORTALS, hostile_articles
from .templates import TEMPLATES, Page

PER_PAGE = 10
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
       b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def slugify(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class PortalSpec:
    key: str
    name: str
    site_name: str
    province: str
    agency: str
    cms: str
    # How list pages answer conditional GETs, as real portals differ:
    # "strong" ETag + Last-Modified with 304s; "lastmod" Last-Modified only; "none" no validators;
    # "static" an ETag that never changes while the content does (and no 304s).
    validators: str = "none"


PORTALS = [
    PortalSpec("sxd-vinhphuc", "Sở Xây dựng tỉnh Vĩnh Phúc", "Sở Xây Dựng", "Vĩnh Phúc", "Sở Xây dựng", "sharepoint",
               "strong"),
    PortalSpec("vinhyen", "UBND thành phố Vĩnh Yên", "Thành phố Vĩnh Yên", "Vĩnh Phúc", "UBND thành phố Vĩnh Yên",
               "sharepoint", "none"),
    PortalSpec("vpubnd-langson", "Văn phòng UBND tỉnh Lạng Sơn", "Văn phòng UBND tỉnh Lạng Sơn", "Lạng Sơn",
               "Văn phòng UBND tỉnh", "aspnet", "lastmod"),
    PortalSpec("baohatinh", "Báo Hà Tĩnh", "Báo Hà Tĩnh", "Hà Tĩnh", "Báo Hà Tĩnh", "newspaper", "strong"),
    PortalSpec("vpubnd-vinhphuc", "Văn phòng UBND tỉnh Vĩnh Phúc", "Văn phòng UBND tỉnh Vĩnh Phúc", "Vĩnh Phúc",
               "Văn phòng UBND tỉnh", "drupal", "static"),
]


# URL scheme of each CMS family: (list page path for page n, article path, parser of a request).
def _list_path(cms: str, n: int) -> str:
    if cms == "sharepoint":
        return "/Trang/tin-tuc-su-kien.aspx" + (f"?Page={n}" if n > 1 else "")
    if cms == "aspnet":
        return "/Default.aspx?tabid=85&CategoryID=12" + (f"&Page={n}" if n > 1 else "")
    if cms == "newspaper":
        return "/chinh-tri/" + (f"trang-{n}.html" if n > 1 else "")
    return "/vi/tin-tuc" + (f"?page={n - 1}" if n > 1 else "")


def _article_path(cms: str, a: FarmArticle) -> str:
    if cms == "sharepoint":
        return f"/ct/cms/tintuc/Lists/TinTucSuKien/View_Detail.aspx?ItemID={a.item_id}"
    if cms == "aspnet":
        return f"/Default.aspx?tabid=85&CategoryID=12&ItemID={a.item_id}"
    if cms == "newspaper":
        return f"/{slugify(a.title)[:80].rstrip('-')}-post{a.item_id}.html"
    return f"/vi/node/{a.item_id}"


def _route(cms: str, path: str, qs: dict[str, list[str]]) -> tuple[str, int] | None:
    """("list", page) or ("article", item id) for a request, None when nothing lives there."""
    def q(name: str) -> str | None:
        for k, v in qs.items():
            if k.lower() == name.lower():
                return v[0]
        return None

    try:
        if cms == "sharepoint":
            if path.lower() == "/trang/tin-tuc-su-kien.aspx":
                return ("list", int(q("Page") or 1))
            if path.lower().endswith("/view_detail.aspx") and q("ItemID"):
                return ("article", int(q("ItemID") or 0))
        elif cms == "aspnet":
            if path.lower() == "/default.aspx" and q("tabid") == "85":
                if q("ItemID"):
                    return ("article", int(q("ItemID") or 0))
                return ("list", int(q("Page") or 1))
        elif cms == "newspaper":
            if path == "/chinh-tri/":
                return ("list", 1)
            m = re.fullmatch(r"/chinh-tri/trang-(\d+)\.html", path)
            if m:
                return ("list", int(m.group(1)))
            m = re.fullmatch(r"/[a-z0-9-]*-post(\d+)\.html", path)
            if m:
                return ("article", int(m.group(1)))
        else:
            if path == "/vi/tin-tuc":
                return ("list", int(q("page") or 0) + 1)
            m = re.fullmatch(r"/vi/node/(\d+)", path)
            if m:
                return ("article", int(m.group(1)))
    except ValueError:
        return None
    return None


class Portal:
    def __init__(self, spec: PortalSpec, farm: Farm) -> None:
        self.spec = spec
        self.farm = farm
        self.template = TEMPLATES[spec.cms]
        self.server: ThreadingHTTPServer | None = None
        self.scheme = "http"

    @property
    def base_url(self) -> str:
        assert self.server is not None, "farm not started"
        host, port = self.server.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def list_url(self, n: int) -> str:
        return _list_path(self.spec.cms, n)

    def article_url(self, a: FarmArticle) -> str:
        return _article_path(self.spec.cms, a)

    def start_urls(self) -> list[str]:
        return [self.base_url + self.list_url(1)]

    def listed(self) -> list[FarmArticle]:
        """Articles on this portal's news list, newest first."""
        arts = [a for a in self.farm.articles.values() if a.portal == self.spec.key and a.status != "removed"]
        return sorted(arts, key=lambda a: a.sort_key, reverse=True)

    def page(self) -> Page:
        return Page(self.spec.site_name, self.spec.province, datetime.now(VN_TZ), self.article_url, self.list_url)

    def render(self, path: str, qs: dict[str, list[str]]) -> tuple[int, str]:
        route = _route(self.spec.cms, path, qs)
        with self.farm.lock:
            listed = self.listed()
            if path in ("/", "/vi", "/Default.aspx") and route is None:
                return 200, self.template.list_page(self.page(), listed[:PER_PAGE], 1, 1)
            if route is None:
                return 404, "<html><body><h1>404 - Không tìm thấy trang</h1></body></html>"
            kind, n = route
            if kind == "list":
                pages = max(1, -(-len(listed) // PER_PAGE))
                if not 1 <= n <= pages:
                    return 404, "<html><body><h1>404 - Không tìm thấy trang</h1></body></html>"
                return 200, self.template.list_page(self.page(), listed[(n - 1) * PER_PAGE: n * PER_PAGE], n, pages)
            a = self.farm.articles.get((self.spec.key, n))
            if a is None or a.status != "live":
                return 404, "<html><body><h1>404 - Bài viết không tồn tại hoặc đã bị gỡ bỏ</h1></body></html>"
            i = listed.index(a)
            related = [r for r in listed[max(0, i - 3): i + 4] if r is not a][:5]
            return 200, self.template.article_page(self.page(), a, related)

    def list_state(self, path: str, qs: dict[str, list[str]]) -> tuple[str, float] | None:
        """(ETag, last change time) of a list page, from what it lists; None for other pages."""
        route = _route(self.spec.cms, path, qs)
        if route is None or route[0] != "list":
            return None
        with self.farm.lock:
            listed = self.listed()
            n = route[1]
            items = listed[(n - 1) * PER_PAGE: n * PER_PAGE]
            key = "|".join(f"{a.item_id}:{a.revision}" for a in items) + f"|{len(listed)}"
            changed = max((a.changed_at for a in self.farm.articles.values() if a.portal == self.spec.key), default=0.0)
        etag = '"' + hashlib.sha1(key.encode()).hexdigest()[:16] + '"'
        return etag, changed

    def redirects_removed(self, path: str, qs: dict[str, list[str]]) -> bool:
        route = _route(self.spec.cms, path, qs)
        if self.spec.cms != "sharepoint" or route is None or route[0] != "article":
            return False
        a = self.farm.articles.get((self.spec.key, route[1]))
        return a is not None and a.status == "removed"

    def visible_published(self, a: FarmArticle) -> str | None:
        """The publication datetime as the page shows it (date-only CMSes drop the time)."""
        if a.published is None:
            return None
        p = a.published
        if self.template.date_only:
            p = p.replace(hour=0, minute=0, second=0)
        return p.isoformat()


def _handler(portal: Portal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "Microsoft-IIS/8.5" if portal.spec.cms in ("sharepoint", "aspnet") else "nginx"

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            # Every answered request, with its status: tests count 304s and article fetches from this.
            portal.farm.requests.append((portal.spec.key, str(getattr(code, "value", code)), self.path))

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = urlsplit(self.path)
            fault = portal.farm.faults.get(portal.spec.key)
            if parts.path == "/robots.txt":
                rules = "Disallow: /\n" if fault == "robots-disallow" else "Disallow: /admin/\nDisallow: /search\n"
                self._send(200, "User-agent: *\n" + rules, "text/plain; charset=utf-8")
                return
            if fault and self._fault(fault, parts.path, parse_qs(parts.query)):
                return
            if re.search(r"\.(jpg|png|gif|svg)$", parts.path, re.I):
                self._send_bytes(200, GIF, "image/gif")
                return
            qs = parse_qs(parts.query)
            headers = self._validators(parts.path, qs)
            if headers is None:
                return  # answered 304
            if portal.redirects_removed(parts.path, qs):
                # SharePoint portals send a removed article's readers to the home page.
                self.send_response(302)
                self.send_header("Location", "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status, body = portal.render(parts.path, qs)
            self._send(status, body, "text/html; charset=utf-8", headers)

        def _fault(self, fault: str, path: str, qs: dict[str, list[str]]) -> bool:
            """Misbehave the way real portals do; True when the request was answered (or dropped)."""
            if fault == "http-503":
                self._send(503, "<html><body>Service Unavailable</body></html>", "text/html")
            elif fault == "http-500":
                self._send(500, "<html><body>Runtime Error</body></html>", "text/html")
            elif fault == "reset":
                self.connection.shutdown(2)  # the connection drops without an answer
                self.close_connection = True
            elif fault == "truncated":
                data = portal.render(path, qs)[1].encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data) * 2))
                self.end_headers()
                self.wfile.write(data[: len(data) // 3])
                self.wfile.flush()
                self.connection.shutdown(2)
                self.close_connection = True
            elif fault == "sluggish":
                time.sleep(0.3)  # slow but within timeouts: a crawl that takes a while
                return False
            elif fault == "slow":
                time.sleep(portal.farm.slow_seconds)  # longer than the crawler's timeout
                return False
            elif fault == "redirect-loop":
                self.send_response(302)
                self.send_header("Location", self.path + ("&" if "?" in self.path else "?") + "r=1")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif fault == "huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                chunk = b"<p>" + b"x" * 1020 + b"</p>"
                try:
                    for _ in range(50 * 1024):
                        self.wfile.write(chunk)
                except OSError:
                    pass  # the crawler gave up at its size cap
                self.close_connection = True
            elif fault == "endless":
                # Chunked, no length, never ending: only the crawler's size cap ends it.
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"<p>" + b"y" * 8180 + b"</p>"
                frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
                try:
                    while True:
                        self.wfile.write(frame)
                except OSError:
                    pass
                self.close_connection = True
            elif fault == "article-500":
                # Lists answer, articles fail: a portal whose article server is down.
                route = _route(portal.spec.cms, path, qs)
                if not (route and route[0] == "article"):
                    return False
                self._send(500, "<html><body>Runtime Error</body></html>", "text/html")
            elif fault == "title-only":
                # A re-check reads a broken page: the headline survives, the body does not.
                route = _route(portal.spec.cms, path, qs)
                if not (route and route[0] == "article"):
                    return False
                status, body = portal.render(path, qs)
                title = re.search(r"<h1[^>]*>.*?</h1>", body, re.S)
                self._send(status, f"<html><body>{title.group(0) if title else ''}</body></html>",
                           "text/html; charset=utf-8")
            elif fault == "redirect-data":
                self.send_response(302)
                self.send_header("Location", "data:text/html;base64,PGgxPng8L2gxPg==")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif fault == "malformed":
                status, body = portal.render(path, qs)
                # Unclosed tags, stray closers and NUL bytes, as broken CMS output has.
                body = body.replace("</p>", "").replace("</div>", "</span>", 5).replace("<body>", "<body>\x00<<<>")
                self._send(status, body, "text/html; charset=utf-8")
            elif fault in ("mislabelled-1258", "mislabelled-1252", "no-charset"):
                status, body = portal.render(path, qs)
                if fault == "mislabelled-1258":
                    data = to_cp1258(body)
                elif fault == "mislabelled-1252":
                    data = body.encode("cp1252", errors="xmlcharrefreplace")
                else:
                    body = re.sub(r'<meta[^>]*charset[^>]*>', "", body, flags=re.I)
                    data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html" if fault == "no-charset" else "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            elif fault == "redesign":
                route = _route(portal.spec.cms, path, qs)
                if route and route[0] == "article":
                    self._send(404, "<html><body><h1>Không tìm thấy</h1></body></html>", "text/html; charset=utf-8")
                else:
                    # The new portal renders its lists in the browser: the HTML holds no article link.
                    shell = ('<html><head><meta charset="utf-8"><title>Cổng thông tin mới</title></head><body>'
                             '<div id="app">Đang tải...</div><script src="/static/app.js"></script></body></html>')
                    self._send(200, shell, "text/html; charset=utf-8")
            else:
                return False
            return True

        def _validators(self, path: str, qs: dict[str, list[str]]) -> dict[str, str] | None:
            """Validator headers for a list page per the portal's mode; None when a 304 was sent."""
            mode = portal.spec.validators
            state = portal.list_state(path, qs)
            if state is None or mode == "none":
                return {}
            etag, changed = state
            last_modified = formatdate(changed, usegmt=True)
            if mode == "static":
                return {"ETag": '"static-v1"'}
            headers = {"Last-Modified": last_modified} if mode == "lastmod" else {"ETag": etag, "Last-Modified": last_modified}
            inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            fresh = False
            if mode == "strong" and inm is not None:
                fresh = inm == etag
            elif ims is not None:
                try:
                    fresh = parsedate_to_datetime(ims).timestamp() >= int(changed)
                except (TypeError, ValueError):
                    fresh = False
            if fresh:
                self.send_response(304)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                return None
            return headers

        def _send(self, status: int, body: str, ctype: str, headers: dict[str, str] | None = None) -> None:
            self._send_bytes(status, body.encode("utf-8"), ctype, headers)

        def _send_bytes(self, status: int, data: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            portal.farm.bytes_sent += len(data)

    return Handler


class Farm:
    """All portals plus the admin API. Use as a context manager or call start()/stop()."""

    def __init__(self, seed: int = 2024, per_portal: int = 32, host: str = "127.0.0.1",
                 ports: dict[str, int] | None = None, admin_port: int = 0, tls_portals: tuple[str, ...] = (),
                 hostile: bool = False, dated_until: datetime | None = None) -> None:
        self.host = host
        self.tls_portals = tls_portals  # served over HTTPS with a self-signed certificate
        self.lock = threading.RLock()
        self.articles: dict[tuple[str, int], FarmArticle] = {(a.portal, a.item_id): a for a in generate(seed, per_portal, dated_until)}
        if hostile:  # script tags, event handlers, control characters, a 5 MB page (tests/farm/hostile.py)
            next_ids = {p: max(i for (q, i) in self.articles if q == p) + 1 for p in HOSTILE_PORTALS}
            self.articles.update({(a.portal, a.item_id): a for a in hostile_articles(next_ids)})
        self.portals = {spec.key: Portal(spec, self) for spec in PORTALS}
        self.ports = ports or {}
        self.admin_port = admin_port
        self.admin: ThreadingHTTPServer | None = None
        self.requests: list[tuple[str, str, str]] = []  # (portal, HTTP status, path)
        self.bytes_sent = 0
        self.faults: dict[str, str] = {}  # portal key → fault mode (see _handler._fault)
        self.slow_seconds = 5.0
        self._threads: list[threading.Thread] = []
        self._last_change = 0.0
        for a in self.articles.values():
            a.changed_at = a.published.timestamp() if a.published else 0.0

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> Farm:
        for key, portal in self.portals.items():
            portal.server = ThreadingHTTPServer((self.host, self.ports.get(key, 0)), _handler(portal))
            if key in self.tls_portals:
                portal.server.socket = self_signed_context().wrap_socket(portal.server.socket, server_side=True)
                portal.scheme = "https"
            self._serve(portal.server)
        self.admin = ThreadingHTTPServer((self.host, self.admin_port), _admin_handler(self))
        self._serve(self.admin)
        return self

    def _serve(self, server: ThreadingHTTPServer) -> None:
        server.daemon_threads = True
        t = threading.Thread(target=server.serve_forever, daemon=True)
        t.start()
        self._threads.append(t)

    def stop(self) -> None:
        for server in [p.server for p in self.portals.values()] + [self.admin]:
            if server is not None:
                server.shutdown()
                server.server_close()

    def __enter__(self) -> Farm:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def admin_url(self) -> str:
        assert self.admin is not None
        host, port = self.admin.server_address[:2]
        return f"http://{host}:{port}"

    def is_article_path(self, portal: str, path: str) -> bool:
        route = _route(self.portals[portal].spec.cms, urlsplit(path).path, parse_qs(urlsplit(path).query))
        return route is not None and route[0] == "article"

    def is_list_path(self, portal: str, path: str) -> bool:
        route = _route(self.portals[portal].spec.cms, urlsplit(path).path, parse_qs(urlsplit(path).query))
        return route is not None and route[0] == "list"

    # ------------------------------------------------------------------ ground truth
    def url_of(self, a: FarmArticle) -> str:
        portal = self.portals[a.portal]
        return portal.base_url + portal.article_url(a)

    def truth(self, a: FarmArticle) -> dict[str, Any]:
        portal = self.portals[a.portal]
        return {
            "portal": a.portal, "item_id": a.item_id, "url": self.url_of(a), "title": a.title,
            "published": portal.visible_published(a), "author": a.author, "lead": a.lead,
            "paragraphs": a.paragraphs, "captions": a.captions, "is_meeting": a.is_meeting,
            "topic": a.topic, "status": a.status, "seed": a.seed, "revision": a.revision,
            "dup_of": list(a.dup_of) if a.dup_of else None,
        }

    def expected(self, portal: str | None = None, status: str = "live") -> list[dict[str, Any]]:
        with self.lock:
            return [self.truth(a) for a in self.articles.values()
                    if (portal is None or a.portal == portal) and a.status == status]

    def sources_toml(self, only: list[str] | None = None) -> str:
        """A sources file for this farm: zero-config entries (start URLs only)."""
        out = []
        for key, portal in self.portals.items():
            if only and key not in only:
                continue
            s = portal.spec
            out.append(f'[[source]]\nid = "{key}"\nname = "{s.name}"\nprovince = "{s.province}"\n'
                       f'agency = "{s.agency}"\nstart_urls = ["{portal.start_urls()[0]}"]\n')
        return "\n".join(out)

    def _tick(self) -> float:
        """A change time that moves on by at least a second per change, so Last-Modified (one-second
        resolution) always sees a change made right after a fetch."""
        self._last_change = max(time.time(), self._last_change + 1.0)
        return self._last_change

    def aliases(self, portal: str) -> dict[str, str]:
        """Second URLs under which a portal serves one of its articles: alias URL → article URL."""
        p = self.portals[portal]
        if p.spec.cms != "aspnet":
            return {}
        with self.lock:
            listed = p.listed()
            if not listed:
                return {}
            top = listed[0]
            return {p.base_url + p.article_url(top).replace("CategoryID=12", "CategoryID=7"): self.url_of(top)}

    # ------------------------------------------------------------------ mutation (admin API)
    def add(self, portal: str, title: str, paragraphs: list[str], published: datetime | None = None,
            author: str | None = None, is_meeting: bool = False) -> FarmArticle:
        with self.lock:
            item_id = max(i for (p, i) in self.articles if p == portal) + 1
            a = FarmArticle(portal, item_id, title, published or datetime.now(VN_TZ).replace(second=0, microsecond=0),
                            author, [Block("p", p) for p in paragraphs], is_meeting, "added")
            a.changed_at = self._tick()
            self.articles[(portal, item_id)] = a
            return a

    def edit(self, portal: str, item_id: int, title: str | None = None, paragraphs: list[str] | None = None,
             published: datetime | None = None) -> FarmArticle:
        with self.lock:
            a = self.articles[(portal, item_id)]
            if title is not None:
                a.title = title
            if paragraphs is not None:
                a.blocks = [Block("p", p) for p in paragraphs]
                a.lead = None
            if published is not None:
                a.published = published
            a.revision += 1
            a.changed_at = self._tick()
            return a

    def remove(self, portal: str, item_id: int) -> FarmArticle:
        with self.lock:
            a = self.articles[(portal, item_id)]
            a.status = "removed"
            a.changed_at = self._tick()
            return a

    def restore(self, portal: str, item_id: int) -> FarmArticle:
        with self.lock:
            a = self.articles[(portal, item_id)]
            a.status = "live"
            a.changed_at = self._tick()
            return a


def _admin_handler(farm: Farm) -> type[BaseHTTPRequestHandler]:
    def parse_dt(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    class Admin(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _json(self, status: int, payload: Any) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> dict[str, Any]:
            n = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(n) or b"{}") if n else {}

        def _target(self) -> tuple[str, int, str] | None:
            m = re.fullmatch(r"/articles/([a-z0-9-]+)/(\d+)(/restore)?", urlsplit(self.path).path)
            return (m.group(1), int(m.group(2)), m.group(3) or "") if m else None

        def _guard(self, action: Callable[[], Any]) -> None:
            try:
                self._json(200, action())
            except (KeyError, ValueError, TypeError) as exc:
                self._json(400, {"error": str(exc)})

        def do_GET(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            if path == "/articles":
                with farm.lock:
                    self._json(200, [farm.truth(a) for a in farm.articles.values()])
            elif path == "/sources.toml":
                data = farm.sources_toml().encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/toml; charset=utf-8")
                self.end_headers()
                self.wfile.write(data)
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self) -> None:  # noqa: N802
            target = self._target()
            if target and target[2] == "/restore":
                self._guard(lambda: farm.truth(farm.restore(target[0], target[1])))
                return
            if urlsplit(self.path).path != "/articles":
                self._json(404, {"error": "not found"})
                return
            b = self._body()
            self._guard(lambda: farm.truth(farm.add(b["portal"], b["title"], b["paragraphs"], parse_dt(b.get("published")),
                                                    b.get("author"), bool(b.get("is_meeting")))))

        def do_PATCH(self) -> None:  # noqa: N802
            target = self._target()
            if not target:
                self._json(404, {"error": "not found"})
                return
            b = self._body()
            self._guard(lambda: farm.truth(farm.edit(target[0], target[1], b.get("title"), b.get("paragraphs"),
                                                     parse_dt(b.get("published")))))

        def do_DELETE(self) -> None:  # noqa: N802
            target = self._target()
            if not target:
                self._json(404, {"error": "not found"})
                return
            self._guard(lambda: farm.truth(farm.remove(target[0], target[1])))

    return Admin


@contextmanager
def running_farm(**kwargs: Any) -> Iterator[Farm]:
    farm = Farm(**kwargs).start()
    try:
        yield farm
    finally:
        farm.stop()


def self_signed_context() -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1."""
    import datetime as dt
    import ipaddress
    import tempfile

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    with tempfile.TemporaryDirectory() as tmp:
        cert_file, key_file = f"{tmp}/cert.pem", f"{tmp}/key.pem"
        with open(cert_file, "wb") as fh:
            fh.write(cert.public_bytes(serialization.Encoding.PEM))
        with open(key_file, "wb") as fh:
            fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
    return context


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Vietnamese in windows-1258: base letters precomposed (ô, ơ, ư, ă), tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out).encode("cp1258", errors="xmlcharrefreplace")
