"""HTTP caching as feed readers expect it: strong ETags from the content, Last-Modified, 304 on
If-None-Match / If-Modified-Since, gzip, Cache-Control.

Rendered responses are kept in memory, keyed by URL, for as long as the database has not changed.
On SQLite, `PRAGMA data_version` tells (it moves whenever another connection, such as a crawl in
another process, commits), so a reader polling an unchanged feed costs one pragma and a hash
lookup. Other backends render every request; their ETags still save the transfer.
"""

from __future__ import annotations

import gzip
import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlencode

from sqlalchemy.engine import make_url
from starlette.requests import Request
from starlette.responses import Response

from store.db import Database

DEFAULT_CACHE_BYTES = 64 * 1024 * 1024  # rendered responses kept in memory, at most
GZIP_MIN_BYTES = 512  # smaller bodies gain less than the header costs
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
# Our pages carry no script at all; portal HTML inside them is sanitised, and this makes sure.
PAGE_CSP = ("default-src 'none'; img-src http: https:; style-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")
FEED_CSP = "default-src 'none'; sandbox"


@dataclass
class Rendered:
    body: bytes
    media_type: str
    max_age: int
    csp: str = FEED_CSP
    etag: str = ""
    # A second back: the Date header is cached per second, and Last-Modified must not be after it.
    last_modified: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1))
    _gz: bytes | None = None

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'

    @property
    def gz(self) -> bytes:
        if self._gz is None:
            self._gz = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gz

    @property
    def gz_etag(self) -> str:
        # A different representation needs a different strong validator.
        return self.etag[:-1] + '-gz"'


def _wants_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").lower().split(","):
        coding, _, q = part.strip().partition(";")
        if coding.strip() == "gzip":
            return q.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _not_modified(request: Request, r: Rendered) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or r.etag in tags or r.gz_etag in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False  # an unreadable date is ignored, as RFC 9110 says
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return r.last_modified <= when
    return False


def respond(request: Request, r: Rendered) -> Response:
    """200 with the body (gzipped when the client accepts it), or 304."""
    gzipped = _wants_gzip(request) and len(r.body) >= GZIP_MIN_BYTES
    headers = {
        "ETag": r.gz_etag if gzipped else r.etag,
        "Last-Modified": format_datetime(r.last_modified, usegmt=True),
        "Cache-Control": f"public, max-age={r.max_age}",
        "Vary": "Accept-Encoding",
        "Content-Security-Policy": r.csp,
        **SECURITY_HEADERS,
    }
    if _not_modified(request, r):
        return Response(status_code=304, headers=headers)
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return Response(r.gz if gzipped else r.body, media_type=r.media_type, headers=headers)


class DataVersion:
    """A number that changes whenever the database does; None where it cannot be known."""

    def __init__(self, db: Database) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        url = make_url(db.url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            path = quote(str(Path(url.database).resolve()))  # a path with spaces, ? or # stays one path
            self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=30)

    def current(self) -> int | None:
        if self._conn is None:
            return None
        with self._lock:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


def cache_key(base: str, path: str, params: Iterable[tuple[str, str]]) -> str:
    """The cache key of a request: its parameters sorted, without the cache busters and campaign tags
    that would otherwise make every request a new entry (`?_=1712345678`, `utm_source=`)."""
    kept = sorted((k, v) for k, v in params if not ignored_param(k))
    return f"{base}|{path}?{urlencode(kept)}"


def ignored_param(name: str) -> bool:
    # Cache busters and campaign tags that readers, scripts and link shorteners add.
    return name in ("_", "fbclid", "gclid") or name.startswith("utm_")


class ResponseCache:
    """URL → rendered response, valid while the data version holds. Last-Modified is when this
    server first produced a body, so a changed feed is always newer than a reader's copy.

    Bounded twice: in entries and in bytes (bodies and their gzipped copies), least recently used
    first out, so requests crafted to differ cannot grow the server without end."""

    def __init__(self, size: int = 512, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[int, Rendered, int]] = OrderedDict()
        self._first_seen: OrderedDict[str, datetime] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str, version: int | None) -> Rendered | None:
        if version is None or self.size == 0:
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] != version:
                return None
            self._items.move_to_end(key)
            return hit[1]

    def put(self, key: str, r: Rendered, version: int | None) -> Rendered:
        with self._lock:
            seen = self._first_seen.setdefault(r.etag, r.last_modified)
            self._first_seen.move_to_end(r.etag)
            while len(self._first_seen) > self.size * 4:
                self._first_seen.popitem(last=False)
            r.last_modified = seen
            # The gzipped copy is made on first use and then kept with the entry: count it up front.
            cost = len(r.body) * 2
            if version is not None and self.size and cost <= self.max_bytes:
                old = self._items.pop(key, None)
                if old is not None:
                    self.bytes -= old[2]
                self._items[key] = (version, r, cost)
                self.bytes += cost
                while len(self._items) > self.size or self.bytes > self.max_bytes:
                    _, (_, _, dropped) = self._items.popitem(last=False)
                    self.bytes -= dropped
        return r
